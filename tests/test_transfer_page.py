"""AppTest for the Knowledge Transfer page: a tiny comparison run in the background end to end in
both languages, the oracle column, the URL round-trip, and offline bad input."""
import json

import torch
from conftest import finish

from kdapp.i18n import text

torch.set_num_threads(1)


def _tiny(at, strategies, ks):
    at.select_slider(key="transfer_source_steps").set_value(50)
    at.select_slider(key="transfer_target_steps").set_value(10)
    at.multiselect(key="transfer_strategies").set_value(strategies)
    at.multiselect(key="transfer_k").set_value(ks)


def test_page_in_chinese(app_page):
    """Rendered in Chinese (AppTest formats widget options outside the script, in English, so runs are driven in English)."""
    at = app_page("transfer.py", lang="zh")
    assert at.title[0].value == text("transfer.title", "zh") and not at.error
    assert at.toggle(key="transfer_oracle").label == text("transfer.oracle", "zh")
    assert at.button(key="transfer_run").label == text("transfer.run", "zh")


def test_page_runs_a_comparison_and_explains_it(app_page, lang="en"):
    at = app_page("transfer.py", lang=lang)
    assert at.button(key="transfer_run") and not at.error
    _tiny(at, ["source-only", "target-only", "model", "adversarial"], ["1", "5"])
    at.button(key="transfer_run").click().run()
    finish(at, "transfer")
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    result = at.session_state["transfer_result"]
    table = at.dataframe[0].value
    assert len(table) == len(result.rows) == 6  # source-only, adversarial at k = 0; target-only, model at k = 1, 5
    assert abs(table.iloc[0, 2] - round(100 * result.rows[0]["mean"], 1)) < 1e-9  # the table shows measured numbers
    charts = {c.proto.id: json.loads(c.proto.spec) for c in at.get("plotly_chart")}
    assert len(charts) == 4  # accuracy vs k, domain classifier curve, feature view before and after
    curve = next(spec for spec in charts.values() if spec["layout"]["xaxis"].get("type") == "log")
    model_line = next(trace for trace in curve["data"] if trace.get("name", "").startswith(text("transfer.s_model", lang)))
    assert model_line["x"] == [1.0, 5.0]
    assert [round(y, 6) for y in model_line["y"]] == [round(100 * r["mean"], 6) for r in result.rows if r["strategy"] == "model"]
    said = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    assert text("transfer.selection", lang) in said
    at.toggle(key="transfer_oracle").set_value(True).run()
    table = at.dataframe[0].value
    oracle = table[text("transfer.col_oracle", lang)]
    assert oracle.iloc[0] == round(100 * result.rows[0]["oracle_mean"], 1) and oracle.iloc[0] >= table.iloc[0, 2]
    assert at.query_params["oracle"] in ("1", ["1"]) and at.query_params["k"] in ("1,5", ["1,5"])  # the view is in the URL


def test_offline_torchvision_target_gets_a_clear_message(app_page):
    at = app_page("transfer.py")
    _tiny(at, ["source-only"], ["0"])
    at.selectbox(key="transfer_target").set_value("usps")
    at.button(key="transfer_run").click().run()
    finish(at, "transfer")
    assert "not available offline" in at.error[0].value and "mnist5k → digits" in at.error[0].value
    assert at.button(key="transfer_run")  # the form is still there to fix the choice

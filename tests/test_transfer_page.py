"""AppTest for the Knowledge Transfer page: a tiny comparison end to end, and offline bad input."""
import json

import torch

torch.set_num_threads(1)


def _tiny(at, strategies, ks):
    at.session_state["transfer_source_steps"] = 50
    at.session_state["transfer_target_steps"] = 10
    at.multiselect(key="transfer_strategies").set_value(strategies)
    at.multiselect(key="transfer_k").set_value(ks)


def test_page_runs_a_comparison_and_explains_it(app_page):
    at = app_page("transfer.py")
    assert at.button(key="transfer_run") and not at.error
    _tiny(at, ["source-only", "target-only", "model", "adversarial"], [1, 5])
    at.button(key="transfer_run").click().run()
    assert not at.exception and not at.error, (at.exception, [e.value for e in at.error])
    result = at.session_state["transfer_result"]
    table = at.dataframe[0].value
    assert len(table) == len(result.rows) == 6  # source-only, adversarial at k = 0; target-only, model at k = 1, 5
    assert abs(table.iloc[0, 2] - round(100 * result.rows[0]["mean"], 1)) < 1e-9  # the table shows measured numbers
    charts = {c.proto.id: json.loads(c.proto.spec) for c in at.get("plotly_chart")}
    assert len(charts) == 4  # accuracy vs k, domain classifier curve, feature view before and after
    curve = next(spec for spec in charts.values() if spec["layout"]["xaxis"].get("type") == "log")
    model_line = next(trace for trace in curve["data"] if trace.get("name", "").startswith("model transfer"))
    assert model_line["x"] == [1.0, 5.0]
    assert [round(y, 6) for y in model_line["y"]] == [round(100 * r["mean"], 6) for r in result.rows if r["strategy"] == "model"]
    text = " ".join(m.value for m in at.markdown)
    assert "Domain gap" in text and "Adversarial transfer" in text and "Alignment was **on**" in text


def test_offline_torchvision_target_gets_a_clear_message(app_page):
    at = app_page("transfer.py")
    _tiny(at, ["source-only"], [0])
    at.selectbox(key="transfer_target").set_value("usps")
    at.button(key="transfer_run").click().run()
    assert not at.exception
    assert "not available offline" in at.error[0].value and "mnist5k → digits" in at.error[0].value
    assert at.button(key="transfer_run")  # the form is still there to fix the choice

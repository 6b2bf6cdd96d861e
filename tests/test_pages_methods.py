"""Methods page: a card per method and scheme with its formula in both languages, and a small
comparison run whose table and chart show exactly the measured numbers."""
import json
from pathlib import Path

import pytest
from conftest import finish

from kdapp.i18n import text
from kdcore import methods, readout, registry, schemes


def test_strings_cover_every_method_scheme_and_hyper_parameter():
    table = json.loads((Path(__file__).parents[1] / "kdapp" / "strings" / "methods.json").read_text(encoding="utf-8"))
    chinese_docs = json.loads((Path(__file__).parents[1] / "kdapp" / "hyper_zh.json").read_text(encoding="utf-8"))
    for name, cls in registry.ENTRIES.items():
        for key in (f"m_{name}_name", f"m_{name}_intuition"):
            assert table[key]["en"] and table[key]["zh"], key
        assert cls.paper and cls.formula_tex, name  # language-neutral, declared on the class
        for key, rule in cls.hyper.items():
            assert rule.doc and chinese_docs.get(rule.doc), (name, key)


def test_cards_show_every_method_and_scheme_with_formula(app_page):
    at = app_page("methods.py")
    formulas = [element.value for element in at.latex]
    entries = [*methods.METHODS, *schemes.SCHEMES]
    page_text = " ".join(m.value for m in at.markdown)
    for entry in entries:
        assert text(f"methods.m_{entry}_name") in page_text
        assert any(registry.get(entry).formula_tex in f for f in formulas), entry
    assert at.number_input(key="methods_h_at_beta").value == 1000  # attention transfer's default, from its hyper
    assert at.number_input(key="methods_h_crd_dim").value == 128 and at.number_input(key="methods_h_crd_dim").step == 1
    assert at.multiselect(key="methods_choice").value[0] == "kd"


def test_page_in_chinese(app_page):
    at = app_page("methods.py", lang="zh")
    assert at.title[0].value == "蒸馏方法"
    assert not at.exception


def test_comparison_run_shows_measured_numbers(app_page):
    at = app_page("methods.py")
    at.selectbox(key="methods_dataset").set_value("digits")
    at.multiselect(key="methods_choice").set_value(["kd", "nst"])
    at.slider(key="methods_epochs").set_value(2)
    at.number_input(key="methods_h_kd_temperature").set_value(2.0)
    at.button(key="methods_run").click()
    at.run()
    finish(at, "methods")
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    result = at.session_state["methods_result"]
    assert [row["method"] for row in result["results"]] == ["hard", "kd", "nst"]
    assert result["config"]["hyper"] == (("kd", "temperature", 2.0),)  # the card's input reached the run
    table = at.dataframe[0].value
    assert list(table.iloc[:, 0]) == [text("methods.m_hard_name"), text("methods.m_kd_name"), text("methods.m_nst_name")]
    assert table.iloc[1, 1] == f"{100 * result['results'][1]['mean']:.2f} %"
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    bars = spec["data"][0]["y"]
    assert bars == pytest.approx([100 * row["mean"] for row in result["results"]])
    verdicts = readout.against_baseline(result["results"], result["test_set"]["n"])
    said = at.info[0].value
    assert all(text(f"methods.m_{v['method']}_name") + f" ({v['gain_points']:+.1f})" in said for v in verdicts)
    assert "One seed" in at.warning[0].value  # one seed cannot tell: the page says so


def test_incompatible_pair_is_explained(app_page):
    at = app_page("methods.py")
    at.selectbox(key="methods_dataset").set_value("digits")
    at.multiselect(key="methods_choice").set_value(["at"])  # the default student is the MLP
    at.button(key="methods_run").click()
    at.run()
    finish(at, "methods")  # refused before anything trains, in the background run
    assert not at.exception
    assert "cnn" in at.error[0].value and "spatial" in at.error[0].value


@pytest.mark.browser
def test_browser_cards_and_comparison(page, app_url):
    from conftest import screenshot, scroll_to, wait_idle

    page.goto(app_url + "/methods")
    page.get_by_text("Attention transfer (AT)").first.wait_for(timeout=120_000)
    wait_idle(page)
    screenshot(page, "methods_cards")
    option = page.get_by_role("option", name="UCI digits 8×8 (offline)", exact=True)  # a fast comparison
    for _ in range(5):  # the first click can land while the widget is still re-rendering
        page.get_by_test_id("stSelectbox").filter(has_text="Dataset").locator("input").click()
        if option.is_visible() or (page.wait_for_timeout(1000) or option.is_visible()):
            break
    option.click()
    page.get_by_role("button", name="Run comparison").click()
    page.get_by_text("Results", exact=True).wait_for(timeout=240_000)
    wait_idle(page, 240_000)
    scroll_to(page.get_by_text("Results", exact=True))
    screenshot(page, "methods_results")
    scroll_to(page.get_by_text("Seconds per run").last)
    screenshot(page, "methods_chart")
    assert page.get_by_text("Deep mutual learning (DML)").count() >= 2  # card and table/chart

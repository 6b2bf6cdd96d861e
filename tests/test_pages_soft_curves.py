"""Soft Labels and Transfer Curves pages: AppTest with links (query parameters), live runs, exports,
both languages; a real browser that moves the T slider and sees the bars change."""
import json

import pytest
import torch
from conftest import ROOT, finish, screenshot, wait_idle

from kdcore import readout, soft
from kdcore.data import load
from kdcore.teacher import TeacherConfig, get_teacher

torch.set_num_threads(1)


def open_with_link(page: str, query: dict, lang: str = "en"):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
    at.session_state["lang"] = lang
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"pages/{page}")
    at.run()
    assert not at.exception, at.exception
    return at


def bars(at) -> list[list[float]]:
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return [trace["y"] for trace in spec["data"]]


def test_soft_labels_follow_the_link_and_the_t_slider():
    at = open_with_link("soft_labels.py", {"dataset": "digits", "T": "2", "images": "5,7", "T2": "x", "log": "perhaps"})
    notice = " ".join(w.value for w in at.warning)
    assert "“T2” is not a setting" in notice and "“log=perhaps” has the wrong type" in notice
    assert at.slider(key="soft_T").value == 2.0 and at.multiselect(key="soft_images").value == [5, 7]
    logits = get_teacher(TeacherConfig(), load("digits")).test_logits  # the page's teacher, from the disk cache
    assert torch.allclose(torch.tensor(bars(at)), soft.soften(logits[[5, 7]], 2.0), atol=1e-6)

    at.slider(key="soft_T").set_value(12.0).run()
    assert torch.allclose(torch.tensor(bars(at)), soft.soften(logits[[5, 7]], 12.0), atol=1e-6)
    assert at.query_params["T"] == "12" and at.query_params["images"] == "5,7"
    assert "log" not in "".join(w.value for w in at.warning)  # the notice was shown once
    assert any("an average" in m.value for m in at.markdown)  # look-alikes spelled out
    labels = [d.proto.label for d in at.get("download_button")]
    assert labels == ["Results (CSV)", "Chart (interactive HTML)"]


def test_curves_sweep_and_omitted_digit_run_live_from_a_link():
    at = open_with_link("curves.py", {"dataset": "digits", "epochs": "1", "values": "1,8", "seeds": "0",
                                      "digit": "4", "omit_seeds": "0", "alpha": "0.37"})
    assert "“alpha=0.37” is out of range" in " ".join(w.value for w in at.warning)
    at.button(key="curves_run").click().run()
    finish(at, "curves")
    assert not at.exception and not at.error
    assert at.success and "Finished" in at.success[0].value
    table = at.dataframe[0].value
    assert list(table["temperature"]) == [1.0, 8.0] and table["kd_mean"].between(0, 1).all()
    sweep = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert [round(y, 6) for y in sweep["data"][-1]["y"]] == [round(100 * v, 6) for v in table["kd_mean"]]
    shape = readout.sweep(at.session_state["curves_sweep"].points, at.session_state["curves_sweep"].baseline_points, 797)
    said = at.info[0].value
    assert f"{shape['range_points']:.1f} points" in said and f"{shape['best_gain_points']:+.1f} points" in said
    assert "One seed" in at.warning[-1].value

    at.button(key="omit_run").click().run()
    finish(at, "omit")
    assert not at.exception and not at.error
    values = [m.value for m in at.metric]
    assert values[0] == "0.0%"  # the hard-label student never names the digit it never saw
    assert at.query_params["digit"] == "4"


@pytest.mark.parametrize("page", ["soft_labels.py", "curves.py"])
def test_pages_render_in_chinese(page):
    at = open_with_link(page, {"dataset": "digits"}, lang="zh")
    assert at.title[0].value in ("软标签：教师模型知道什么", "迁移曲线：蒸馏为什么有效")


@pytest.mark.browser
def test_browser_t_slider_changes_the_bars(page, app_url):
    page.goto(app_url + "/soft_labels?dataset=digits&T=2&images=3,4,5")
    page.wait_for_selector("text=Teacher probabilities at T = 2", timeout=240_000)
    wait_idle(page)
    read = "() => document.querySelectorAll('.js-plotly-plot')[0].data.map(trace => Array.from(trace.y))"
    plotted = "() => { const p = document.querySelectorAll('.js-plotly-plot')[0]; return !!(p && p.data && p.data.length === 3); }"
    page.wait_for_function(plotted, timeout=60_000)  # the div exists before plotly has drawn into it
    before = page.evaluate(read)
    slider = page.locator("[data-testid='stSlider'] input[type='range']").first
    slider.focus()
    slider.press("End")  # T = 20
    page.wait_for_selector("text=Teacher probabilities at T = 20", timeout=60_000)
    # the chart re-renders after the heading: wait until the first image's top bar has come down
    page.wait_for_function("(top) => { const p = document.querySelectorAll('.js-plotly-plot')[0];"
                           " return !!(p && p.data) && Math.max(...p.data[0].y) < top - 0.01; }",
                           arg=max(before[0]), timeout=60_000)
    wait_idle(page)
    page.wait_for_function(plotted, timeout=60_000)
    after = page.evaluate(read)
    assert len(after) == len(before) == 3
    assert max(after[0]) < max(before[0])  # softer: the top probability falls as T rises
    assert "T=20" in page.url
    screenshot(page, "soft_labels_T20")

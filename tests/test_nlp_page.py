"""The NLP page in AppTest: a tiny run end to end, the T slider, bad prompts, both languages."""
import json
import math

import pytest
from conftest import finish
from test_nlp_core import one_thread  # noqa: F401 (autouse fixture)

from kdcore import readout

TINY_RUN = {"nlp_max_chars": 20_000, "nlp_teacher_steps": 20, "nlp_student_steps": 10}


def run_tiny(at, methods=("forward-kl", "reverse-kl", "sequence")):
    for key, value in TINY_RUN.items():
        at.session_state[key] = value  # hidden in the "More settings" expander
    at.multiselect(key="nlp_methods").set_value(list(methods))
    at.button(key="nlp_run").click()
    at.run()
    assert not at.exception, at.exception
    return finish(at, "nlp")


def chart(at, key):
    return next(json.loads(c.proto.spec) for c in at.get("plotly_chart") if key in c.proto.id)


def test_tiny_run_draws_curves_table_distributions_and_samples(app_page):
    at = run_tiny(app_page("nlp.py"))
    assert not at.error, [e.value for e in at.error]
    curves = chart(at, "nlp_curves_chart")["data"]
    assert {trace["name"] for trace in curves} == {"Teacher", "Student from scratch", "Student, forward KL",
                                                   "Student, reverse KL", "Student, sequence-level"}
    assert all(0 < y < 8 for trace in curves for y in trace["y"])  # bpc of a barely trained model, < log2 V ≈ 6.7
    table = at.dataframe[0].value
    assert len(table) == 5 and int(table["parameters"][0].replace(",", "")) > 10 * int(table["parameters"][1].replace(",", ""))
    bars = chart(at, "nlp_next_chart")["data"]
    assert len(bars) == 5 and all(len(trace["y"]) == 10 for trace in bars)
    teacher_bars = bars[0]["y"]
    assert teacher_bars == sorted(teacher_bars, reverse=True) and sum(teacher_bars) <= 1 + 1e-6
    assert len(at.code) == 5 and all(len(block.value) > 200 for block in at.code)  # prompt + 200 written
    assert any("closing" in box.value for box in at.info)
    says_numbers(at)


def says_numbers(at):
    """The readout names every distilled student with its measured change against scratch under the
    sentence of its verdict, ranks the best against the runner-up, and warns of the single seed."""
    models = at.session_state["nlp_result"]["summary"]["models"]
    assert all(m["val_windows"] >= 2 and m["val_window_sd"] > 0 for p, m in models.items() if p != "teacher")
    said = readout.students(models)
    box = next(b.value for b in at.info if b.value.startswith("The teacher scores"))
    opening = {"gain": "Better than the student from scratch, beyond noise", "loss": "Worse than the student from scratch",
               "noise": "Within noise of the student from scratch"}
    sentences = box.split("\n\n")
    for entry in said["against_scratch"]:
        name = {"forward-kl": "forward KL", "reverse-kl": "reverse KL", "sequence": "sequence-level"}[entry["method"]]
        sentence = next(s for s in sentences if s.startswith(opening[entry["verdict"]]))
        assert f"Student, {name} ({-entry['lower_bpc']:+.3f} bpc)" in sentence
    assert f"{said['lead']['lower_bpc']:.3f} bpc below the runner-up" in box
    assert f"twice the noise: {2 * said['lead']['noise_bpc']:.3f} bpc" in box
    assert any(f"({models['scratch']['val_windows']} windows of 64 characters)" in w.value for w in at.warning)


def test_temperature_slider_reshapes_the_distribution_and_bad_prompt_is_explained(app_page):
    at = run_tiny(app_page("nlp.py"), methods=("forward-kl",))
    at.slider(key="nlp_sample_temperature").set_value(0.5).run()
    cold = chart(at, "nlp_next_chart")["data"][0]["y"]
    at.slider(key="nlp_sample_temperature").set_value(2.0).run()
    hot = chart(at, "nlp_next_chart")["data"][0]["y"]
    assert max(cold) > max(hot)
    # softmax(z/T): log(p1/p2) = (z1 − z2)/T, so T·log(p1/p2) is the same at both temperatures.
    assert 0.5 * math.log(cold[0] / cold[4]) == pytest.approx(2.0 * math.log(hot[0] / hot[4]), rel=1e-3)
    at.text_input(key="nlp_prompt").set_value("漢字").run()
    assert not at.exception and any("never saw" in e.value for e in at.error)
    assert at.dataframe, "finished results survive a rerun"


def test_missing_upload_and_offline_shakespeare_give_clear_errors(app_page):
    at = app_page("nlp.py")
    at.radio(key="nlp_corpus").set_value("upload")
    at.button(key="nlp_run").click().run()
    assert any("upload" in e.value for e in at.error) and not at.exception
    at.radio(key="nlp_corpus").set_value("shakespeare")
    at.button(key="nlp_run").click().run()
    assert any("KDLAB_OFFLINE" in e.value for e in at.error)


@pytest.mark.parametrize("lang", ["zh"])
def test_page_opens_in_chinese(app_page, lang):
    at = app_page("nlp.py", lang=lang)
    assert "字符级" in at.title[0].value and at.button(key="nlp_run").label == "开始训练"


def test_readout_in_chinese(app_page):
    at = run_tiny(app_page("nlp.py"), methods=("forward-kl",))
    at.session_state["lang"] = "zh"
    at.run()
    assert any(b.value.startswith("教师为") and "从零训练学生" in b.value for b in at.info)
    assert any("只有一个随机种子" in w.value for w in at.warning)

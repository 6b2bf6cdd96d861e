"""Reloads in AppTest: a reload is a new session of the same browser (the same view token, as its
cookie would give). A finished Lab run, a Knowledge transfer comparison, a coding draft and a mock
interview come back; another browser's session and a corrupt saved view show nothing of them, and
never crash."""
from pathlib import Path

import pytest
import torch
from streamlit.testing.v1 import AppTest

from kdapp.i18n import text
from kdcore import lab, saved
from kdcore.config import RunConfig
from kdcore.data import TestSet
from kdcore.teacher import Teacher
from kdcore.transfer import (
    TransferConfig,
    TransferResult,
    load_pair,
    runner,
    strategies,
)

APP = str(Path(__file__).resolve().parents[1] / "app.py")
MINE, OTHER = "m" * 32, "o" * 32


@pytest.fixture(autouse=True)
def fresh_user(tmp_path, monkeypatch):
    monkeypatch.setenv("KDLAB_USER_DIR", str(tmp_path))


def browser(token: str, page: str, **state) -> AppTest:
    """A new session (a reload) of the browser holding `token`, on `page`."""
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["keep_token"] = token
    for key, value in state.items():
        at.session_state[key] = value
    at.run()
    at.switch_page(f"pages/{page}")
    at.run()
    assert not at.exception, at.exception
    return at


def texts(elements) -> str:
    return " ".join(str(e.value) for e in elements)


def a_lab_result() -> lab.LabResult:
    teacher = Teacher(None, torch.empty(0), torch.randn(1000, 10), 0.975, 3.0, True,
                      [{"phase": "teacher", "seed": None, "epoch": 1, "accuracy": 0.97}])
    profile = {"params": 25_450, "flops": 50_000, "latency_ms": 0.02}
    return lab.LabResult(RunConfig(), TestSet("held-out", "mnist5k digits", 1000), teacher,
                         {"params": 206_922, "flops": 2e7, "latency_ms": 0.4}, profile,
                         [{"seed": 0, "labelled": 400, "baseline_accuracy": 0.8512, "kd_accuracy": 0.9034,
                           "baseline_agreement": 0.85, "kd_agreement": 0.91}],
                         [{"phase": "kd", "seed": 0, "epoch": 1, "accuracy": 0.9}], {"w": torch.ones(3)}, 5.0)


def test_a_finished_lab_run_survives_a_reload_and_stays_private():
    saved.SavedViews(MINE).save("lab", {"runs": [lab.to_state(a_lab_result())]})
    at = browser(MINE, "lab.py")
    assert "90.34 %" in [m.value for m in at.metric] and "85.12 %" in [m.value for m in at.metric]
    other = browser(OTHER, "lab.py")
    assert not other.metric and "90.34" not in texts(other.markdown)
    home = browser(MINE, "home.py")  # "My results": a link to the page that shows them
    assert any(link.label.startswith("Distillation Lab: your last runs") for link in home.get("page_link"))
    assert not any("your last runs" in link.label for link in browser(OTHER, "home.py").get("page_link"))


def a_transfer_result():
    """A finished mnist5k → digits comparison as the runner makes it (untrained weights, measured-looking rows)."""
    config = TransferConfig().with_recipe(False)
    source, target = load_pair(config.source, config.target, size=config.size, align=config.align)
    models = {name: strategies.build(config, source).eval() for name in ("source-only", "model")}
    rows = [{"strategy": "source-only", "k": 0, "mean": 0.6123, "sd": 0.0, "per_seed": [0.6123], "seconds": 1.5},
            {"strategy": "model", "k": 5, "mean": 0.8345, "sd": 0.0, "per_seed": [0.8345], "seconds": 2.5}]
    return TransferResult(config, rows, 0.97, source.test_set, target.test_set, [], models, source, target)


def test_a_finished_transfer_comparison_survives_a_reload_and_is_listed_at_home():
    result = a_transfer_result()
    saved.SavedViews(MINE).save("transfer", runner.to_state(result))
    at = browser(MINE, "transfer.py")
    table = at.dataframe[0].value
    assert list(table.iloc[:, 2]) == [61.2, 83.5]  # the saved accuracies, in %
    back = at.session_state["transfer_result"]
    weights = result.models["model"].state_dict()
    assert all(torch.equal(v, weights[k]) for k, v in back.models["model"].state_dict().items())
    assert len(at.get("plotly_chart")) == 3  # accuracy vs k, feature view before and after
    assert not browser(OTHER, "transfer.py").dataframe
    home = browser(MINE, "home.py")
    assert any(link.label.startswith("Knowledge transfer: your last comparison") for link in home.get("page_link"))


def test_a_saved_transfer_run_on_other_data_is_skipped():
    state = runner.to_state(a_transfer_result())
    saved.SavedViews(MINE).save("transfer", {**state, "fingerprints": ["0" * 16, "1" * 16]})
    at = browser(MINE, "transfer.py")
    assert "could not be read back" in texts(at.error) and not at.dataframe


def test_a_corrupt_saved_run_is_skipped_with_a_notice():
    views = saved.SavedViews(MINE)
    views.save("lab", {"runs": [{"config": "not a config"}]})
    at = browser(MINE, "lab.py")
    assert "could not be read back and was skipped" in texts(at.error) and not at.metric
    views.folder.joinpath("lab.pt").write_bytes(b"\x00garbage")
    at = browser(MINE, "lab.py")
    assert "could not be read back" in texts(at.error)
    assert browser(MINE, "lab.py").error == []  # removed: the next reload is clean


def test_a_coding_draft_survives_another_page_and_a_reload():
    at = browser(MINE, "coding.py")
    draft = "def soft_targets(logits, T):\n    return (logits / T).softmax(-1)\n"
    at.session_state["coding_saved"] = {"drafts": {"1_simple_distillation": draft}, "attempts": {}}
    at.run()
    at.switch_page("pages/lab.py").run()
    at.switch_page("pages/coding.py").run()
    assert at.session_state["coding_saved"]["drafts"]["1_simple_distillation"] == draft
    saved.SavedViews(MINE).save("coding", at.session_state["coding_saved"])  # as the editor's change saves it
    again = browser(MINE, "coding.py")
    assert again.session_state["coding_saved"]["drafts"]["1_simple_distillation"] == draft
    assert browser(OTHER, "coding.py").session_state["coding_saved"]["drafts"] == {}


def test_a_mock_interview_in_progress_survives_a_reload():
    at = browser(MINE, "drills.py", drill_mode="mock")
    at.button[0].click().run()  # the setup form's Start
    interview = at.session_state["mock"]
    assert interview.finished is None
    again = browser(MINE, "drills.py", drill_mode="mock")
    assert again.session_state["mock"].question_ids == interview.question_ids
    assert "⏱" in texts(again.markdown)
    assert "mock" not in browser(OTHER, "drills.py", drill_mode="mock").session_state


@pytest.mark.parametrize("page, query, key, value", [("drills.py", {"mode": "mock"}, "drill_mode", "mock"),
                                                     ("coding.py", {"exercise": "6_hint_loss"}, "coding_exercise", "6_hint_loss")])
def test_a_link_opens_the_same_view_and_language(page, query, key, value):
    at = AppTest.from_file(APP, default_timeout=120)
    for name, wanted in {**query, "lang": "zh"}.items():
        at.query_params[name] = wanted
    at.run()
    at.switch_page(f"pages/{page}")
    for name, wanted in {**query, "lang": "zh"}.items():
        at.query_params[name] = wanted
    at.run()
    assert not at.exception, at.exception
    widget = at.radio(key=key) if page == "coding.py" else at.get("button_group")[0]
    assert widget.value == value
    assert at.title[0].value == text(f"{page[:-3]}.title", "zh")  # in Chinese
    assert at.query_params[next(iter(query))] == value  # and the address keeps it


def test_a_full_disk_is_reported_and_the_page_goes_on(monkeypatch):
    def refuse(self, name, data):
        raise OSError(28, "No space left on device")

    at = browser(MINE, "coding.py")
    monkeypatch.setattr(saved.SavedViews, "save", refuse)
    at.button(key="coding_reset").click().run()  # resetting the draft saves it: that fails
    assert not at.exception and "could not be saved for a reload ([Errno 28] No space left on device)" in texts(at.error)
    assert at.button(key="coding_submit") is not None  # the page is all there

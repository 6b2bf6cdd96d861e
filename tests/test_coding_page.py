"""AppTest runs of the Coding drills page on a toy exercise (a real sandboxed run takes a second or two):
visible examples, hints, the reference's lock, messages in the page's language, and the history.

AppTest has no server address, which the page treats as a server others can reach: it runs learner
code only inside the bubblewrap jail, so the tests that run code skip where bwrap cannot start."""
from dataclasses import replace

import pytest

from test_drills_grader import TOY
from test_drills_pages import fresh_progress, texts  # noqa: F401 (fresh_progress is an autouse fixture)

from kdcore.drills import grader, sandbox
from kdcore.drills.store import ProgressStore

needs_jail = pytest.mark.skipif(not sandbox.jail_available(),
                                reason="bubblewrap (bwrap) is absent or cannot create namespaces here")

WRONG = "def double(x):\n    return x + 2\n"


def open_coding(app_page, monkeypatch, code: str, lang: str = "en", exercise=TOY):
    monkeypatch.setenv("KDLAB_ALLOW_CODE", "1")
    monkeypatch.setattr(grader, "load_exercises", lambda: (exercise,))
    at = app_page("coding.py", lang=lang)
    at.session_state["coding_saved"] = {"drafts": {"toy": code}, "attempts": {}}
    return at


@needs_jail
def test_run_examples_shows_expected_and_got_and_records_nothing(app_page, monkeypatch):
    at = open_coding(app_page, monkeypatch, WRONG)
    assert "Expected: `42`" in texts(at.markdown) and "Got:" not in texts(at.markdown)
    at.button(key="coding_run_examples").click().run()
    assert not at.exception, at.exception
    shown = texts(at.markdown)
    assert "Expected: `42`" in shown and "❌ Got: `23`" in shown and "✅ Got: `4`" in shown
    assert "1 of 2 examples give the expected result" in texts(at.caption)
    assert at.session_state["coding_saved"]["attempts"] == {} and ProgressStore().scores("coding:") == []


def test_hints_open_one_at_a_time(app_page, monkeypatch):
    at = open_coding(app_page, monkeypatch, WRONG)
    assert not at.info or "Hint" not in texts(at.info)
    at.button(key="coding_show_hint").click().run()
    assert "Hint 1 of 2." in texts(at.info) and "Hint 2 of 2." not in texts(at.info)
    assert at.button(key="coding_show_hint").label == "Show hint 2 of 2"
    at.button(key="coding_show_hint").click().run()
    assert "Doubling is adding" in texts(at.info) and "Multiplication does it" in texts(at.info)
    assert not [b for b in at.button if b.key == "coding_show_hint"]  # no hint left to open


def reference_open(at) -> bool:
    return "Reference solution" in [e.label for e in at.expander]


def submit(at, code: str):
    at.session_state["coding_saved"] = {**at.session_state["coding_saved"], "drafts": {"toy": code}}
    at.button(key="coding_submit").click().run()
    assert not at.exception, at.exception
    return at


@needs_jail
def test_reference_stays_locked_until_a_real_attempt(app_page, monkeypatch):
    starter = "def double(x):\n    raise NotImplementedError\n"
    at = open_coding(app_page, monkeypatch, starter, exercise=replace(TOY, starter=starter))
    assert not reference_open(at) and "opens after your first real submission" in texts(at.caption)
    at.session_state["coding_saved"] = {**at.session_state["coding_saved"], "drafts": {"toy": WRONG}}
    at.button(key="coding_run_examples").click().run()
    assert not reference_open(at)  # examples are not an attempt
    assert not reference_open(submit(at, starter + "\n\n"))  # the starter code, whitespace aside
    assert not reference_open(submit(at, "def double(x) return 2x\n"))  # stopped at import: never ran
    assert reference_open(submit(at, WRONG))  # own code that ran, even though it fails


@needs_jail
def test_a_failing_check_is_worded_in_chinese(app_page, monkeypatch):
    # AppTest reads a radio's choice back through str(), so the exercise's title must be its id here
    at = open_coding(app_page, monkeypatch, WRONG, lang="zh", exercise=replace(TOY, title={"en": "toy", "zh": "toy"}))
    submit(at, WRONG)
    messages = [c.value for c in at.code]
    assert "double(21) 应为 42，实际为 23" in messages and "有一项检查未通过" in messages
    at.button(key="coding_run_examples").click().run()
    assert "期望：`42`" in texts(at.markdown) and "❌ 实际：`23`" in texts(at.markdown)


def test_a_check_the_catalogue_cannot_word_reads_as_data():
    from kdapp import coding_view

    made_up = grader.TestOutcome("test_x", False, "no_such_key", {"got": 1}, None, 0.1)
    unfit = grader.TestOutcome("test_x", False, "loss_value", {"got": "text"}, {"line": 1}, 0.1)
    assert coding_view.message(made_up, "zh") == 'no_such_key: {"got": 1}'
    assert coding_view.message(unfit, "en") == 'loss_value: {"got": "text"}'


@needs_jail
def test_my_progress_lists_each_exercises_submissions(app_page, monkeypatch):
    at = app_page("progress.py")
    assert "No coding submission yet" in texts(at.caption)
    at = open_coding(app_page, monkeypatch, WRONG)
    submit(at, WRONG)
    at.button(key="coding_run_examples").click().run()  # not a submission
    submit(at, "def double(x):\n    return 2 * x\n")
    at.switch_page("pages/progress.py").run()
    assert not at.exception, at.exception
    assert "toy — 2 submission(s), best 2 / 2 checks" in [e.label for e in at.expander]
    table = next(frame.value for frame in at.dataframe if "Checks passed" in frame.value.columns)
    assert list(table["Checks passed"]) == ["2 / 2", "0 / 2"]  # newest first
    assert list(table["Result"]) == ["All hidden tests passed", "Some tests failed"]
    assert all(len(when) == 16 for when in table["Submitted"])


def test_history_groups_the_stores_coding_scores_by_exercise():
    from kdcore.drills import attempts

    scores = [{"kind": "coding:a", "score": 1.0, "total": 3.0, "detail": {"status": "failed"}, "at": "2026-01-01T10:00:00+00:00"},
              {"kind": "mock", "score": 5.0, "total": 10.0, "detail": {}, "at": "2026-01-01T11:00:00+00:00"},
              {"kind": "coding:a", "score": 3.0, "total": 3.0, "detail": [], "at": "2026-01-02T10:00:00+00:00"}]
    assert attempts.history(scores) == {"a": [
        {"at": "2026-01-01T10:00:00+00:00", "passed": 1, "total": 3, "status": "failed"},
        {"at": "2026-01-02T10:00:00+00:00", "passed": 3, "total": 3, "status": ""}]}


@needs_jail
def test_an_example_that_raises_shows_the_error_in_place_of_a_result(app_page, monkeypatch):
    at = open_coding(app_page, monkeypatch, "def double(x):\n    raise NotImplementedError\n")
    at.button(key="coding_run_examples").click().run()
    assert texts(at.markdown).count("❌ Got an error instead of a result:") == 2
    assert any(c.value.startswith("not implemented yet") and "line 2 in double" in c.value for c in at.code)
    assert "0 of 2 examples give the expected result" in texts(at.caption)

"""AppTest runs of the Coding drills page on a toy exercise (a real sandboxed run takes a second or two):
visible examples, hints, the reference's lock, messages in the page's language, and the history."""
from test_drills_grader import TOY
from test_drills_pages import fresh_progress, texts  # noqa: F401 (fresh_progress is an autouse fixture)

from kdcore.drills import grader
from kdcore.drills.store import ProgressStore

WRONG = "def double(x):\n    return x + 2\n"


def open_coding(app_page, monkeypatch, code: str, lang: str = "en"):
    monkeypatch.setenv("KDLAB_ALLOW_CODE", "1")
    monkeypatch.setattr(grader, "load_exercises", lambda: (TOY,))
    at = app_page("coding.py", lang=lang)
    at.session_state["coding_saved"] = {"drafts": {"toy": code}, "attempts": {}}
    return at


def test_run_examples_shows_expected_and_got_and_records_nothing(app_page, monkeypatch):
    at = open_coding(app_page, monkeypatch, WRONG)
    assert "Expected: `42`" in texts(at.markdown) and "Got:" not in texts(at.markdown)
    at.button(key="coding_run_examples").click().run()
    assert not at.exception, at.exception
    shown = texts(at.markdown)
    assert "Expected: `42`" in shown and "❌ Got: `23`" in shown and "✅ Got: `4`" in shown
    assert "1 of 2 examples give the expected result" in texts(at.caption)
    assert at.session_state["coding_saved"]["attempts"] == {} and ProgressStore().scores("coding:") == []

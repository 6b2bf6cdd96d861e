"""AppTest runs of the drill, coding and progress pages, driving each mode like a learner would."""
import pytest

from kdcore.drills import sandbox
from kdcore.drills.bank import default_bank
from kdcore.drills.store import ProgressStore

BY_ID = {q.id: q for q in default_bank()}


@pytest.fixture(autouse=True)
def fresh_progress(tmp_path, monkeypatch):
    """Each test starts with empty progress of its own."""
    monkeypatch.setenv("KDLAB_USER_DIR", str(tmp_path))
    return tmp_path


def open_drills(app_page, mode):
    at = app_page("drills.py")
    at.session_state["drill_mode"] = mode
    at.run()
    assert not at.exception, at.exception
    return at


def texts(elements):
    return " ".join(str(e.value) for e in elements)


def test_flashcard_good_review_is_scheduled_and_saved(app_page):
    at = open_drills(app_page, "flashcards")
    total = len(BY_ID)
    assert f"{total} of {total} cards are due" in texts(at.caption)
    assert "What is model distillation?" in texts(at.markdown)  # source questions come first
    at.button(key="flash_show").click().run()
    assert "Model answer" in texts(at.markdown) and "student matches the teacher" in texts(at.markdown)
    at.button(key="flash_good").click().run()
    assert not at.exception
    assert f"{total - 1} of {total} cards are due" in texts(at.caption)
    card = ProgressStore().card("src-01")
    assert card.last_review is not None and card.due > card.last_review


def test_multiple_choice_grades_and_keeps_score(app_page):
    at = open_drills(app_page, "choice")
    assert "Score this session: 0 / 0" in texts(at.markdown)
    question = BY_ID[at.session_state["mc_current"]]
    at.radio(key=f"mc_pick_{question.id}").set_value(question.choice["answer"])
    at.button(key="mc_submit").click().run()
    assert [s.value for s in at.success] == ["Correct!"]
    assert question.choice["en"]["explanation"] in texts(at.info)
    assert "Score this session: 1 / 1" in texts(at.markdown)
    at.button(key="mc_next").click().run()
    second = BY_ID[at.session_state["mc_current"]]
    assert second.id != question.id
    wrong = (second.choice["answer"] + 1) % len(second.choice["en"]["options"])
    at.radio(key=f"mc_pick_{second.id}").set_value(wrong)
    at.button(key="mc_submit").click().run()
    assert "The right answer" in texts(at.error) and "Score this session: 1 / 2" in texts(at.markdown)
    assert [r["score"] for r in ProgressStore().reviews()] == [1.0, 0.0]


def test_multiple_choice_without_a_pick_asks_for_one(app_page):
    at = open_drills(app_page, "choice")
    at.button(key="mc_submit").click().run()
    assert "Choose an option first." in texts(at.warning) and not ProgressStore().reviews()


def test_key_point_self_check(app_page):
    at = open_drills(app_page, "selfcheck")
    question = BY_ID[at.session_state["sc_current"]]
    at.button(key="sc_check").click().run()
    assert "Your answer is empty" in texts(at.warning)
    at.text_area(key=f"sc_text_{question.id}").input("Soft labels from a teacher, softened by T.")
    at.button(key="sc_check").click().run()
    points = question.points("en")
    at.checkbox(key=f"sc_pt_{question.id}_0").check()
    at.checkbox(key=f"sc_pt_{question.id}_1").check()
    at.button(key="sc_record").click().run()
    assert f"You covered 2 of {len(points)} key points" in texts(at.success)
    review = ProgressStore().reviews()[0]
    assert review["mode"] == "selfcheck" and review["score"] == pytest.approx(2 / len(points))


def test_chinese_content_and_source_filter(app_page):
    at = app_page("drills.py", lang="zh")
    at.session_state["drill_source_only"] = True
    at.run()
    assert "什么是模型蒸馏？" in texts(at.markdown) and "9 张卡片中有 9 张待复习" in texts(at.caption)


def test_mock_interview_ends_with_a_score_report(app_page):
    at = open_drills(app_page, "mock")
    at.number_input(key="mock_n").set_value(2)
    at.button[0].click().run()  # the form's start button
    interview = at.session_state["mock"]
    for position, qid in enumerate(interview.question_ids, start=1):  # like an interview: feedback comes at the end
        question, prefix = BY_ID[qid], f"mock{position}"
        if question.choice:
            at.radio(key=f"{prefix}_pick_{qid}").set_value(question.choice["answer"])
            at.button(key=f"{prefix}_submit").click().run()
        else:
            at.text_area(key=f"{prefix}_text_{qid}").input("my answer")
            at.button(key=f"{prefix}_check").click().run()
            for i in range(len(question.points("en"))):
                at.checkbox(key=f"{prefix}_pt_{qid}_{i}").check()
            at.button(key=f"{prefix}_record").click().run()
    assert not at.exception, at.exception
    assert "Score report" in texts(at.subheader)
    assert at.metric[0].value == "2.0 / 2"
    assert len(at.get("plotly_chart")) == 1
    assert ProgressStore().scores("mock")[0]["score"] == 2.0


def test_progress_dashboard_and_reset(app_page):
    store = ProgressStore()
    for qid, correct in [("src-01", True), ("loss-01", False)]:
        store.record(qid, "choice", "good" if correct else "again", float(correct))
    store.add_score("mock", 1, 2, {})
    at = app_page("progress.py")
    values = {m.label: m.value for m in at.metric}
    assert values["Answers"] == "2" and values["Streak"] == "1 days" and values["Questions seen"] == f"2 / {len(BY_ID)}"
    assert len(at.get("plotly_chart")) == 4  # mastery, history, predicted retention, mock interviews
    assert at.button(key="progress_reset").disabled
    at.checkbox(key="progress_reset_confirm").check().run()
    at.button(key="progress_reset").click().run()
    assert "All progress was deleted." in texts(at.success)
    assert ProgressStore().counts() == {"cards": 0, "reviews": 0, "scores": 0}


def test_coding_page_is_read_only_unless_allowed(app_page, monkeypatch):
    monkeypatch.delenv("KDLAB_ALLOW_CODE", raising=False)
    at = app_page("coding.py")
    assert "Running code is switched off" in texts(at.info)
    assert at.button(key="coding_submit").disabled
    assert at.session_state["coding_saved"]["drafts"] == {}  # the editor holds the starter code; nothing saved yet


@pytest.mark.skipif(not sandbox.jail_available(), reason="bubblewrap (bwrap) is absent or cannot create namespaces here")
def test_coding_page_grades_a_submission(app_page, monkeypatch):
    """A real sandboxed run through the page, on a toy exercise so it takes a second, not a torch import
    (AppTest has no server address, so the page runs code only in the jail)."""
    from test_drills_grader import TOY

    from kdcore.drills import grader

    monkeypatch.setenv("KDLAB_ALLOW_CODE", "1")
    monkeypatch.setattr(grader, "load_exercises", lambda: (TOY,))
    at = app_page("coding.py")
    at.session_state["coding_saved"] = {"drafts": {"toy": "def double(x):\n    return x + 2\n"}, "attempts": {}}
    at.button(key="coding_submit").click().run()
    assert not at.exception, at.exception
    assert "No test passed yet — 0 of 2 checks passed, 2 failed" in texts(at.error)
    assert "double(21) should be 42, got 23" in [c.value for c in at.code]  # the check's key, worded
    assert "Reference solution" in [e.label for e in at.expander]  # own code that ran opens the reference
    at.session_state["coding_saved"] = {**at.session_state["coding_saved"], "drafts": {"toy": "def double(x):\n    return 2 * x\n"}}
    at.button(key="coding_submit").click().run()
    assert "All hidden tests passed — 2 of 2 checks passed, 0 failed" in texts(at.success)
    assert [s["score"] for s in ProgressStore().scores("coding:toy")] == [0, 2]


def test_locked_progress_file_is_reported_not_lost(app_page, monkeypatch):
    import sqlite3

    from kdcore.drills import store as store_module

    monkeypatch.setattr(store_module, "LOCK_TIMEOUT_S", 0.2)
    at = open_drills(app_page, "flashcards")
    at.button(key="flash_show").click().run()
    other = sqlite3.connect(store_module.default_path(), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        at.button(key="flash_good").click().run()
    finally:
        other.execute("ROLLBACK")
    assert not at.exception and "locked by another program" in texts(at.error)
    at.button(key="flash_good").click().run()  # retry once the lock is gone
    assert ProgressStore().card("src-01").last_review is not None


def test_corrupt_progress_file_is_kept_and_reported(app_page, fresh_progress):
    (fresh_progress / "progress.db").write_bytes(b"garbage" * 500)
    at = app_page("progress.py")
    assert "could not be read" in texts(at.warning) and "nothing was deleted" in texts(at.warning)
    assert list(fresh_progress.glob("progress.corrupt-*.db"))


def test_recommender_lesson_says_what_a_demo_needs_and_counts_the_questions(app_page):
    at = app_page("recommender.py")
    assert not at.exception, at.exception
    assert "MovieLens 100K" in texts(at.warning)
    questions = [q for q in BY_ID.values() if q.topic == "recommender"]
    assert f"{len(questions)} interview questions on recommender systems" in texts(at.markdown)

"""AppTest runs of the Course page (every lesson, both languages), the home page's "continue", and the
language and presenter mode carried by the URL."""
import pytest
from conftest import ROOT
from streamlit.testing.v1 import AppTest

from kdapp.i18n import text
from kdcore import course
from kdcore.drills.store import ProgressStore

LESSONS = course.default_course()


@pytest.fixture(autouse=True)
def fresh_progress(tmp_path, monkeypatch):
    """Each test starts with empty progress and no trained teacher of its own."""
    monkeypatch.setenv("KDLAB_USER_DIR", str(tmp_path / "user"))
    monkeypatch.setenv("KDLAB_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path


def app(query: dict | None = None, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    for name, value in (query or {}).items():
        at.query_params[name] = value
    if lang:
        at.session_state["lang"] = lang
    return at


def open_lesson(lesson_id: str, lang: str) -> AppTest:
    at = app({"lesson": lesson_id}, lang)
    at.run()
    at.switch_page("pages/course.py")
    at.run()
    assert not at.exception, at.exception
    return at


def texts(elements) -> str:
    return " ".join(str(e.value) for e in elements)


def answer(at: AppTest, lesson, right: bool = True) -> AppTest:
    for question in lesson.questions:
        options = len(question.choice["en"]["options"])
        pick = question.choice["answer"] if right else (question.choice["answer"] + 1) % options
        at.radio(key=f"course_{question.id}_pick_{question.id}").set_value(pick)
        at.button(key=f"course_{question.id}_submit").click().run()
        assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("lesson", LESSONS, ids=[lesson.id for lesson in LESSONS])
def test_every_lesson_opens_with_its_widget_and_questions(lesson, lang):
    at = open_lesson(lesson.id, lang)
    assert at.title[0].value == lesson.title[lang]
    assert lesson.body[lang].split("\n", 1)[0][:40] in texts(at.markdown)
    assert text("course.try_it", lang) in texts(at.markdown)
    widget_elements = len(at.get("plotly_chart")) + len(at.metric) + len(at.get("arrow_data_frame"))
    assert widget_elements >= 1, "the live widget drew nothing"
    for question in lesson.questions:
        assert at.radio(key=f"course_{question.id}_pick_{question.id}").options == question.choice[lang]["options"]
    assert at.query_params["lang"] == lang and at.query_params["lesson"] == lesson.id
    assert not at.warning, texts(at.warning)  # `lang` in the URL is not "an unknown setting" of the page


def test_without_a_trained_teacher_the_first_lesson_says_its_logits_are_an_example():
    at = open_lesson("distillation", "zh")
    assert text("course.source_example", "zh") in texts(at.caption)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_answering_every_question_finishes_the_lesson_and_home_continues(lang):
    lesson = LESSONS[1]
    at = answer(open_lesson(lesson.id, lang), lesson)
    total = len(lesson.questions)
    assert text("course.finished", lang, right=total, total=total) in texts(at.success)
    store = ProgressStore()
    assert course.progress(LESSONS, store.scores(course.SCORE_KIND)) == {lesson.id: {"right": total, "total": total}}
    assert len(store.reviews()) == total  # each answer is a drill review too (spaced repetition)
    home = app(lang=lang)
    home.run()
    shown = texts(home.markdown)
    assert text("home.course_continue", lang) in shown and "✓" in shown
    assert f"{lesson.title[lang]} ✓" in shown


def test_a_wrong_answer_is_graded_and_the_lesson_can_be_answered_again():
    lesson = LESSONS[0]
    at = answer(open_lesson(lesson.id, "en"), lesson, right=False)
    assert len(at.error) == len(lesson.questions)  # each shows the right answer
    assert text("course.finished", "en", right=0, total=len(lesson.questions)) in texts(at.success)
    at.button(key=f"course_again_{lesson.id}").click().run()
    assert not at.success and at.button(key=f"course_{lesson.questions[0].id}_submit")


def test_next_and_previous_move_through_the_lessons():
    at = open_lesson(LESSONS[0].id, "en")
    at.button(key="course_next").click().run()
    assert at.title[0].value == LESSONS[1].title["en"] and at.query_params["lesson"] == LESSONS[1].id
    at.button(key="course_prev").click().run()
    assert at.title[0].value == LESSONS[0].title["en"]


def test_the_language_and_presenter_mode_come_from_the_url():
    at = app({"lang": "zh", "present": "1"})
    at.run()
    assert not at.exception
    assert at.session_state["lang"] == "zh" and at.session_state["present"] is True
    assert at.title[0].value == text("home.title", "zh")
    assert at.query_params["lang"] == "zh" and at.query_params["present"] == "1"


@pytest.mark.parametrize("query", [{"lang": "xx"}, {"lang": "<b>zh</b>"}, {"present": "yes please"},
                                   {"lesson": "../../etc"}])
def test_hostile_url_values_are_ignored(query):
    at = app(query)
    at.run()
    at.switch_page("pages/course.py")
    at.run()
    assert not at.exception
    assert at.query_params["lang"] == "en" and "present" not in at.query_params
    assert at.title[0].value == LESSONS[0].title["en"]


def test_presenter_mode_draws_the_result_before_the_text():
    at = open_lesson("transfer", "en")
    at.session_state["present"] = True  # the sidebar switch's key
    at.run()
    assert at.query_params["present"] == "1"
    shown = [str(m.value) for m in at.main.markdown]
    try_it = shown.index(f"**{text('course.try_it', 'en')}**")
    body_start = next(i for i, m in enumerate(shown) if m.startswith("**Transfer learning**"))
    assert try_it < body_start
    assert at.expander and at.expander[0].label == text("present.settings", "en")

"""How the Course page draws a lesson: its place in the course, the text, the live widget, the check
questions graded inline (answers go to the learner's progress store like any drill answer, and the
finished lesson is recorded there), and the way on to the full page and the next lesson."""
from pathlib import Path

import streamlit as st

from kdcore import course
from kdcore.drills import scheduler
from kdcore.errors import KDLabError

from . import app_params, drill_widgets, present
from .course_widgets import WIDGETS
from .ui import lang, show_error, t

PAGES_DIR = Path(__file__).resolve().parents[1] / "pages"


def label(lesson, index: int, done: dict, language: str) -> str:
    """ "3 · Knowledge transfer ✓" in `language`."""
    return f"{index + 1} · {lesson.title[language]}" + (" ✓" if lesson.id in done else "")


def page_link(page: str, text: str, icon: str, **query) -> None:
    """A link to another page that keeps the language and presenter mode in its address."""
    if (PAGES_DIR / f"{page}.py").exists():
        st.page_link(f"pages/{page}.py", label=text, icon=icon, query_params={**app_params.query(), **query})


def header(lessons, lesson) -> None:
    index = lessons.index(lesson)
    st.caption(t("course.where", n=index + 1, total=len(lessons), section=t(f"course.section_{lesson.section}")))
    st.title(lesson.title[lang()], anchor=False)


def body(lesson) -> None:
    st.markdown(lesson.body[lang()])


def widget(lesson) -> None:
    with st.container(border=True):
        st.markdown(f"**{t('course.try_it')}**")
        try:
            WIDGETS[lesson.widget]()
        except KDLabError as err:  # the lesson's text and questions stay usable
            show_error(err)


def _answers(lesson) -> list[dict]:
    return [st.session_state.get(f"course_{q.id}_result") for q in lesson.questions]


def questions(lesson, store) -> None:
    """The check questions, graded inline; once all are answered the lesson is recorded as finished."""
    st.subheader(t("course.check"), anchor=False)

    def on_answer(result):
        store.record(result["id"], "choice", scheduler.rating_for_choice(result["correct"]), float(result["correct"]))
        answers = _answers(lesson)
        if all(answers):
            store.add_score(**course.finished_row(lesson, sum(a["correct"] for a in answers)))

    for number, question in enumerate(lesson.questions, 1):
        with st.container(border=True):
            st.markdown(f"**{number}. {question.q(lang())}**")
            try:
                drill_widgets.choice_block(question, lang(), f"course_{question.id}", on_answer)
            except KDLabError as err:  # e.g. the progress file is locked: say so, keep the lesson
                show_error(err)
    answers = _answers(lesson)
    if all(answers):
        st.success(t("course.finished", right=sum(a["correct"] for a in answers), total=len(answers)))
        if st.button(t("course.again"), key=f"course_again_{lesson.id}"):
            for key in [k for k in st.session_state if str(k).startswith(tuple(f"course_{q.id}_" for q in lesson.questions))]:
                del st.session_state[key]
            st.rerun()


def _go(lesson_id: str) -> None:
    """A button callback: it runs before the lesson selector is drawn, so it may set its value."""
    st.session_state["course_lesson"] = lesson_id


def onward(lessons, lesson) -> None:
    """The full page behind the lesson, and buttons to the previous and next lessons."""
    page_link(lesson.page, t("course.full_page", page=t(f"nav.{lesson.page}")), "🔬")
    index = lessons.index(lesson)
    left, _, right = st.columns([1, 2, 1])
    if index > 0:
        left.button(t("course.previous"), key="course_prev", width="stretch", on_click=_go, args=(lessons[index - 1].id,))
    if index < len(lessons) - 1:
        right.button(t("course.next"), key="course_next", type="primary", width="stretch", on_click=_go,
                     args=(lessons[index + 1].id,))
    if index == len(lessons) - 1:
        page_link("drills", t("course.after"), "🎯")


def lesson_page(lessons, lesson, store) -> None:
    """Normally text, widget, questions; in presenter mode the widget (the result) comes first."""
    header(lessons, lesson)
    parts = [widget, body] if present.active() else [body, widget]
    for part in parts:
        part(lesson)
    questions(lesson, store)
    onward(lessons, lesson)

"""Course: the source article walked in order, one short lesson at a time — text, a live widget,
check questions from the bank graded inline, and the full page behind it. Progress is kept with the
learner's drill progress; the lesson shown lives in the URL (`?lesson=transfer`)."""
import streamlit as st

from kdapp import course_view, drill_widgets, share
from kdapp.share import Setting
from kdapp.ui import lang, t
from kdcore import course

lessons = course.default_course()
by_id = {lesson.id: lesson for lesson in lessons}
SCHEMA = {"lesson": Setting("course_lesson", str, lessons[0].id, choices=tuple(by_id))}

share.restore("course", SCHEMA)
store = drill_widgets.open_store()
done = course.progress(lessons, store.scores(course.SCORE_KIND))

top, bar = st.columns([3, 2], vertical_alignment="bottom")
language = lang()  # captured: the label function may be called outside this script run
top.selectbox(t("course.lesson"), list(by_id), key="course_lesson",
              format_func=lambda lesson_id: course_view.label(by_id[lesson_id], list(by_id).index(lesson_id), done, language))
bar.progress(len(done) / len(lessons), text=t("course.progress", done=len(done), total=len(lessons)))

course_view.lesson_page(lessons, by_id[st.session_state["course_lesson"]], store)
share.publish(SCHEMA)

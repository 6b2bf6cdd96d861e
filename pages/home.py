"""Home: what KD Lab is, where to start (or continue) the course, and every page."""
import time
from pathlib import Path

import streamlit as st

from kdapp import course_view, drill_widgets, keep
from kdapp.ui import lang, t
from kdcore import course

st.title(t("home.title"))
st.markdown(t("home.intro1"))

lessons = course.default_course()
rows = drill_widgets.open_store().scores(course.SCORE_KIND)
lesson, state = course.resume(lessons, rows)
done = course.progress(lessons, rows)
with st.container(border=True):
    st.markdown(f"#### 🎓 {t(f'home.course_{state}')}")
    st.markdown(t("home.course_outline", n=len(lessons)))
    st.markdown("\n".join(f"{i}. {item.title[lang()]}" + (" ✓" if item.id in done else "")
                          for i, item in enumerate(lessons, 1)))
    st.progress(len(done) / len(lessons), text=t("course.progress", done=len(done), total=len(lessons)))
    course_view.page_link("course", t("home.course_go", n=lessons.index(lesson) + 1, title=lesson.title[lang()]), "▶️",
                          lesson=lesson.id)

mine = keep.saved_list()
if mine:
    with st.container(border=True):
        st.markdown(f"#### {t('home.saved_title')}")
        st.caption(t("home.saved_help"))
        for name, at in mine:
            page, query, icon = keep.PAGES[name]
            when = time.strftime("%Y-%m-%d %H:%M", time.localtime(at))
            course_view.page_link(page, t(f"home.saved_{name}", when=when), icon, **query)

st.markdown(t("home.intro2"))
PAGES_DIR = Path(__file__).parent
LINKS = [("lab", "🧪"), ("soft_labels", "🌡️"), ("curves", "📈"), ("methods", "🧰"), ("transfer", "🔁"), ("nlp", "🔤"),
         ("drills", "🎯"), ("coding", "💻"), ("progress", "📊")]
available = [link for link in LINKS if (PAGES_DIR / f"{link[0]}.py").exists()]
columns = st.columns(3)
for i, (key, icon) in enumerate(available):
    with columns[i % 3].container(border=True):
        course_view.page_link(key, t(f"nav.{key}"), icon)
        st.caption(t(f"home.blurb_{key}"))

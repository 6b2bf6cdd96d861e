"""KD Lab router: page config, navigation and the shared sidebar (language, presenter mode, device);
the language and presenter mode also live in the URL (kdapp.app_params), results saved for this
browser come back after a reload (kdapp.keep). No logic here."""
from pathlib import Path

import streamlit as st

from kdapp import app_params, keep, learner, present
from kdapp.form import kept
from kdapp.i18n import LANGUAGES
from kdapp.ui import t

app_params.read_once()
st.set_page_config(page_title="KD Lab", page_icon="🧪", layout="wide",
                   initial_sidebar_state="collapsed" if present.active() else "auto")

# (section, file in pages/, nav key, icon). A page appears once its file exists; classroom pages are
# listed only for the accounts they serve (kdapp.learner.visibility).
PAGES = [
    ("learn", "home.py", "home", "🏠"),
    ("learn", "course.py", "course", "🎓"),
    ("learn", "lab.py", "lab", "🧪"),
    ("learn", "soft_labels.py", "soft_labels", "🌡️"),
    ("learn", "curves.py", "curves", "📈"),
    ("learn", "methods.py", "methods", "🧰"),
    ("learn", "transfer.py", "transfer", "🔁"),
    ("learn", "nlp.py", "nlp", "🔤"),
    ("learn", "gallery.py", "gallery", "🖼️"),
    ("learn", "recommender.py", "recommender", "🛒"),
    ("practice", "drills.py", "drills", "🎯"),
    ("practice", "coding.py", "coding", "💻"),
    ("practice", "progress.py", "progress", "📊"),
    ("practice", "class_quiz.py", "class_quiz", "🙋"),
    ("practice", "class_dashboard.py", "class_dashboard", "🧑‍🏫"),
]
PAGES_DIR = Path(__file__).parent / "pages"
DEVICES = ["auto", "cpu", "cuda"]

with st.sidebar:
    st.radio(t("common.language"), list(LANGUAGES), format_func=LANGUAGES.get, key="lang", horizontal=True,
             **kept("radio", "lang", "en", list(LANGUAGES)))
    st.toggle(t("present.toggle"), key="present", help=t("present.toggle_help"),
              **kept("toggle", "present", False))
app_params.write()
present.apply()
learner.gate([key for _, _, key, _ in PAGES if key != "home"])

sections: dict[str, list] = {}
for section, file, key, icon in PAGES:
    if (PAGES_DIR / file).exists():
        page = st.Page(f"pages/{file}", title=t(f"nav.{key}"), icon=icon, url_path=key, default=key == "home",
                       visibility=learner.visibility(key))
        sections.setdefault(t(f"nav.{section}"), []).append(page)

with st.sidebar:
    st.selectbox(t("common.device"), DEVICES, key="device", help=t("common.device_help"),
                 **kept("selectbox", "device", "auto", DEVICES))
    keep.setup()

st.navigation(sections, expanded=True).run()  # every page listed: Streamlit's "View N more" is not translated

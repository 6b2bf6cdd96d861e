"""Home: what KD Lab is, and where to go."""
from pathlib import Path

import streamlit as st

from kdapp.ui import t

st.title(t("home.title"))
st.markdown(t("home.intro1"))
st.markdown(t("home.intro2"))

PAGES_DIR = Path(__file__).parent
LINKS = [("lab.py", "lab", "🧪"), ("soft_labels.py", "soft_labels", "🌡️"), ("curves.py", "curves", "📈"),
         ("methods.py", "methods", "🧰"), ("transfer.py", "transfer", "🔁"), ("nlp.py", "nlp", "🔤"),
         ("drills.py", "drills", "🎯"), ("coding.py", "coding", "💻"), ("progress.py", "progress", "📊")]
available = [link for link in LINKS if (PAGES_DIR / link[0]).exists()]
columns = st.columns(3)
for i, (file, key, icon) in enumerate(available):
    with columns[i % 3].container(border=True):
        st.page_link(f"pages/{file}", label=t(f"nav.{key}"), icon=icon)
        st.caption(t(f"home.blurb_{key}"))

"""Recommender systems: the source article's recommender application as a lesson (cross-domain
transfer, distillation for ranking), what a live demo would need, and the bank's questions on it."""
import streamlit as st

from kdapp import drill_widgets as dw
from kdapp.ui import t
from kdcore.drills.bank import select
from kdcore.paths import data_dir

st.title(t("recommender.title"))
st.info(t("recommender.source"))
for part in ("cross", "rank"):
    st.subheader(t(f"recommender.{part}_title"))
    st.markdown(t(f"recommender.{part}_body"))
st.subheader(t("recommender.demo_title"))
st.warning(t("recommender.demo_body"))
st.caption(t("recommender.data_dir", path=data_dir()))
questions = select(dw.load_bank(), topics=["recommender"])
st.markdown(t("recommender.questions", n=len(questions), choice=sum(q.choice is not None for q in questions),
              hard=sum(q.difficulty == 3 for q in questions)))
st.page_link("pages/drills.py", label=t("recommender.practise"), icon="🎯")

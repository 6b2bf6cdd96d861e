"""Class dashboard (instructors only): each learner's recent activity and the class's mastery per topic."""
import streamlit as st

from kdapp import drill_widgets as dw
from kdapp import learner
from kdapp.ui import t
from kdcore.drills import charts, dashboard
from kdcore.drills.bank import TOPICS

st.title(t("class.dashboard_title"))
learner.require("instructor")
st.caption(t("class.dashboard_intro"))
st.button(t("class.refresh"), key="class_refresh")
overview = dashboard.class_overview(learner.roster().learners(), dw.load_bank())
rows = overview["learners"]
if not rows:
    st.info(t("class.no_learners"))
    st.stop()

st.dataframe([{t("class.col_name"): r["name"], t("class.col_user"): r["username"],
               t("class.col_last_active"): r["last_active"].astimezone().strftime("%Y-%m-%d %H:%M")
               if r["last_active"] else t("class.never"),
               t("class.col_answers_hour"): r["answers_last_hour"], t("class.col_coding"): r["coding_solved"]}
              for r in rows], hide_index=True, width="stretch", key="class_table")
unreadable = [r["name"] for r in rows if not r["readable"]]
if unreadable:
    st.warning(t("class.unreadable", names=", ".join(unreadable)))
names = {topic: dw.topic_name(topic) for topic in TOPICS}
if not any(r["learners"] for r in overview["topics"]):
    st.info(t("class.no_reviews"))
    st.stop()
st.plotly_chart(charts.class_mastery_figure(overview["topics"], names, {
    "title": t("class.mastery_title"), "retention": t("class.retention"), "learners": t("class.learners")}),
    key="class_mastery")

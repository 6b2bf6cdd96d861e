"""Class quiz: the instructor opens a multiple-choice question and watches the class's answers arrive;
every signed-in learner answers it once."""
import streamlit as st

from kdapp import drill_widgets as dw
from kdapp import learner, quiz_view
from kdapp.ui import t

st.title(t("class.quiz_title"))
account = learner.require("class")
st.caption(t("class.quiz_intro_instructor" if account.is_instructor else "class.quiz_intro_learner"))
if account.is_instructor:
    quiz_view.instructor(dw.load_bank())
else:
    quiz_view.learner_box(account.username, dw.load_bank())

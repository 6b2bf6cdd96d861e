"""The timed mock interview of the Interview drills page: setup, a clock that ticks in a fragment,
one question at a time, and the report. An interview in progress is saved for this browser
(kdapp.keep) after every answer, so a reload resumes it with the clock still running."""
import time
from dataclasses import asdict

import streamlit as st

from kdcore.drills import mock, scheduler
from kdcore.errors import KDLabError

from . import drill_widgets as dw
from . import keep
from .ui import show_error, t


@st.fragment(run_every=1)
def clock(interview: mock.MockInterview) -> None:
    left = interview.remaining(time.time())
    st.markdown(f"### ⏱ {int(left // 60):02d}:{int(left % 60):02d}")
    if left <= 0 and interview.finished is None:
        interview.finished = interview.started + interview.seconds
        st.rerun(scope="app")


def saved_interview(view: dict, by_id) -> mock.MockInterview:
    """A saved interview (kdapp.keep), checked: its questions must be in the bank, its numbers numbers."""
    interview = mock.MockInterview([str(q) for q in view["question_ids"]], float(view["seconds"]),
                                   float(view["started"]), {str(k): float(v) for k, v in view["scores"].items()},
                                   None if view["finished"] is None else float(view["finished"]))
    if not interview.question_ids or not set(interview.question_ids) <= set(by_id) or not set(interview.scores) <= set(by_id):
        raise ValueError("questions not in the bank")
    st.session_state["mock_saved"] = bool(view.get("reported"))
    return interview


def keep_interview() -> None:
    interview = st.session_state.get("mock")
    if interview is not None:
        keep.save("mock", {**asdict(interview), "reported": bool(st.session_state.get("mock_saved"))})


def mock_interview(store, pool, by_id, content_lang) -> None:
    keep.restore("mock", "mock", lambda view: saved_interview(view, by_id))
    interview = st.session_state.get("mock")
    if interview is None:
        with st.form("mock_setup"):
            st.markdown(t("drills.mock_intro"))
            c1, c2 = st.columns(2)
            count = c1.number_input(t("drills.mock_count"), 1, 30, min(5, len(pool)), key="mock_n")
            minutes = c2.number_input(t("drills.mock_minutes"), 0.5, 10.0, 2.0, 0.5, key="mock_minutes")
            if st.form_submit_button(t("drills.mock_start"), type="primary"):
                try:
                    st.session_state["mock"] = mock.start(pool, int(count), minutes * 60, time.time())
                except KDLabError as err:
                    show_error(err)
                    return
                keep_interview()
                st.rerun()
        return
    current = interview.current()
    if interview.finished is None and current is not None and interview.remaining(time.time()) > 0:
        clock(interview)
        position = interview.question_ids.index(current) + 1
        st.progress((position - 1) / len(interview.question_ids),
                    text=t("drills.mock_progress", i=position, n=len(interview.question_ids)))
        question = by_id[current]

        def record(score):
            if mock.answer(interview, question.id, score, time.time()):
                store.record(question.id, "mock", scheduler.rating_for_coverage(round(score * 100), 100), score)
            keep_interview()

        with st.container(border=True):
            dw.question_header(question, content_lang, as_choice=question.choice is not None)
            if question.choice:
                dw.choice_block(question, content_lang, f"mock{position}", lambda r: record(float(r["correct"])))
            else:
                dw.selfcheck_block(question, content_lang, f"mock{position}", lambda c, n: record(c / n))
        return
    report = mock.report(interview, by_id, time.time())
    if not st.session_state.get("mock_saved"):
        store.add_score("mock", report["score"], report["total"], report)
        st.session_state["mock_saved"] = True
        keep_interview()
    render_report(report, by_id, content_lang)
    if st.button(t("drills.mock_again"), key="mock_reset"):
        for key in [k for k in st.session_state if str(k).startswith("mock")]:
            del st.session_state[key]
        keep.forget("mock")
        st.rerun()


def render_report(report: dict, by_id, content_lang) -> None:
    from kdcore.drills.charts import topic_scores_figure

    st.subheader(t("drills.mock_report"))
    c1, c2, c3 = st.columns(3)
    c1.metric(t("drills.mock_score"), f"{report['score']:.1f} / {report['total']}")
    c2.metric(t("drills.mock_answered"), f"{report['answered']} / {report['total']}")
    c3.metric(t("drills.mock_time"), f"{report['seconds_used']:.0f} / {report['seconds_allowed']:.0f} s")
    names = {topic: dw.topic_name(topic) for topic in report["by_topic"]}
    st.plotly_chart(topic_scores_figure(report["by_topic"], names, t("drills.mock_by_topic")), key="mock_chart")
    st.dataframe([{t("drills.col_question"): by_id[row["id"]].q(content_lang),
                   t("drills.col_score"): round(row["score"], 2)} for row in report["questions"]],
                 hide_index=True, width="stretch")

"""My progress: mastery per topic, due cards, streak, history, coding submissions; export, import and reset."""
import streamlit as st

from kdapp import coding_view, fsrs_view
from kdapp import drill_widgets as dw
from kdapp.ui import t
from kdcore.drills import attempts, charts, grader, mastery, scheduler
from kdcore.drills.bank import TOPICS
from kdcore.errors import KDLabError

st.title(t("progress.title"))
if "progress_flash" in st.session_state:
    kind, message = st.session_state.pop("progress_flash")
    (st.success if kind == "success" else st.error)(message)
questions = dw.load_bank()
store = dw.open_store()
reviews = store.reviews()
rows = mastery.topic_mastery(store, questions)
names = {topic: dw.topic_name(topic) for topic in TOPICS}

c1, c2, c3, c4 = st.columns(4)
c1.metric(t("progress.due_now"), sum(r["due"] for r in rows))
c2.metric(t("progress.seen"), f"{sum(r['seen'] for r in rows)} / {len(questions)}")
c3.metric(t("progress.answers"), len(reviews))
c4.metric(t("progress.streak"), t("progress.days", n=mastery.streak(reviews)))

if not reviews:
    st.info(t("progress.empty"))
else:
    st.plotly_chart(charts.mastery_figure(rows, names, {"title": t("progress.mastery_title"),
                    "retention": t("progress.retention"), "due": t("progress.due")}), key="progress_mastery")
    st.plotly_chart(charts.history_figure(mastery.history(reviews), {"title": t("progress.history_title"),
                    "answers": t("progress.answers"), "score": t("progress.mean_score")}), key="progress_history")
    st.dataframe([{t("progress.col_topic"): names[r["topic"]], t("progress.col_questions"): r["questions"],
                   t("progress.col_seen"): r["seen"], t("progress.due"): r["due"],
                   t("progress.retention"): "—" if r["retention"] is None else f"{r['retention']:.0%}"} for r in rows],
                 hide_index=True, width="stretch")
    fsrs_view.memory_model(store, reviews)
mocks = store.scores("mock")
if mocks:
    st.plotly_chart(charts.scores_figure(mocks, t("progress.mock_title"), t("progress.mock_score")), key="progress_mocks")
coding_view.history(attempts.history(store.scores(attempts.PREFIX)), grader.load_exercises())

st.divider()
st.subheader(t("progress.backup"))
e1, e2 = st.columns(2)
with e1:
    st.download_button(t("progress.export"), store.export_json(), file_name="kdlab-progress.json",
                       mime="application/json", key="progress_export")
    st.caption(t("progress.export_help"))


def guarded(action, success):
    """Run a button callback's store action and keep its outcome (success or the learner-facing error)
    for the next run, which draws the charts from the new state."""
    try:
        result = action()
    except KDLabError as err:
        st.session_state["progress_flash"] = ("error", f"{t('common.error')} {err}")
    else:
        st.session_state["progress_flash"] = ("success", success(result))


def import_upload() -> None:
    guarded(lambda: store.import_json(st.session_state["progress_import"].getvalue()),
            lambda counts: t("progress.imported", **counts))


def reset() -> None:
    st.session_state["progress_reset_confirm"] = False
    guarded(lambda: (store.reset(), scheduler.forget_fit(store.path)), lambda _: t("progress.reset_done"))


with e2:
    upload = st.file_uploader(t("progress.import"), type=["json"], key="progress_import", help=t("progress.import_help"))
    st.button(t("progress.import_go"), key="progress_import_go", disabled=upload is None, on_click=import_upload)

with st.expander(t("progress.reset_title")):
    confirm = st.checkbox(t("progress.reset_confirm"), key="progress_reset_confirm")
    st.button(t("progress.reset"), key="progress_reset", disabled=not confirm, type="primary", on_click=reset)

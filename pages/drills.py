"""Interview drills: FSRS flashcards, multiple choice, key-point self-check and a timed mock interview."""
import time

import streamlit as st

from kdapp import drill_widgets as dw
from kdapp.ui import show_error, t
from kdcore.drills import mock, scheduler
from kdcore.drills.bank import statistics
from kdcore.errors import KDLabError

MODES = ("flashcards", "choice", "selfcheck", "mock")

st.title(t("drills.title"))
questions = dw.load_bank()
stats = statistics(questions)
st.caption(t("drills.bank_summary", total=stats["total"], source=stats["from_source"], original=stats["original"],
             choice=stats["multiple_choice"]))
store = dw.open_store()
pool, content_lang = dw.filters(questions)
by_id = {q.id: q for q in questions}
mode = st.segmented_control(t("drills.mode"), MODES, format_func=lambda m: t(f"drills.mode_{m}"), key="drill_mode",
                            default="flashcards", required=True)
if not pool:
    st.warning(t("drills.no_match"))
    st.stop()


def practise(prefix: str, question, block, on_done) -> None:
    """Show one practice question with `block` (choice or self-check); once answered, offer the next one."""
    with st.container(border=True):
        dw.question_header(question, content_lang)
        if block(question, content_lang, prefix, on_done) is not None and st.button(t("drills.next"), key=f"{prefix}_next"):
            # forget the answered question's widgets; skip it so the next run picks another one
            for key in [k for k in st.session_state if str(k).startswith(f"{prefix}_")]:
                del st.session_state[key]
            st.session_state[f"{prefix}_skip"] = [question.id]
            st.rerun()


def pick(prefix: str, candidates):
    """The question this block shows: keep the current one until answered, due cards first."""
    current = st.session_state.get(f"{prefix}_current")
    ids = [q.id for q in candidates]
    if current not in ids:
        due = store.due_ids(ids)
        skipped = st.session_state.get(f"{prefix}_skip", [])
        order = [qid for qid in due if qid not in skipped] + [qid for qid in ids if qid not in due]
        current = order[0] if order else ids[0]
        st.session_state[f"{prefix}_current"] = current
    return by_id[current]


def flashcards() -> None:
    due = store.due_ids([q.id for q in pool])
    st.caption(t("drills.due_summary", due=len(due), total=len(pool)))
    if not due:
        cards = store.cards()
        upcoming = min((cards[q.id].due for q in pool if q.id in cards), default=None)
        st.success(t("drills.all_done", when=upcoming.astimezone().strftime("%Y-%m-%d %H:%M") if upcoming else "—"))
        return
    question = by_id[due[0]]
    with st.container(border=True):
        dw.question_header(question, content_lang)
        if not st.session_state.get("flash_shown") == question.id:
            st.caption(t("drills.flash_hint"))
            if st.button(t("drills.show_answer"), key="flash_show", type="primary"):
                st.session_state["flash_shown"] = question.id
                st.rerun()
            return
    dw.answer_card(question, content_lang)
    st.markdown(f"**{t('drills.rate')}**")
    for column, rating in zip(st.columns(4), scheduler.RATINGS):
        if column.button(t(f"drills.rating_{rating}"), key=f"flash_{rating}", width="stretch"):
            card = store.record(question.id, "flashcard", rating, dw.FLASH_SCORES[rating])
            st.session_state["flash_shown"] = None
            st.session_state["flash_last"] = t("drills.next_review", when=card.due.astimezone().strftime("%Y-%m-%d %H:%M"))
            st.rerun()


def choice() -> None:
    candidates = [q for q in pool if q.choice]
    if not candidates:
        st.warning(t("drills.no_choice"))
        return
    right, total = st.session_state.get("quiz_right", 0), st.session_state.get("quiz_total", 0)
    st.markdown(f"**{t('drills.session_score')}: {right} / {total}**")

    def on_answer(result):
        st.session_state["quiz_right"] = right + result["correct"]
        st.session_state["quiz_total"] = total + 1
        store.record(result["id"], "choice", scheduler.rating_for_choice(result["correct"]), float(result["correct"]))

    practise("mc", pick("mc", candidates), dw.choice_block, on_answer)


def selfcheck() -> None:
    question = pick("sc", pool)

    def on_score(covered, points):
        store.record(question.id, "selfcheck", scheduler.rating_for_coverage(covered, points), covered / points)

    practise("sc", question, dw.selfcheck_block, on_score)


@st.fragment(run_every=1)
def clock(interview: mock.MockInterview) -> None:
    left = interview.remaining(time.time())
    st.markdown(f"### ⏱ {int(left // 60):02d}:{int(left % 60):02d}")
    if left <= 0 and interview.finished is None:
        interview.finished = interview.started + interview.seconds
        st.rerun(scope="app")


def mock_interview() -> None:
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

        with st.container(border=True):
            dw.question_header(question, content_lang)
            if question.choice:
                dw.choice_block(question, content_lang, f"mock{position}", lambda r: record(float(r["correct"])))
            else:
                dw.selfcheck_block(question, content_lang, f"mock{position}", lambda c, n: record(c / n))
        return
    report = mock.report(interview, by_id, time.time())
    if not st.session_state.get("mock_saved"):
        store.add_score("mock", report["score"], report["total"], report)
        st.session_state["mock_saved"] = True
    render_report(report)
    if st.button(t("drills.mock_again"), key="mock_reset"):
        for key in [k for k in st.session_state if str(k).startswith("mock")]:
            del st.session_state[key]
        st.rerun()


def render_report(report: dict) -> None:
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


if st.session_state.get("flash_last") and mode == "flashcards":
    st.toast(st.session_state.pop("flash_last"))
try:
    {"flashcards": flashcards, "choice": choice, "selfcheck": selfcheck, "mock": mock_interview}[mode]()
except KDLabError as err:  # e.g. the progress file is locked by another program: say so, lose nothing
    show_error(err)

"""Interview drills: FSRS flashcards, multiple choice, key-point self-check and a timed mock interview."""
import streamlit as st

from kdapp import drill_widgets as dw
from kdapp import form, mock_view, quiz_view, share
from kdapp.share import Setting
from kdapp.ui import show_error, t
from kdcore.drills import scheduler
from kdcore.drills.bank import statistics
from kdcore.errors import KDLabError

MODES = ("flashcards", "choice", "selfcheck", "mock")
SCHEMA = {"mode": Setting("drill_mode", str, "flashcards", choices=MODES)}  # the link opens the same mode

st.title(t("drills.title"))
questions = dw.load_bank()
quiz_view.drills_banner(questions)
stats = statistics(questions)
st.caption(t("drills.bank_summary", total=stats["total"], source=stats["from_source"], original=stats["original"],
             choice=stats["multiple_choice"]))
store = dw.open_store()
pool, content_lang = dw.filters(questions)
by_id = {q.id: q for q in questions}
share.restore("drills", SCHEMA)
mode = st.segmented_control(t("drills.mode"), MODES, format_func=lambda m: t(f"drills.mode_{m}"), key="drill_mode",
                            required=True, **form.kept("segmented_control", "drill_mode", "flashcards"))
share.publish(SCHEMA)
if not pool:
    st.warning(t("drills.no_match"))
    st.stop()


def practise(prefix: str, question, block, on_done) -> None:
    """Show one practice question with `block` (choice or self-check); once answered, offer the next one."""
    with st.container(border=True):
        dw.question_header(question, content_lang, as_choice=block is dw.choice_block)
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


if st.session_state.get("flash_last") and mode == "flashcards":
    st.toast(st.session_state.pop("flash_last"))
try:
    {"flashcards": flashcards, "choice": choice, "selfcheck": selfcheck, "mock": lambda: mock_view.mock_interview(store, pool, by_id, content_lang)}[mode]()
except KDLabError as err:  # e.g. the progress file is locked by another program: say so, lose nothing
    show_error(err)

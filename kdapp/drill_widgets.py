"""Streamlit pieces shared by the drill, coding and progress pages: the progress store, the bank
filters, a question's answer card, and the multiple-choice and key-point self-check blocks (used
both for practice and inside a mock interview)."""
from pathlib import Path

import streamlit as st

from kdcore.drills import bank, classroom, scheduler
from kdcore.drills.store import ProgressStore
from kdcore.errors import KDLabError

from . import app_params, learner
from .i18n import LANGUAGES
from .ui import lang, show_error, t

PAGES_DIR = Path(__file__).resolve().parents[1] / "pages"
FLASH_SCORES = {"again": 0.0, "hard": 0.5, "good": 1.0, "easy": 1.0}  # share of the answer recalled


@st.cache_data(show_spinner=False)
def load_bank():
    return bank.default_bank()


def open_store() -> ProgressStore:
    """The signed-in learner's progress store (the personal one on a personal server), scheduling with
    their fitted FSRS parameters when a fit exists; stops the page with a clear message if it cannot be opened."""
    try:
        store = ProgressStore(classroom.progress_path(learner.current()))
    except KDLabError as err:
        show_error(err)
        st.stop()
    store.scheduler = scheduler.scheduler_for(store.path)
    if store.recovered_from is not None:  # kept for the session: the home page may have opened the store first
        st.session_state["progress_recovered"] = (store.recovered_from.name, store.recovery_reason)
    if "progress_recovered" in st.session_state:
        path, reason = st.session_state["progress_recovered"]
        st.warning(t("drills.recovered", path=path, reason=reason))
    return store


def topic_name(topic: str) -> str:
    return t(f"drills.topic_{topic}")


def filters(questions) -> tuple[list, str]:
    """Topic, difficulty, language and source-only filters; returns (matching questions, content language)."""
    with st.container(border=True):
        c1, c2, c3, c4 = st.columns([2.5, 1.8, 1.2, 2])
        topics = c1.multiselect(t("drills.filter_topic"), bank.TOPICS, format_func=topic_name, key="drill_topics",
                                placeholder=t("drills.all"))
        levels = c2.multiselect(t("drills.filter_difficulty"), bank.DIFFICULTIES, key="drill_levels",
                                format_func=lambda d: t(f"drills.level_{d}"), placeholder=t("drills.all"))
        content_lang = c3.radio(t("drills.filter_language"), list(LANGUAGES), format_func=LANGUAGES.get,
                                index=list(LANGUAGES).index(lang()), key="drill_lang")
        source_only = c4.toggle(t("drills.filter_source"), key="drill_source_only", help=t("drills.filter_source_help"))
    return bank.select(questions, topics, levels, source_only), content_lang


def demo_link(question) -> None:
    """A link to the page that demonstrates the answer, when that page exists in this install."""
    page = PAGES_DIR / f"{question.demo_page}.py"
    if page.exists():
        settings = ", ".join(f"{k}={v}" for k, v in question.demo_query.items())
        label = t("drills.see_demo", page=t(f"nav.{question.demo_page}"))
        st.page_link(f"pages/{page.name}", label=f"{label} ({settings})" if settings else label, icon="🔬",
                     query_params={**app_params.query(), **question.demo_query})


def question_header(question, content_lang: str, as_choice: bool = False) -> None:
    """Badges and the question; `as_choice` shows the multiple-choice stem, which fits its options."""
    badges = [topic_name(question.topic), t(f"drills.level_{question.difficulty}")]
    if question.source:
        badges.append(t("drills.from_source"))
    tags = ", ".join(question.tags) if content_lang == "en" else ""  # the bank's tags are English keywords
    st.caption(" · ".join(badges) + (f"  ·  {tags}" if tags else ""))
    st.markdown(f"#### {question.choice_question(content_lang) if as_choice else question.q(content_lang)}")


def answer_card(question, content_lang: str) -> None:
    """The model answer, its key points, the source's own answer (for source questions) and the demo."""
    with st.container(border=True):
        st.markdown(f"**{t('drills.model_answer')}**")
        st.markdown(question.answer(content_lang))
        st.markdown(f"**{t('drills.key_points')}**")
        st.markdown("\n".join(f"- {point}" for point in question.points(content_lang)))
        if question.original:
            with st.expander(t("drills.original_answer")):
                st.markdown(question.original[content_lang])
                st.caption(t("drills.original_note"))
        demo_link(question)


def choice_block(question, content_lang: str, prefix: str, on_answer) -> dict | None:
    """Multiple choice: returns {"id", "correct", "picked"} once submitted; `on_answer(result)` runs once."""
    block = question.choice[content_lang]
    result = st.session_state.get(f"{prefix}_result")
    done = result is not None and result["id"] == question.id
    picked = st.radio(t("drills.choose"), range(len(block["options"])), format_func=lambda i: block["options"][i],
                      index=result["picked"] if done else None, key=f"{prefix}_pick_{question.id}", disabled=done)
    if not done:
        if st.button(t("drills.submit"), key=f"{prefix}_submit", type="primary"):
            if picked is None:
                st.warning(t("drills.pick_first"))
                return None
            result = {"id": question.id, "correct": picked == question.choice["answer"], "picked": picked}
            st.session_state[f"{prefix}_result"] = result
            on_answer(result)
            st.rerun()
        return None
    if result["correct"]:
        st.success(t("drills.correct"))
    else:
        st.error(t("drills.wrong", answer=block["options"][question.choice["answer"]]))
    st.info(block["explanation"])
    demo_link(question)
    return result


def selfcheck_block(question, content_lang: str, prefix: str, on_score) -> float | None:
    """Write an answer, reveal the model answer, tick the key points covered. Returns the share covered
    once recorded; `on_score(covered, total)` runs once."""
    state = st.session_state.get(f"{prefix}_sc")
    stage = state["stage"] if state and state["id"] == question.id else None
    text = st.text_area(t("drills.your_answer"), key=f"{prefix}_text_{question.id}", height=140,
                        disabled=stage is not None, placeholder=t("drills.answer_placeholder"))
    if stage is None:
        if st.button(t("drills.check"), key=f"{prefix}_check", type="primary"):
            if not text.strip():
                st.warning(t("drills.empty_answer"))
                return None
            st.session_state[f"{prefix}_sc"] = {"id": question.id, "stage": "revealed"}
            st.rerun()
        return None
    answer_card(question, content_lang)
    st.markdown(f"**{t('drills.which_points')}**")
    points = question.points(content_lang)
    ticked = [st.checkbox(point, key=f"{prefix}_pt_{question.id}_{i}", disabled=stage == "scored")
              for i, point in enumerate(points)]
    if stage == "revealed":
        if st.button(t("drills.record"), key=f"{prefix}_record", type="primary"):
            covered = sum(ticked)
            st.session_state[f"{prefix}_sc"] = {"id": question.id, "stage": "scored", "score": covered / len(points)}
            on_score(covered, len(points))
            st.rerun()
        return None
    score = state["score"]
    st.success(t("drills.covered", covered=round(score * len(points)), total=len(points)))
    return score


"""The class quiz's two sides. The instructor picks a multiple-choice question and opens it, then watches
the tally in a fragment that reruns every second only while the quiz is open; each learner's box (on the
Class quiz page, and at the top of the drills page while a question is open) takes their one answer."""
import streamlit as st

from kdcore.drills import charts
from kdcore.drills.quiz import ClassQuiz
from kdcore.errors import KDLabError

from . import drill_widgets as dw
from . import learner
from .ui import lang, show_error, t


def instructor(questions) -> None:
    board = ClassQuiz()
    by_id = {q.id: q for q in questions if q.choice}
    with st.container(border=True):
        picked = st.selectbox(t("class.quiz_pick"), list(by_id), key="quiz_question", format_func=lambda qid: (
            f"{dw.topic_name(by_id[qid].topic)} · {by_id[qid].choice_question(lang())}"))
        if st.button(t("class.quiz_open"), key="quiz_open", type="primary"):
            board.open_question(by_id[picked])
    quiz = board.current()
    if quiz is None or quiz.question_id not in by_id:  # (a question since removed from the bank: open another)
        st.info(t("class.quiz_none_open"))
        return
    _live_tally(board, quiz.id, by_id[quiz.question_id])


@st.fragment(run_every=1)
def _live_tally(board: ClassQuiz, quiz_id: int, question) -> None:
    quiz = board.current()
    if quiz is None or quiz.id != quiz_id:  # closed or replaced (another tab): redraw the page without the timer
        st.rerun(scope="app")
    block = question.choice[lang()]
    st.markdown(f"#### {block['question']}")
    counts = board.tally(quiz.id)
    class_size = sum(not who.is_instructor for who in learner.roster().learners())
    st.plotly_chart(charts.quiz_figure(block["options"], counts, quiz.answer if quiz.revealed else None,
                                       t("class.quiz_count", n=sum(counts), total=class_size)), key="quiz_tally")
    if quiz.revealed:
        st.success(t("class.quiz_right", answer=block["options"][quiz.answer]))
        st.info(block["explanation"])
    row = st.container(horizontal=True)
    row.button(t("class.quiz_reveal"), key="quiz_reveal", disabled=quiz.revealed, on_click=board.reveal, args=(quiz.id,))
    if row.button(t("class.quiz_close"), key="quiz_close"):
        board.close(quiz.id)
        st.rerun(scope="app")


def _send(board: ClassQuiz, username: str, quiz_id: int) -> None:
    try:
        board.answer(username, st.session_state[f"quiz_pick_{quiz_id}"], quiz_id)
    except KDLabError as err:  # revealed, closed or replaced since the box was drawn
        st.session_state["quiz_refused"] = err


def drills_banner(questions) -> None:
    """At the top of the drills page: the open class question, for a signed-in learner (else nothing)."""
    account = learner.current()
    if learner.serves("class") and not account.is_instructor and ClassQuiz().current() is not None:
        learner_box(account.username, questions)


@st.fragment
def learner_box(username: str, questions) -> None:
    """The open class question, answered once. No timer here: a learner's page that reran every few seconds
    would cost the server about 0.1 s of CPU per learner each time, so the box looks again when the learner
    acts (its "Look again" button, or any click on the page around it)."""
    if "quiz_refused" in st.session_state:
        show_error(st.session_state.pop("quiz_refused"))
    board = ClassQuiz()
    quiz = board.current()
    question = next((q for q in questions if quiz and q.id == quiz.question_id), None)
    if question is None:
        st.info(t("class.quiz_waiting"))
    elif _question(board, quiz, question, username):
        return  # still to answer: the send button reruns the box
    st.button(t("class.quiz_look"), key="quiz_look")


def _question(board: ClassQuiz, quiz, question, username: str) -> bool:
    """Draw the question with the learner's answer form (returns True) or their answer and the verdict."""
    block = question.choice[lang()]
    with st.container(border=True):
        st.caption(f"🙋 {t('nav.class_quiz')}")
        st.markdown(f"#### {block['question']}")
        mine = board.choice_of(quiz.id, username)
        if mine is None and not quiz.revealed:
            pick = st.radio(t("drills.choose"), range(quiz.options), format_func=lambda i: block["options"][i],
                            index=None, key=f"quiz_pick_{quiz.id}")
            st.button(t("class.quiz_send"), key="quiz_send", type="primary", disabled=pick is None,
                      on_click=_send, args=(board, username, quiz.id))
            return True
        if mine is not None:
            st.markdown(t("class.quiz_yours", answer=block["options"][mine]))
        if not quiz.revealed:
            st.caption(t("class.quiz_wait_reveal"))
        elif mine == quiz.answer:
            st.success(t("drills.correct"))
        else:
            st.error(t("drills.wrong", answer=block["options"][quiz.answer]))
    return False

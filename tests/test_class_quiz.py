"""Live class quiz: 30 learners answering at once are each counted exactly once; late, repeated and
impossible answers are refused; the instructor's page shows the tally and the learner's page takes an answer."""
import json
import threading

import pytest

from kdcore.drills.bank import default_bank
from kdcore.drills.classroom import Learner, Roster
from kdcore.drills.quiz import ClassQuiz, QuizRefused
from kdcore.errors import ConfigError

CLASS = [Learner(f"learner{i:02d}", f"Learner {i}") for i in range(30)]
MR_K = Learner("mrk", "Mr K", "instructor")


@pytest.fixture
def board(tmp_path):
    return ClassQuiz(tmp_path / "class_quiz.db")


@pytest.fixture
def question():
    return next(q for q in default_bank() if q.choice and len(q.choice["en"]["options"]) == 4)


def refusal(call) -> str:
    with pytest.raises(QuizRefused) as caught:
        call()
    return caught.value.code


def headings(at) -> list[str]:
    return [m.value.lstrip("# ") for m in at.markdown]


def answering(at, quiz) -> bool:
    """Does the page offer the learner the options of `quiz`?"""
    return f"quiz_pick_{quiz.id}" in [radio.key for radio in at.radio]


def test_thirty_learners_answering_at_once_are_each_counted_once(board, question):
    quiz = board.open_question(question)
    start, refused = threading.Barrier(len(CLASS)), []

    def answer(index: int, who: Learner) -> None:
        start.wait()  # all 30 send at the same moment
        board.answer(who.username, index % 4, quiz.id)
        refused.append(refusal(lambda: board.answer(who.username, (index + 1) % 4, quiz.id)))  # a change of mind

    threads = [threading.Thread(target=answer, args=pair) for pair in enumerate(CLASS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert board.tally(quiz.id) == [8, 8, 7, 7]  # learners 0..29 picked index % 4
    assert refused == ["quiz_answered"] * 30
    assert [board.choice_of(quiz.id, who.username) for who in CLASS] == [i % 4 for i in range(30)]


def test_answers_to_a_closed_revealed_or_replaced_quiz_or_an_unknown_option_are_refused(board, question):
    first = board.open_question(question)
    for choice in (-1, 4, True, "1", None):
        assert refusal(lambda: board.answer("ann", choice, first.id)) == "quiz_bad_choice"
    board.answer("ann", 2, first.id)
    second = board.open_question(question)  # replaces the first one
    assert board.current() == second and board.tally(second.id) == [0, 0, 0, 0]
    assert refusal(lambda: board.answer("ben", 1, first.id)) == "quiz_closed"
    board.reveal(second.id)
    assert board.current().revealed and refusal(lambda: board.answer("ben", 1, second.id)) == "quiz_closed"
    board.close(second.id)
    assert board.current() is None and refusal(lambda: board.answer("cy", 0, second.id)) == "quiz_closed"
    assert refusal(lambda: board.answer("cy", 0, 999)) == "quiz_closed"
    assert board.tally(first.id) == [0, 0, 1, 0] and board.tally(second.id) == [0, 0, 0, 0]
    with pytest.raises(ConfigError):
        board.open_question(next(q for q in default_bank() if not q.choice))


def test_the_instructor_watches_the_tally_reveals_and_closes(classroom_page, question):
    Roster().add([(who.username, who.name, who.role) for who in [*CLASS[:3], MR_K]])
    board = ClassQuiz()
    quiz = board.open_question(question)
    for who, choice in zip(CLASS, (1, 1, 3)):
        board.answer(who.username, choice, quiz.id)
    at = classroom_page(MR_K, "class_quiz.py")
    figure = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert figure["data"][0]["x"] == [0, 2, 0, 1] and figure["data"][0]["y"] == question.choice["en"]["options"]
    assert figure["layout"]["title"]["text"] == "Answers: 3 of 3 learners"  # the instructor is not counted
    assert question.choice["en"]["question"] in headings(at)
    at.button(key="quiz_reveal").click().run()
    assert not at.exception, at.exception
    right = question.choice["en"]["options"][question.choice["answer"]]
    assert f"Right answer: {right}" in [s.value for s in at.success]
    at.button(key="quiz_close").click().run()
    assert board.current() is None and not at.get("plotly_chart")


def test_a_learner_sees_the_open_question_and_answers_it_once(classroom_page, question):
    board = ClassQuiz()
    waiting = classroom_page(CLASS[0], "class_quiz.py", lang="zh")
    assert waiting.info[0].value == "目前没有开放的题目。老师开放题目后，请点击“再看一次”。"
    quiz = board.open_question(question)
    at = classroom_page(CLASS[0], "class_quiz.py")
    assert at.button(key="quiz_send").disabled
    right = question.choice["answer"]
    at.radio(key=f"quiz_pick_{quiz.id}").set_value(right).run()
    at.button(key="quiz_send").click().run()
    assert not at.exception, at.exception
    assert board.tally(quiz.id) == [int(i == right) for i in range(4)] and not answering(at, quiz)
    board.reveal(quiz.id)
    at.button(key="quiz_look").click().run()
    assert [s.value for s in at.success] == ["Correct!"]
    late = classroom_page(Learner("eve", "Eve"), "class_quiz.py")  # revealed: no more answers taken
    assert not answering(late, quiz) and late.error[0].value.endswith(question.choice["en"]["options"][right])


def test_the_open_question_also_tops_a_learners_drills_page(classroom_page, question):
    board = ClassQuiz()
    stem = question.choice["en"]["question"]
    assert stem not in headings(classroom_page(CLASS[0], "drills.py"))  # nothing open: no box
    quiz = board.open_question(question)
    assert stem not in headings(classroom_page(MR_K, "drills.py"))  # the instructor does not answer
    at = classroom_page(CLASS[0], "drills.py")
    assert stem in headings(at)
    at.radio(key=f"quiz_pick_{quiz.id}").set_value(1).run()
    at.button(key="quiz_send").click().run()
    assert not at.exception, at.exception
    assert board.choice_of(quiz.id, CLASS[0].username) == 1 and not answering(at, quiz)
    assert f"Your answer: **{question.choice['en']['options'][1]}**" in [m.value for m in at.markdown]

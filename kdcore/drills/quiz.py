"""The live class quiz: one multiple-choice question of the bank at a time, answered by the whole class,
kept in one SQLite file (WAL mode) beside the roster.

The instructor opens a question (which closes any quiz still open), watches the tally, reveals the right
option (which ends the answering) and closes the quiz. Each learner answers once: the first answer counts and a later one is
refused (`QuizRefused("quiz_answered")`), as with a show of hands — nobody can switch to the majority
after the reveal. An answer names the quiz it was given to, so an answer sent just as the instructor
moved on to another question is refused, never counted for the new one. Every call opens its own
connection, so the learners' sessions (one thread each) never share one, and an answer is one INSERT:
counted exactly once however many learners send at the same moment.
"""
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from ..errors import ConfigError, KDLabError
from ..paths import user_data_dir

BUSY_TIMEOUT_S = 5.0  # a class of learners answering at once waits its turn this long at most
SCHEMA = """
CREATE TABLE IF NOT EXISTS quizzes(id INTEGER PRIMARY KEY, question_id TEXT NOT NULL, options INTEGER NOT NULL,
    answer INTEGER NOT NULL, revealed INTEGER NOT NULL DEFAULT 0, opened_at TEXT NOT NULL, closed_at TEXT);
CREATE TABLE IF NOT EXISTS answers(quiz_id INTEGER NOT NULL, username TEXT NOT NULL, choice INTEGER NOT NULL,
    at TEXT NOT NULL, PRIMARY KEY(quiz_id, username));
"""


class QuizRefused(KDLabError):
    """An answer that does not count: the quiz is closed, the option does not exist, or it was already answered."""


@dataclass(frozen=True)
class Quiz:
    id: int
    question_id: str
    options: int        # how many options the question has
    answer: int         # index of the right option
    revealed: bool      # the right option is shown; no more answers are taken


def _now() -> str:
    return datetime.now(timezone.utc).isoformat()


class ClassQuiz:
    def __init__(self, path: Path | None = None):
        self.path = Path(path or user_data_dir() / "class_quiz.db")
        with closing(self._connect()) as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.executescript(SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        return sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)

    def _one(self, sql: str, params=()) -> tuple | None:
        with closing(self._connect()) as db:
            return db.execute(sql, params).fetchone()

    def open_question(self, question) -> Quiz:
        """Open a bank question (it needs a choice block) for the class; a quiz still open is closed first."""
        if not question.choice:
            raise ConfigError("quiz_not_choice", id=question.id)
        options = len(question.choice["en"]["options"])
        with closing(self._connect()) as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute("UPDATE quizzes SET closed_at=? WHERE closed_at IS NULL", (_now(),))
            quiz_id = db.execute("INSERT INTO quizzes(question_id, options, answer, opened_at) VALUES(?,?,?,?)",
                                 (question.id, options, question.choice["answer"], _now())).lastrowid
            db.execute("COMMIT")
        return Quiz(quiz_id, question.id, options, question.choice["answer"], False)

    def current(self) -> Quiz | None:
        """The open quiz, or None."""
        row = self._one("SELECT id, question_id, options, answer, revealed FROM quizzes WHERE closed_at IS NULL "
                        "ORDER BY id DESC LIMIT 1")
        return None if row is None else Quiz(*row[:4], bool(row[4]))

    def answer(self, username: str, choice: int, quiz_id: int) -> None:
        """Count `username`'s answer `choice` (an option index) to quiz `quiz_id`; QuizRefused if the quiz is
        closed or revealed, the option does not exist, or this learner has answered already."""
        valid = isinstance(choice, int) and not isinstance(choice, bool)
        with closing(self._connect()) as db:
            added = valid and db.execute(
                "INSERT OR IGNORE INTO answers(quiz_id, username, choice, at) SELECT id, ?, ?, ? FROM quizzes "
                "WHERE id=? AND closed_at IS NULL AND NOT revealed AND ? BETWEEN 0 AND options - 1",
                (username, choice, _now(), quiz_id, choice)).rowcount == 1
            if added:
                return
            quiz = db.execute("SELECT options, closed_at IS NULL AND NOT revealed FROM quizzes WHERE id=?",
                              (quiz_id,)).fetchone()
        if quiz is None or not quiz[1]:
            raise QuizRefused("quiz_closed")
        if not valid or not 0 <= choice < quiz[0]:
            raise QuizRefused("quiz_bad_choice", choice=choice, options=quiz[0])
        raise QuizRefused("quiz_answered")

    def choice_of(self, quiz_id: int, username: str) -> int | None:
        """The option `username` picked in quiz `quiz_id`, or None if they have not answered."""
        row = self._one("SELECT choice FROM answers WHERE quiz_id=? AND username=?", (quiz_id, username))
        return None if row is None else row[0]

    def tally(self, quiz_id: int) -> list[int]:
        """How many learners picked each option of quiz `quiz_id` ([] for an unknown quiz)."""
        with closing(self._connect()) as db:
            row = db.execute("SELECT options FROM quizzes WHERE id=?", (quiz_id,)).fetchone()
            counts = dict(db.execute("SELECT choice, COUNT(*) FROM answers WHERE quiz_id=? GROUP BY choice", (quiz_id,)))
        return [] if row is None else [counts.get(option, 0) for option in range(row[0])]

    def reveal(self, quiz_id: int) -> None:
        """Show the right option to the class; from now on answers are refused."""
        with closing(self._connect()) as db:
            db.execute("UPDATE quizzes SET revealed=1 WHERE id=?", (quiz_id,))

    def close(self, quiz_id: int) -> None:
        with closing(self._connect()) as db:
            db.execute("UPDATE quizzes SET closed_at=? WHERE id=? AND closed_at IS NULL", (_now(), quiz_id))

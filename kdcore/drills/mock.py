"""A timed mock interview: N questions drawn from the filtered bank, one clock for the whole set.

The state is a plain dataclass the page keeps in session_state. Multiple-choice questions are
graded exactly; open questions are scored by the share of key points the learner says their
answer covered. Answers given after the clock ran out are not accepted.
"""
import random
from dataclasses import dataclass, field

from ..errors import ConfigError
from .bank import Question


@dataclass
class MockInterview:
    question_ids: list[str]
    seconds: float                       # total time allowed for the whole interview
    started: float                       # time.time() when it started
    scores: dict = field(default_factory=dict)   # question id -> score in 0..1
    finished: float | None = None        # time.time() when the last answer (or the clock) ended it

    def remaining(self, now: float) -> float:
        return max(0.0, self.seconds - (now - self.started))

    def current(self) -> str | None:
        """Id of the next unanswered question, or None when done."""
        return next((qid for qid in self.question_ids if qid not in self.scores), None)


def start(questions: list[Question], count: int, seconds_per_question: float, now: float,
          seed: int | None = None) -> MockInterview:
    if count < 1 or seconds_per_question <= 0:
        raise ConfigError("mock_empty")
    if len(questions) < count:
        raise ConfigError("mock_too_few", available=len(questions))
    chosen = random.Random(seed).sample(questions, count)
    return MockInterview([q.id for q in chosen], seconds_per_question * count, now)


def answer(mock: MockInterview, question_id: str, score: float, now: float) -> bool:
    """Record a score for the current question; False (and the interview ends) if time is up."""
    if mock.finished is not None or question_id != mock.current():
        return False
    if mock.remaining(now) <= 0:
        mock.finished = mock.started + mock.seconds
        return False
    mock.scores[question_id] = min(1.0, max(0.0, float(score)))
    if mock.current() is None:
        mock.finished = now
    return True


def report(mock: MockInterview, questions_by_id: dict[str, Question], now: float) -> dict:
    """Final score (unanswered questions count 0), per topic, time used."""
    per_question = [{"id": qid, "topic": questions_by_id[qid].topic, "score": mock.scores.get(qid, 0.0),
                     "answered": qid in mock.scores} for qid in mock.question_ids]
    topics: dict[str, list[float]] = {}
    for row in per_question:
        topics.setdefault(row["topic"], []).append(row["score"])
    end = mock.finished if mock.finished is not None else now
    return {"score": sum(r["score"] for r in per_question), "total": len(per_question),
            "answered": sum(r["answered"] for r in per_question),
            "by_topic": {topic: sum(s) / len(s) for topic, s in topics.items()},
            "seconds_used": min(mock.seconds, end - mock.started), "seconds_allowed": mock.seconds,
            "questions": per_question}

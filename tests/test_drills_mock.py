"""The timed mock interview: drawing questions, the clock, scoring and the report."""
import pytest

from kdcore.drills import mock
from kdcore.drills.bank import default_bank
from kdcore.errors import ConfigError


@pytest.fixture(scope="module")
def questions():
    return list(default_bank())


def test_answers_in_time_are_scored_and_reported(questions):
    interview = mock.start(questions, 3, seconds_per_question=60, now=1000.0, seed=7)
    assert len(set(interview.question_ids)) == 3 and interview.seconds == 180
    by_id = {q.id: q for q in questions}
    first, second, third = interview.question_ids
    assert not mock.answer(interview, second, 1.0, 1001.0), "only the current question can be answered"
    assert mock.answer(interview, first, 1.0, 1010.0)
    assert mock.answer(interview, second, 0.5, 1020.0)
    assert mock.answer(interview, third, 2.0, 1030.0)  # clipped to 1
    assert interview.current() is None and interview.finished == 1030.0
    report = mock.report(interview, by_id, now=5000.0)
    assert report["score"] == 2.5 and report["total"] == 3 and report["answered"] == 3
    assert report["seconds_used"] == 30.0 and report["seconds_allowed"] == 180
    assert sum(len([q for q in report["questions"] if q["topic"] == t]) for t in report["by_topic"]) == 3


def test_no_answers_after_the_clock_runs_out(questions):
    interview = mock.start(questions, 2, seconds_per_question=10, now=0.0, seed=1)
    assert mock.answer(interview, interview.question_ids[0], 1.0, 5.0)
    assert not mock.answer(interview, interview.question_ids[1], 1.0, 25.0)
    report = mock.report(interview, {q.id: q for q in questions}, now=30.0)
    assert report["score"] == 1.0 and report["answered"] == 1 and report["seconds_used"] == 20.0


def test_bad_settings_are_refused(questions):
    with pytest.raises(ConfigError, match="at most"):
        mock.start(questions[:2], 5, 60, 0.0)
    with pytest.raises(ConfigError, match="positive time"):
        mock.start(questions, 2, 0, 0.0)

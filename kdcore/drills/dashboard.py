"""The class dashboard, read from every learner's own progress store, read-only: the instructor's
view never creates, repairs or changes a learner's file.

Per learner: last activity (latest answer or score), answers in the last hour, and coding
exercises solved (an exercise counts once, after a submission passed all its hidden tests).
Per topic, over the class: the mean of the learners' FSRS retention, each learner's as on their
own progress page, and how many learners that mean is over (those who reviewed a card of the topic).
"""
import sqlite3
from datetime import datetime, timedelta

from . import scheduler as sched
from .attempts import PREFIX
from .bank import TOPICS
from .classroom import Learner, progress_path
from .mastery import topic_mastery
from .store import ProgressLocked, ProgressStore

RECENT = timedelta(hours=1)  # "answers in the last hour": what the class is doing right now


def learner_activity(learner: Learner, questions, when: datetime) -> tuple[dict, list[dict]]:
    """One learner's dashboard row and their mastery rows (topic_mastery; [] without a readable store).
    `readable` is False when the learner's file exists but cannot be read (busy or damaged)."""
    row = {"username": learner.username, "name": learner.name, "last_active": None, "answers_last_hour": 0,
           "coding_solved": 0, "readable": True}
    path = progress_path(learner)
    if not path.exists():  # never practised: nothing to read, and nothing is created
        return row, []
    try:
        store = ProgressStore(path, read_only=True)
        try:
            store.scheduler = sched.scheduler_for(path)
            reviews, scores, mastery = store.reviews(), store.scores(), topic_mastery(store, questions, when)
        finally:
            store.close()
    except (sqlite3.Error, ProgressLocked):
        return {**row, "readable": False}, []
    moments = [datetime.fromisoformat(r["at"]) for r in reviews + scores]
    solved = {s["kind"] for s in scores if s["kind"].startswith(PREFIX) and 0 < s["total"] <= s["score"]}
    return {**row, "last_active": max(moments, default=None),
            "answers_last_hour": sum(when - RECENT <= datetime.fromisoformat(r["at"]) <= when for r in reviews),
            "coding_solved": len(solved)}, mastery


def class_overview(learners: list[Learner], questions, when: datetime | None = None) -> dict:
    """{"learners": one row per learner (instructors left out), "topics": per topic the class's mean
    retention (None when nobody reviewed it) and the number of learners it is the mean of}."""
    when = when or sched.now_utc()
    rows, retention = [], {topic: [] for topic in TOPICS}
    for learner in learners:
        if learner.is_instructor:
            continue
        row, mastery = learner_activity(learner, questions, when)
        rows.append(row)
        for topic_row in mastery:
            if topic_row["retention"] is not None:
                retention[topic_row["topic"]].append(topic_row["retention"])
    topics = [{"topic": topic, "mean": sum(values) / len(values) if values else None, "learners": len(values)}
              for topic, values in retention.items()]
    return {"learners": rows, "topics": topics}

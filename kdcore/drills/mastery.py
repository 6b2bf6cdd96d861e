"""Mastery statistics for the progress dashboard, computed from the store and the bank.

Retention per topic is FSRS's own estimate: the mean probability of recalling each reviewed card
today. Streak counts consecutive calendar days (UTC, up to today or yesterday) with a review.
"""
from collections import Counter, defaultdict
from datetime import date, datetime, timedelta, timezone

from . import scheduler as sched
from .bank import TOPICS


def topic_mastery(store, questions, when: datetime | None = None) -> list[dict]:
    """One row per topic: questions, cards seen, due now, mean retention of seen cards (None if none)."""
    when = when or sched.now_utc()
    cards = store.cards()
    rows = []
    for topic in TOPICS:
        ids = [q.id for q in questions if q.topic == topic]
        seen = [cards[qid] for qid in ids if qid in cards]
        recall = [sched.retrievability(store.scheduler, card, when) for card in seen]
        rows.append({"topic": topic, "questions": len(ids), "seen": len(seen),
                     "due": len(store.due_ids(ids, when)),
                     "retention": sum(recall) / len(recall) if recall else None})
    return rows


def review_days(reviews) -> list[date]:
    return sorted({datetime.fromisoformat(r["at"]).date() for r in reviews})


def streak(reviews, today: date | None = None) -> int:
    """Consecutive days with at least one review, ending today (or yesterday, if not yet today)."""
    days = set(review_days(reviews))
    day = today or sched.now_utc().date()
    if day not in days:
        day -= timedelta(days=1)
    count = 0
    while day in days:
        count, day = count + 1, day - timedelta(days=1)
    return count


def history(reviews) -> list[dict]:
    """Per day: number of answers and mean score (0..1), oldest first."""
    answers, total = Counter(), defaultdict(float)
    for r in reviews:
        day = datetime.fromisoformat(r["at"]).date().isoformat()
        answers[day] += 1
        total[day] += r["score"]
    return [{"day": day, "answers": answers[day], "mean_score": total[day] / answers[day]} for day in sorted(answers)]


def retention_forecast(store, when: datetime | None = None, days: int = 30) -> list[dict]:
    """FSRS's predicted share of the reviewed cards the learner would still recall on each of the next
    `days` days if they stopped reviewing now: mean recall probability per day ([] before any review)."""
    when = when or sched.now_utc()
    reviewed = [card for card in store.cards().values() if card.last_review is not None]
    if not reviewed:
        return []
    return [{"day": (when + timedelta(days=d)).astimezone(timezone.utc).date().isoformat(),
             "retention": sum(sched.retrievability(store.scheduler, card, when + timedelta(days=d))
                              for card in reviewed) / len(reviewed)} for d in range(days + 1)]

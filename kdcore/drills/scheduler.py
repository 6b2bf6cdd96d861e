"""Spaced repetition with FSRS (the `fsrs` package): when to see each card again.

Every drill mode ends in one of FSRS's four ratings: a flashcard's self-rating directly, a
multiple-choice answer as Good (right) or Again (wrong), a key-point self-check by the share of
points covered. Cards are stored as FSRS's own JSON so the package's format is the only format.
"""
from datetime import datetime, timezone

import fsrs

RATINGS = {"again": fsrs.Rating.Again, "hard": fsrs.Rating.Hard, "good": fsrs.Rating.Good, "easy": fsrs.Rating.Easy}
DESIRED_RETENTION = 0.9  # FSRS default: schedule the next review when recall probability falls to 90 %


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


def make_scheduler(fuzz: bool = True) -> fsrs.Scheduler:
    # fuzz spreads due dates a little so cards learned together are not all due on the same day
    return fsrs.Scheduler(desired_retention=DESIRED_RETENTION, enable_fuzzing=fuzz)


def new_card(when: datetime | None = None) -> fsrs.Card:
    """A never-reviewed card, due immediately."""
    return fsrs.Card(due=when or now_utc())


def review(scheduler: fsrs.Scheduler, card: fsrs.Card, rating: str, when: datetime | None = None) -> fsrs.Card:
    """The card after a review rated "again" | "hard" | "good" | "easy"."""
    if rating not in RATINGS:
        raise ValueError(f"Unknown rating {rating!r}; use one of {', '.join(RATINGS)}.")
    updated, _log = scheduler.review_card(card, RATINGS[rating], review_datetime=when or now_utc())
    return updated


def rating_for_choice(correct: bool) -> str:
    return "good" if correct else "again"


def rating_for_coverage(covered: int, total: int) -> str:
    """Key-point self-check: all points → good, at least half → hard, fewer → again."""
    if total <= 0:
        raise ValueError("a self-check needs at least one key point")
    share = covered / total
    return "good" if share >= 1 else "hard" if share >= 0.5 else "again"


def retrievability(scheduler: fsrs.Scheduler, card: fsrs.Card, when: datetime | None = None) -> float:
    """FSRS's estimated probability of recalling the card now (0..1; 0 for a never-reviewed card)."""
    if card.last_review is None:
        return 0.0
    return float(scheduler.get_card_retrievability(card, when or now_utc()))

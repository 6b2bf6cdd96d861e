"""Spaced repetition with FSRS (the `fsrs` package): when to see each card again.

Every drill mode ends in one of FSRS's four ratings: a flashcard's self-rating directly, a
multiple-choice answer as Good (right) or Again (wrong), a key-point self-check by the share of
points covered. Cards are stored as FSRS's own JSON so the package's format is the only format.

The scheduler's 21 parameters start at FSRS's defaults (fitted to many Anki users). Once the
learner's own log has enough spaced reviews, `fit_parameters` runs py-fsrs's optimizer on it and
reports how well each parameter set predicts that learner (log loss of predicted recall against
what happened); the fit is kept beside the progress database and used from then on.
"""
import json
import math
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

import fsrs

from ..errors import ConfigError

RATINGS = {"again": fsrs.Rating.Again, "hard": fsrs.Rating.Hard, "good": fsrs.Rating.Good, "easy": fsrs.Rating.Easy}
DESIRED_RETENTION = 0.9  # FSRS default: schedule the next review when recall probability falls to 90 %


def now_utc() -> datetime:
    return datetime.now(timezone.utc)


# py-fsrs's optimizer fits only once this many reviews come a day or more after the same card's
# previous one (its mini-batch size); with fewer it returns the defaults unchanged.
MIN_FIT_REVIEWS = 512


def make_scheduler(fuzz: bool = True, parameters=None) -> fsrs.Scheduler:
    # fuzz spreads due dates a little so cards learned together are not all due on the same day
    return fsrs.Scheduler(parameters=parameters or fsrs.scheduler.DEFAULT_PARAMETERS,
                          desired_retention=DESIRED_RETENTION, enable_fuzzing=fuzz)


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


def _replay(reviews):
    """(card id, datetime, rating) per review, oldest first; card ids are small integers."""
    ids: dict[str, int] = {}
    rows = [(ids.setdefault(r["question_id"], len(ids) + 1), datetime.fromisoformat(r["at"]), RATINGS[r["rating"]])
            for r in reviews]
    return sorted(rows, key=lambda row: (row[1], row[0]))


def spaced_reviews(reviews) -> int:
    """Reviews a day or more after the same card's previous review: the ones FSRS learns from."""
    last, count = {}, 0
    for card_id, at, _ in _replay(reviews):
        count += card_id in last and (at - last[card_id]).days > 0
        last[card_id] = at
    return count


def log_loss(reviews, parameters=None) -> float | None:
    """Mean binary cross-entropy of FSRS's predicted recall probability against what happened (Again
    = forgotten) over the spaced reviews, replaying the log with `parameters`; None if none is spaced."""
    scheduler = fsrs.Scheduler(parameters=parameters or fsrs.scheduler.DEFAULT_PARAMETERS, enable_fuzzing=False)
    cards, losses = {}, []
    for card_id, at, rating in _replay(reviews):
        card = cards.get(card_id) or fsrs.Card(card_id=card_id, due=at)
        if card.last_review is not None and (at - card.last_review).days > 0:
            p = min(max(float(scheduler.get_card_retrievability(card, at)), 1e-7), 1 - 1e-7)
            losses.append(-math.log(1 - p) if rating == fsrs.Rating.Again else -math.log(p))
        cards[card_id], _ = scheduler.review_card(card, rating, review_datetime=at)
    return sum(losses) / len(losses) if losses else None


@dataclass(frozen=True)
class Fit:
    parameters: tuple[float, ...]
    reviews: int            # spaced reviews the fit saw
    loss_default: float     # log loss of the default parameters on those reviews
    loss_fitted: float      # log loss of the fitted ones (lower predicts this learner better)
    fitted_at: str


def fit_parameters(reviews, when: datetime | None = None) -> Fit:
    """Fit FSRS's parameters to this learner's review log with py-fsrs's optimizer."""
    count = spaced_reviews(reviews)
    if count < MIN_FIT_REVIEWS:
        raise ConfigError("fsrs_too_few", have=count, need=MIN_FIT_REVIEWS)
    try:
        from fsrs.optimizer import Optimizer
        optimizer = Optimizer([fsrs.ReviewLog(card_id, rating, at, None) for card_id, at, rating in _replay(reviews)])
    except ImportError as err:  # fsrs installed without its [optimizer] extra (torch, pandas, tqdm)
        raise ConfigError("fsrs_optimizer_missing", reason=str(err)) from err
    parameters = tuple(float(p) for p in optimizer.compute_optimal_parameters())
    return Fit(parameters, count, log_loss(reviews), log_loss(reviews, parameters), (when or now_utc()).isoformat())


def fit_path(database: Path) -> Path:
    """Where a learner's fit is kept: beside their progress database, so it follows its location."""
    database = Path(database)
    return database.with_name(f"{database.stem}-fsrs.json")


def save_fit(database: Path, fit: Fit) -> None:
    fit_path(database).write_text(json.dumps(asdict(fit)), encoding="utf-8")


def forget_fit(database: Path) -> None:
    """Drop the learner's fit (with their progress): scheduling falls back to the defaults."""
    fit_path(database).unlink(missing_ok=True)


def load_fit(database: Path) -> Fit | None:
    """The saved fit, or None when there is none or the file is unreadable or out of FSRS's bounds."""
    try:
        raw = json.loads(fit_path(database).read_text(encoding="utf-8"))
        fit = Fit(tuple(float(p) for p in raw["parameters"]), int(raw["reviews"]), float(raw["loss_default"]),
                  float(raw["loss_fitted"]), str(raw["fitted_at"]))
        fsrs.Scheduler(parameters=fit.parameters)  # validates the count and the bounds of every parameter
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return fit


def scheduler_for(database: Path, fuzz: bool = True) -> fsrs.Scheduler:
    """The scheduler of the learner whose progress is `database`: their fitted parameters when a fit exists."""
    fit = load_fit(database)
    return make_scheduler(fuzz, fit.parameters if fit else None)

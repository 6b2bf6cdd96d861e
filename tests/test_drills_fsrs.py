"""FSRS fitted to the learner's own reviews: the replay and its log loss against py-fsrs's own
computation, the fit on a simulated learner who forgets faster than the defaults assume, keeping
the fit beside the progress file, and the predicted-retention forecast on the progress page."""
import json
import random
from datetime import datetime, timedelta, timezone

import fsrs
import pytest

from kdcore.drills import mastery, scheduler
from kdcore.drills.store import ProgressStore
from kdcore.errors import ConfigError

START = datetime(2026, 1, 5, 9, tzinfo=timezone.utc)


def simulated_reviews(cards: int, reviews_per_card: int, seed: int = 0) -> list[dict]:
    """A learner who forgets three times faster than FSRS's defaults assume, reviewing each card when
    the default scheduler says it is due (plus up to two days' delay); ratings good or again."""
    true = list(fsrs.scheduler.DEFAULT_PARAMETERS)
    true[:4] = [0.3 * s for s in true[:4]]  # initial stabilities
    truth, default = fsrs.Scheduler(parameters=true, enable_fuzzing=False), fsrs.Scheduler(enable_fuzzing=False)
    rng, rows = random.Random(seed), []
    for qid in range(cards):
        t_card, d_card = fsrs.Card(due=START), fsrs.Card(due=START)
        at = START + timedelta(hours=rng.randint(0, 200))
        for _ in range(reviews_per_card):
            recalled = rng.random() < (truth.get_card_retrievability(t_card, at) if t_card.last_review else 0.5)
            rating = "good" if recalled else "again"
            rows.append({"question_id": f"q{qid}", "mode": "flashcard", "rating": rating, "score": float(recalled),
                         "at": at.isoformat()})
            t_card, _ = truth.review_card(t_card, scheduler.RATINGS[rating], at)
            d_card, _ = default.review_card(d_card, scheduler.RATINGS[rating], at)
            at = d_card.due + timedelta(hours=rng.randint(0, 48))
    return rows


def test_spaced_reviews_count_only_reviews_a_day_or_more_after_the_previous():
    rows = [{"question_id": qid, "rating": "good", "at": (START + timedelta(hours=h)).isoformat()}
            for qid, h in [("a", 0), ("a", 5), ("a", 30), ("b", 1), ("a", 31), ("b", 60)]]
    assert scheduler.spaced_reviews(rows) == 2  # a: 5 h → 30 h, b: 1 h → 60 h


def test_log_loss_matches_py_fsrs_own_computation():
    rows = simulated_reviews(cards=15, reviews_per_card=6)
    logs = [fsrs.ReviewLog(card_id, rating, at, None) for card_id, at, rating in scheduler._replay(rows)]
    oracle = fsrs.Optimizer(logs)._compute_batch_loss(parameters=list(fsrs.scheduler.DEFAULT_PARAMETERS))
    assert scheduler.log_loss(rows) == pytest.approx(oracle, rel=1e-6)
    assert scheduler.log_loss(rows[:1]) is None  # nothing spaced yet


def test_too_few_reviews_are_refused_with_the_count():
    rows = simulated_reviews(cards=5, reviews_per_card=4)
    with pytest.raises(ConfigError, match=f"once {scheduler.MIN_FIT_REVIEWS} of them") as err:
        scheduler.fit_parameters(rows)
    assert f"you have {scheduler.spaced_reviews(rows)}." in str(err.value)


@pytest.mark.slow
def test_fit_predicts_this_learner_better_than_the_defaults(tmp_path):
    rows = simulated_reviews(cards=120, reviews_per_card=7)
    assert scheduler.spaced_reviews(rows) >= scheduler.MIN_FIT_REVIEWS
    fit = scheduler.fit_parameters(rows)
    assert len(fit.parameters) == len(fsrs.scheduler.DEFAULT_PARAMETERS)
    assert fit.loss_fitted < fit.loss_default  # measured on the same reviews, replayed
    assert fit.parameters[:4] != tuple(fsrs.scheduler.DEFAULT_PARAMETERS[:4])
    scheduler.save_fit(tmp_path / "progress.db", fit)
    assert scheduler.load_fit(tmp_path / "progress.db") == fit


def test_saved_fit_follows_the_database_and_bad_files_fall_back_to_defaults(tmp_path):
    database = tmp_path / "progress.db"
    assert scheduler.fit_path(database) == tmp_path / "progress-fsrs.json"
    assert scheduler.load_fit(database) is None
    fit = scheduler.Fit(tuple(fsrs.scheduler.DEFAULT_PARAMETERS), 600, 0.5, 0.4, START.isoformat())
    scheduler.save_fit(database, fit)
    assert scheduler.load_fit(database) == fit
    for text in ("not json", json.dumps({"parameters": [1e9] * 21, "reviews": 1, "loss_default": 0, "loss_fitted": 0,
                                         "fitted_at": ""}), json.dumps({"parameters": [0.1]})):
        scheduler.fit_path(database).write_text(text)
        assert scheduler.load_fit(database) is None
    scheduler.forget_fit(database)
    assert not scheduler.fit_path(database).exists()


def test_retention_forecast_falls_from_today_without_reviews(tmp_path):
    store = ProgressStore(tmp_path / "p.db", fuzz=False)
    assert mastery.retention_forecast(store) == []
    for qid in ("a", "b"):
        store.record(qid, "flashcard", "good", 1.0, when=START)
    store.record("a", "flashcard", "good", 1.0, when=START + timedelta(days=3))
    forecast = mastery.retention_forecast(store, when=START + timedelta(days=3), days=30)
    values = [row["retention"] for row in forecast]
    assert len(values) == 31 and all(0 < v <= 1 for v in values)
    assert all(a >= b for a, b in zip(values, values[1:])) and values[-1] < values[0]
    manual = sum(scheduler.retrievability(store.scheduler, card, START + timedelta(days=33))
                 for card in store.cards().values()) / 2
    assert values[-1] == pytest.approx(manual)


def test_progress_page_shows_predicted_retention_and_the_fit_state(app_page, tmp_path, monkeypatch):
    monkeypatch.setenv("KDLAB_USER_DIR", str(tmp_path))
    store = ProgressStore()
    store.record("src-01", "flashcard", "good", 1.0)
    at = app_page("progress.py")
    assert not at.exception, at.exception
    assert "Predicted recall now" in {m.label for m in at.metric}
    assert at.button(key="progress_fsrs_fit").disabled
    assert f"once {scheduler.MIN_FIT_REVIEWS} reviews" in " ".join(c.value for c in at.caption)
    fit = scheduler.Fit(tuple(fsrs.scheduler.DEFAULT_PARAMETERS), 640, 0.4321, 0.4012, START.isoformat())
    scheduler.save_fit(store.path, fit)
    at = app_page("progress.py")
    assert "fitted to your 640 spaced reviews" in " ".join(c.value for c in at.caption)
    assert "0.4012" in " ".join(c.value for c in at.caption)

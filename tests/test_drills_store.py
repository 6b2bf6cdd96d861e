"""FSRS scheduling, the SQLite progress store (restart, export/import, corruption, locking) and mastery."""
import json
import sqlite3
from datetime import datetime, timedelta, timezone

import pytest

from kdcore.drills import mastery, scheduler, store as store_module
from kdcore.drills.bank import default_bank
from kdcore.drills.store import ImportRejected, ProgressLocked, ProgressStore

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
def db_path(tmp_path):
    return tmp_path / "progress.db"


def test_good_review_moves_the_due_date_forward():
    fsrs_scheduler = scheduler.make_scheduler(fuzz=False)
    card = scheduler.new_card(NOW)
    assert card.due == NOW
    good = scheduler.review(fsrs_scheduler, card, "good", NOW)
    again = scheduler.review(fsrs_scheduler, card, "again", NOW)
    assert good.due > NOW and good.due > again.due
    later = scheduler.review(fsrs_scheduler, good, "good", good.due)
    assert later.due - good.due > good.due - NOW, "each successful review should lengthen the interval"
    assert 0.85 < scheduler.retrievability(fsrs_scheduler, later, later.due) < 0.95  # FSRS targets 90 % at due time
    with pytest.raises(ValueError, match="Unknown rating"):
        scheduler.review(fsrs_scheduler, card, "perfect", NOW)


def test_ratings_from_other_modes():
    assert scheduler.rating_for_choice(True) == "good" and scheduler.rating_for_choice(False) == "again"
    assert [scheduler.rating_for_coverage(c, 4) for c in (4, 2, 1)] == ["good", "hard", "again"]


def test_progress_survives_a_restart(db_path):
    first = ProgressStore(db_path, fuzz=False)
    card = first.record("src-01", "flashcard", "good", 1.0, NOW)
    first.add_score("mock", 3.5, 5, {"note": "测试"}, NOW)
    first.close()
    second = ProgressStore(db_path, fuzz=False)
    assert second.card("src-01").due == card.due
    assert second.reviews() == [{"question_id": "src-01", "mode": "flashcard", "rating": "good", "score": 1.0,
                                 "at": NOW.isoformat()}]
    assert second.scores()[0]["detail"] == {"note": "测试"}
    assert second.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert second.due_ids(["src-01", "src-02"], NOW) == ["src-02"]  # the reviewed card is no longer due


def test_export_import_round_trip(db_path, tmp_path):
    source = ProgressStore(db_path, fuzz=False)
    for i, rating in enumerate(["good", "again", "easy"]):
        source.record(f"q{i}", "choice", rating, float(rating != "again"), NOW + timedelta(days=i))
    source.add_score("coding:1_simple_distillation", 7, 7, {"status": "passed"}, NOW)
    exported = source.export_json()
    target = ProgressStore(tmp_path / "other.db", fuzz=False)
    target.record("stale", "flashcard", "hard", 0.5, NOW)
    assert target.import_json(exported) == {"cards": 3, "reviews": 3, "scores": 1}
    again = json.loads(target.export_json())
    original = json.loads(exported)
    for key in ("cards", "reviews", "scores"):
        assert again[key] == original[key]


@pytest.mark.parametrize("payload, reason", [
    (b"{not json", "not valid JSON"),
    (json.dumps({"format": "something-else"}), "not a KD Lab progress export"),
    (json.dumps({"format": "kdlab-progress", "version": 99}), "Unsupported export version"),
    (json.dumps({"format": "kdlab-progress", "version": 1, "cards": [], "reviews": [], "scores": []}), "'cards' must be a dict"),
    (json.dumps({"format": "kdlab-progress", "version": 1, "cards": {}, "scores": [],
                 "reviews": [{"question_id": "q", "mode": "choice", "rating": "good", "score": 7, "at": NOW.isoformat()}]}),
     "outside 0..1"),
    (json.dumps({"format": "kdlab-progress", "version": 1, "cards": {}, "scores": [],
                 "reviews": [{"question_id": "q", "mode": "choice", "rating": "good", "score": 1, "at": "yesterday"}]}),
     "Invalid isoformat"),
])
def test_malformed_import_is_rejected_and_progress_untouched(db_path, payload, reason):
    store = ProgressStore(db_path, fuzz=False)
    store.record("keep-me", "flashcard", "good", 1.0, NOW)
    before = store.export_dict()
    with pytest.raises(ImportRejected, match=reason) as err:
        store.import_json(payload)
    assert "not changed" in str(err.value) and err.value.code.startswith("import_")
    after = store.export_dict()
    assert (after["cards"], after["reviews"]) == (before["cards"], before["reviews"])


def test_corrupt_database_is_moved_aside_not_lost(db_path):
    garbage = b"this is not an SQLite file" * 100
    db_path.write_bytes(garbage)
    store = ProgressStore(db_path)
    assert store.recovered_from is not None and store.recovered_from.read_bytes() == garbage
    assert "not a database" in store.recovery_reason
    store.record("q", "flashcard", "good", 1.0)
    assert ProgressStore(db_path).counts()["reviews"] == 1


def test_locked_database_gives_a_clear_error(db_path, monkeypatch):
    monkeypatch.setattr(store_module, "LOCK_TIMEOUT_S", 0.2)
    store = ProgressStore(db_path)
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process is writing
    try:
        with pytest.raises(ProgressLocked, match="locked by another program") as err:
            store.record("q", "flashcard", "good", 1.0)
        assert err.value.params == {"path": str(db_path)}
    finally:
        other.execute("ROLLBACK")
    store.record("q", "flashcard", "good", 1.0)  # works once the other writer is done
    assert store.counts()["reviews"] == 1


def test_reset_empties_everything(db_path):
    store = ProgressStore(db_path)
    store.record("q", "selfcheck", "hard", 0.5)
    store.add_score("mock", 1, 2, {})
    store.reset()
    assert store.counts() == {"cards": 0, "reviews": 0, "scores": 0}


def test_mastery_streak_and_history(db_path):
    store = ProgressStore(db_path, fuzz=False)
    questions = default_bank()
    topic_ids = [q.id for q in questions if q.topic == "loss"]
    today = NOW.date()
    for days_ago, (qid, score) in enumerate([(topic_ids[0], 1.0), (topic_ids[1], 0.0), (topic_ids[0], 1.0)]):
        store.record(qid, "choice", scheduler.rating_for_choice(bool(score)), score, NOW - timedelta(days=days_ago))
    assert mastery.streak(store.reviews(), today) == 3
    assert mastery.streak(store.reviews(), today + timedelta(days=1)) == 3  # not yet reviewed today: still counts
    assert mastery.streak(store.reviews(), today + timedelta(days=2)) == 0
    history = mastery.history(store.reviews())
    assert [h["answers"] for h in history] == [1, 1, 1] and [h["mean_score"] for h in history] == [1.0, 0.0, 1.0]
    row = next(r for r in mastery.topic_mastery(store, questions, NOW) if r["topic"] == "loss")
    assert row["questions"] == len(topic_ids) and row["seen"] == 2
    assert 0 < row["retention"] <= 1
    assert row["due"] == len(topic_ids) - 2 + sum(store.card(q).due <= NOW for q in topic_ids[:2])

"""Class dashboard: activity and mastery aggregated from fake learners' stores (oracles by hand), read
without touching any learner's file; the page shows the table to an instructor and refuses a learner."""
from datetime import datetime, timedelta, timezone

import pytest

from kdcore.drills import classroom, dashboard
from kdcore.drills.bank import default_bank
from kdcore.drills.classroom import Learner, Roster
from kdcore.drills.store import ProgressStore

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
ANN, BEN, CY, DAN = Learner("ann", "Ann"), Learner("ben", "Ben"), Learner("cy", "Cy"), Learner("dan", "Dan")
MR_K = Learner("mrk", "Mr K", "instructor")
S_GOOD, DECAY = 2.3065, 0.1542  # FSRS-6 defaults: stability (days) after a first "good"; the curve's decay
# FSRS-6 forgetting curve R = (1 + F·t/S)^-decay, with F chosen so that R = 90 % at t = S; Ben answered 2 days ago
BEN_RECALL = (1 + (0.9 ** (-1 / DECAY) - 1) * 2 / S_GOOD) ** -DECAY


@pytest.fixture
def class_stores(classroom_page):
    """Ann: 2 answers in the last hour (kd_basics), 1 earlier (temperature), one exercise solved twice and one
    failed; Ben: one kd_basics answer 2 days ago; Cy never practised; Dan's file is not a database; Mr K teaches."""
    ann = ProgressStore(classroom.progress_path(ANN), fuzz=False)
    for question, rating, minutes in (("src-01", "good", 10), ("src-02", "good", 20), ("temp-01", "again", 180)):
        ann.record(question, "choice", rating, float(rating == "good"), NOW - timedelta(minutes=minutes))
    for kind, passed, minutes in (("coding:1_simple_distillation", 3, 5), ("coding:1_simple_distillation", 3, 4),
                                  ("coding:2_transfer_image", 1, 1)):
        ann.add_score(kind, passed, 3, {}, NOW - timedelta(minutes=minutes))
    ann.add_score("mock", 4, 4, {}, NOW - timedelta(minutes=30))  # a mock interview is not a coding exercise
    ben, mr_k = (ProgressStore(classroom.progress_path(who), fuzz=False) for who in (BEN, MR_K))
    ben.record("src-01", "flashcard", "good", 1.0, NOW - timedelta(days=2))
    mr_k.record("src-01", "flashcard", "again", 0.0, NOW)
    for store in (ann, ben, mr_k):
        store.close()
    classroom.progress_path(DAN).write_bytes(b"not a database at all")
    return [ANN, BEN, CY, DAN, MR_K]


def test_class_overview_matches_hand_computed_values(class_stores):
    files = {who.username: classroom.progress_path(who) for who in class_stores}
    before = {name: path.read_bytes() for name, path in files.items() if path.exists()}
    overview = dashboard.class_overview(class_stores, default_bank(), NOW)
    rows = {r["username"]: r for r in overview["learners"]}
    assert list(rows) == ["ann", "ben", "cy", "dan"]  # the instructor is not a learner
    assert (rows["ann"]["last_active"], rows["ann"]["answers_last_hour"], rows["ann"]["coding_solved"]) == (
        NOW - timedelta(minutes=1), 2, 1)
    assert (rows["ben"]["last_active"], rows["ben"]["answers_last_hour"], rows["ben"]["coding_solved"]) == (
        NOW - timedelta(days=2), 0, 0)
    assert rows["cy"] == {"username": "cy", "name": "Cy", "last_active": None, "answers_last_hour": 0,
                          "coding_solved": 0, "readable": True}
    assert not rows["dan"]["readable"] and rows["dan"]["last_active"] is None
    topics = {r["topic"]: r for r in overview["topics"]}
    assert topics["kd_basics"]["learners"] == 2 and topics["kd_basics"]["mean"] == pytest.approx((1.0 + BEN_RECALL) / 2)
    assert topics["temperature"] == {"topic": "temperature", "mean": pytest.approx(1.0), "learners": 1}
    assert topics["loss"] == {"topic": "loss", "mean": None, "learners": 0}
    # read-only: no file changed, none created (Cy), none moved aside (Dan)
    assert {name: path.read_bytes() for name, path in files.items() if path.exists()} == before
    assert not files["cy"].exists() and sorted(p.name for p in files["dan"].parent.iterdir()) == ["progress.db"]


def test_the_dashboard_shows_the_table_to_an_instructor_and_refuses_a_learner(class_stores, classroom_page):
    Roster().add([(who.username, who.name, who.role) for who in class_stores])
    at = classroom_page(MR_K, "class_dashboard.py")
    table = at.dataframe[0].value
    assert list(table["Name"]) == ["Ann", "Ben", "Cy", "Dan"] and list(table["Coding exercises solved"]) == [1, 0, 0, 0]
    assert list(table["Last active"])[2] == "never" and "Dan" in at.warning[0].value
    assert len(at.get("plotly_chart")) == 1
    refused = classroom_page(ANN, "class_dashboard.py")
    assert [i.value for i in refused.info] == ["This page is for the class's instructors only."]
    assert not refused.dataframe and not refused.get("plotly_chart")

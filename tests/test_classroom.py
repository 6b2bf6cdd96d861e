"""Classroom accounts and per-learner isolation: one learner's progress, export and reset never reach
another's, at the store level and through the pages; a crafted import is refused cleanly."""
import json
from datetime import datetime, timezone

import pytest

from kdcore.drills import classroom
from kdcore.drills.classroom import Learner, Roster, SignInRefused
from kdcore.drills.store import ImportRejected, ProgressStore
from kdcore.errors import ConfigError

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=timezone.utc)
ANN, BEN = Learner("ann", "Ann"), Learner("ben", "Ben")


@pytest.fixture(autouse=True)
def fresh_user_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("KDLAB_USER_DIR", str(tmp_path))
    return tmp_path


def test_roster_rows_are_validated_and_names_never_become_paths(fresh_user_dir):
    assert classroom.parse_roster("username,name,role\nann,Ann Lee\nmr.k,Mr K,instructor,K@School.example\n") == [
        ("ann", "Ann Lee", "learner", ""), ("mr.k", "Mr K", "instructor", "k@school.example")]
    for bad in ("../../etc,x", "a/b,x", "ann,Ann,admin", "", "x" * 40 + ",long", "ann,Ann,learner,not-an-address",
                "ann,Ann,learner,a@b,extra"):
        with pytest.raises(ConfigError):
            classroom.parse_roster(bad)
    folder = classroom.learner_dir(Learner("ann", "Ann"))
    assert folder.parent == fresh_user_dir / "learners" and len(folder.name) == 32 and "ann" not in folder.name


def test_join_code_works_once_and_sets_the_password(fresh_user_dir):
    roster = Roster()
    codes = roster.add(classroom.parse_roster("ann,Ann\nben,Ben\n"))
    assert len(set(codes.values())) == 2 and all(len(code) >= 12 for code in codes.values())
    stored = roster.db.execute("SELECT join_hash FROM accounts").fetchall()
    assert all(codes["ann"] not in row[0] and row[0].startswith("$2") for row in stored)  # bcrypt hashes only
    with pytest.raises(SignInRefused):
        roster.join("ann", codes["ben"], "ann-secret-1")
    assert roster.join("ann", codes["ann"], "ann-secret-1") == Learner("ann", "Ann")
    with pytest.raises(SignInRefused):  # spent
        roster.join("ann", codes["ann"], "someone-else")
    assert roster.sign_in("ANN ", "ann-secret-1").username == "ann"
    for name, password in (("ann", "wrong-password"), ("ben", ""), ("nobody", "ann-secret-1")):
        with pytest.raises(SignInRefused):
            roster.sign_in(name, password)
    with pytest.raises(ConfigError):
        roster.join("ben", codes["ben"], "short")


def test_session_tokens_resume_their_learner_until_expiry_or_sign_out(fresh_user_dir):
    roster = Roster()
    codes = roster.add(classroom.parse_roster("ann,Ann\nben,Ben\n"))
    ann = roster.join("ann", codes["ann"], "ann-secret-1")
    token = roster.open_session(ann, now=1000.0)
    assert roster.resume(token, now=1001.0) == ann
    assert roster.db.execute("SELECT COUNT(*) FROM sessions WHERE token_hash LIKE ?", (f"%{token}%",)).fetchone()[0] == 0
    for forged in (None, "", "x" * 43, token[:-1], token + "a", "' OR 1=1 --", 42):
        assert roster.resume(forged, now=1001.0) is None
    assert roster.resume(token, now=1000.0 + classroom.SESSION_HOURS * 3600 + 1) is None  # expired
    other = roster.open_session(ann, now=2000.0)
    roster.close_session(other)  # signed out
    assert roster.resume(other, now=2001.0) is None and roster.resume(token, now=2001.0) == ann


def test_saved_views_follow_the_signed_in_learner_not_the_browser(monkeypatch):
    import streamlit as st

    from kdapp import keep, learner
    from kdcore import saved

    folders = {}
    for browser in ("shared computer", "own laptop"):
        st.session_state[keep.TOKEN_KEY] = saved.new_token()  # each browser has its own cookie token
        for who in (ANN, BEN):
            monkeypatch.setattr(learner, "current", lambda who=who: who)
            folders[browser, who.username] = keep.views().folder
    assert folders["shared computer", "ann"] != folders["shared computer", "ben"]  # never the other's runs
    assert folders["shared computer", "ann"] == folders["own laptop", "ann"]  # hers wherever she signs in


def test_each_learner_sees_exports_and_resets_only_their_own_progress():
    ann, ben = (ProgressStore(classroom.progress_path(who), fuzz=False) for who in (ANN, BEN))
    assert ann.path != ben.path and classroom.progress_path(None) not in (ann.path, ben.path)
    ann.record("src-01", "flashcard", "good", 1.0, NOW)
    ann.add_score("mock", 3, 4, {"who": "ann"}, NOW)
    assert ben.counts() == {"cards": 0, "reviews": 0, "scores": 0}
    exported = ben.export_dict()
    assert exported["cards"] == {} and exported["reviews"] == [] and exported["scores"] == []
    ben.record("src-02", "flashcard", "again", 0.0, NOW)
    ben.reset()
    assert ann.counts() == {"cards": 1, "reviews": 1, "scores": 1}
    assert "ann" not in ben.export_json()


def test_thirty_learners_each_see_only_their_own_answers_and_scores():
    learners = [Learner(f"learner{i:02d}", f"Learner {i}") for i in range(30)]
    for i, who in enumerate(learners):
        store = ProgressStore(classroom.progress_path(who), fuzz=False)
        for n in range(i % 3 + 1):
            store.record(f"q-{who.username}-{n}", "flashcard", "good", 1.0, NOW)
        store.add_score("mock", i, 30, {"who": who.username}, NOW)
        store.close()
    for i, who in enumerate(learners):
        exported = ProgressStore(classroom.progress_path(who), fuzz=False).export_dict()
        assert {r["question_id"] for r in exported["reviews"]} == {f"q-{who.username}-{n}" for n in range(i % 3 + 1)}
        assert [s["detail"]["who"] for s in exported["scores"]] == [who.username]
        others = json.dumps(exported).replace(who.username, "")
        assert "learner" not in others  # no other learner's name anywhere in this export


def test_classroom_mode_is_forced_beyond_localhost_unless_switched_off():
    assert not classroom.is_classroom("127.0.0.1", {}) and classroom.is_classroom("0.0.0.0", {})
    assert classroom.is_classroom("", {}) and classroom.is_classroom("127.0.0.1", {"KDLAB_CLASSROOM": "1"})
    assert not classroom.is_classroom("0.0.0.0", {"KDLAB_CLASSROOM": "0"})


def test_the_progress_page_shows_only_the_signed_in_learners_answers(app_page):
    ProgressStore(classroom.progress_path(ANN)).record("src-01", "flashcard", "good", 1.0, NOW)
    views = {}
    for who in (ANN, BEN):
        at = app_page("progress.py")
        at.session_state["learner"] = who
        at.run()
        assert not at.exception, at.exception
        views[who.username] = [m.value for m in at.metric]
    assert views["ann"][2] == "1" and views["ben"][2] == "0", views


def test_the_app_asks_a_classroom_to_sign_in_before_any_page(app_page, monkeypatch):
    monkeypatch.setenv("KDLAB_CLASSROOM", "1")
    codes = Roster().add([("ann", "Ann", "learner")])
    at = app_page()
    assert "Sign in to the class" in [t.value for t in at.title]
    at.text_input[2].input("ann")
    at.text_input[3].input(codes["ann"])
    at.text_input[4].input("a-long-password")
    at.button[1].click().run()
    assert not at.exception, at.exception
    assert at.session_state["learner"] == Learner("ann", "Ann")
    assert "Sign in to the class" not in [t.value for t in at.title]


SCHOOL_AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "test-only",
               "client_id": "kdlab", "client_secret": "test-only",
               "server_metadata_url": "https://id.school.example/.well-known/openid-configuration"}


@pytest.mark.parametrize("address, signed_in", [(None, None), ("Ann@School.example", Learner("ann", "Ann")),
                                                ("eve@school.example", None)])
def test_a_school_account_signs_in_through_openid_connect_only_if_it_is_on_the_roster(monkeypatch, address, signed_in):
    """With an [auth] section in the secrets the sign-in page offers the school's sign-in (st.login); the
    address the provider vouches for (here faked: no provider is reachable offline) finds its roster account."""
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    from kdapp import learner

    monkeypatch.setenv("KDLAB_CLASSROOM", "1")
    Roster().add([("ann", "Ann", "learner", "ann@school.example"), ("ben", "Ben", "learner")])
    monkeypatch.setattr(learner, "school_email", lambda: address)
    learner.roster.clear()  # the server's roster: this test's user folder
    at = AppTest.from_file(str(Path(__file__).parents[1] / "app.py"), default_timeout=240)
    at.secrets["auth"] = SCHOOL_AUTH
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception, at.exception
    assert at.session_state["learner"] == signed_in if signed_in else "learner" not in at.session_state
    titles, labels = [t.value for t in at.title], [b.label for b in at.button]
    assert ("Sign in to the class" in titles) == (signed_in is None)
    if address is None:
        assert "Sign in with your school account" in labels
    elif signed_in is None:
        assert any("not on this class's roster" in w.value for w in at.warning) and "Sign out" in labels
    assert Roster().by_email("BEN@school.example") is None  # no address on the roster: no school sign-in


def _export(**overrides) -> str:
    data = {"format": "kdlab-progress", "version": 1, "cards": {}, "reviews": [], "scores": []}
    return json.dumps({**data, **overrides})


@pytest.mark.parametrize("payload", [
    _export(reviews=[{"question_id": "q", "mode": "choice", "rating": "good", "score": 1, "at": "2026-03-01T09:00:00"}]),
    _export(scores=[{"kind": "mock", "score": 1, "total": 2, "detail": {}, "at": "2026-03-01T09:00:00"}]),
    _export(scores=[{"kind": "mock", "score": "nan", "total": 2, "detail": {}, "at": NOW.isoformat()}]),
    _export(scores=[{"kind": "mock", "score": 1, "total": "inf", "detail": {}, "at": NOW.isoformat()}]),
    _export(cards={"q": {"card_id": 1, "state": 1, "step": 0, "stability": None, "difficulty": None,
                         "due": "2026-03-01T09:00:00", "last_review": None}}),
])
def test_crafted_imports_are_refused_and_progress_stays_usable(payload):
    store = ProgressStore(classroom.progress_path(ANN), fuzz=False)
    store.record("keep-me", "flashcard", "good", 1.0, NOW)
    with pytest.raises(ImportRejected):
        store.import_json(payload)
    assert store.counts()["reviews"] == 1 and store.due_ids(["keep-me", "new"], NOW) == ["new"]

"""Result links: a Lab run that finished is published on the server; a learner who opens a link with
the same settings sees that run without training, one with other settings or another browser's own
data sees nothing of it, and a tampered entry is never shown."""
from pathlib import Path

from conftest import finish
from streamlit.testing.v1 import AppTest

from kdcore import cache, published
from kdcore.config import RunConfig

APP = str(Path(__file__).resolve().parents[1] / "app.py")
LINK = {"dataset": "digits", "teacher_epochs": "2", "epochs": "2", "T": "3.5", "alpha": "0.6"}


def open_lab(query: dict, token: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=240)
    at.session_state["keep_token"] = token  # each learner its own browser
    at.query_params.update(query)
    at.run()
    at.switch_page("pages/lab.py")
    at.query_params.update(query)
    at.run()
    assert not at.exception, at.exception
    return at


def test_a_published_entry_round_trips_and_a_tampered_one_is_not_shown():
    share = ("lab", RunConfig(), "fingerprint")
    assert published.find(share) is None
    published.publish(share, {"accuracy": 0.9})
    state, at = published.find(share)
    assert state == {"accuracy": 0.9} and at > 0
    path = cache.path_for(published._key(share))
    flipped = bytearray(path.read_bytes())
    flipped[-12] ^= 0xFF  # one byte of the payload
    path.write_bytes(bytes(flipped))
    assert published.find(share) is None  # moved aside by the cache's signature check


def test_only_built_in_datasets_are_published():
    assert published.publishable(RunConfig())
    assert not published.publishable(RunConfig().replace(**{"data.dataset": "/some/learner/upload.zip"}))


def test_a_link_to_a_finished_run_shows_it_without_training():
    author = open_lab(LINK, "a" * 32)
    author.button[0].click().run()  # Train, with the link's settings
    finish(author, "lab")
    mine = author.session_state["lab_runs"][-1]

    learner = open_lab(LINK, "b" * 32)
    assert "live_lab" not in learner.session_state  # nothing trains
    shown = learner.session_state["lab_runs"]
    assert len(shown) == 1 and shown[0].config == mine.config
    assert [s["kd_accuracy"] for s in shown[0].per_seed] == [s["kd_accuracy"] for s in mine.per_seed]
    assert any("already finished on this server" in info.value for info in learner.info)
    assert learner.table and learner.metric  # the run's results are on the page

    assert "lab_runs" not in open_lab({**LINK, "T": "4.5"}, "c" * 32).session_state  # other settings: nothing
    assert "lab_runs" not in open_lab({}, "d" * 32).session_state  # no link: the page starts empty as before

"""Reloads of the paper gallery in AppTest (a reload is a new session of the same browser, as in
test_keep_pages): a finished card run comes back with its card open and its verdict, even when the
result cache no longer holds it; another browser sees nothing of it; a corrupt view is skipped."""
import pytest
from conftest import finish
from streamlit.testing.v1 import AppTest
from test_gallery import fake_card, figures
from test_keep_pages import APP, MINE, OTHER, browser, texts

from kdcore import gallery, saved
from kdcore.gallery.card import Measurement
from kdcore.gallery.run import CardResult, SeedRun


@pytest.fixture(autouse=True)
def fresh_user(tmp_path, monkeypatch):
    monkeypatch.setenv("KDLAB_USER_DIR", str(tmp_path / "user"))


def test_a_finished_card_run_survives_a_reload_without_the_cache_and_stays_private(monkeypatch, tmp_path):
    calls = []
    card = fake_card(calls, name="fake-keep")
    monkeypatch.setattr(gallery, "CARDS", {card.name: card})
    at = browser(MINE, "gallery.py")
    at.button(key=f"gallery_open_{card.name}").click().run()
    at.multiselect(key="gallery_seeds").set_value([0, 2]).run()
    at.button(key="gallery_run").click().run()
    finish(at, "gallery")
    assert calls == [0, 2] and "+10.10" in " ".join(figures(at))
    monkeypatch.setenv("KDLAB_CACHE_DIR", str(tmp_path / "empty-cache"))  # the result cache is gone
    assert gallery.cached(card, (0, 2)) is None
    again = browser(MINE, "gallery.py")
    assert again.subheader[0].value == card.paper and again.multiselect(key="gallery_seeds").value == [0, 2]
    assert "+10.10" in " ".join(figures(again)) and "reproduced" in texts(again.markdown)
    assert calls == [0, 2]  # shown, not run again
    other = browser(OTHER, "gallery.py")
    assert not other.subheader and not figures(other)
    home = browser(MINE, "home.py")
    assert any(link.label.startswith("Paper gallery: your last card run") for link in home.get("page_link"))


def test_a_link_to_another_card_wins_over_the_saved_one(monkeypatch):
    born_again = gallery.CARDS["born-again"]
    kept = CardResult(born_again, (SeedRun(0, Measurement({"teacher": 0.9, "born_again": 0.95}, 1000), 1.0, False),), 0.0)
    saved.SavedViews(MINE).save("gallery", kept.to_state())
    at = browser(MINE, "gallery.py")
    assert at.subheader[0].value == born_again.paper and at.multiselect(key="gallery_seeds").value == [0]
    assert "+5.00" in " ".join(figures(at))
    linked = AppTest.from_file(APP, default_timeout=120)
    linked.session_state["keep_token"] = MINE
    linked.query_params.update({"card": "omitted-digit", "seeds": "1"})
    linked.run()
    linked.switch_page("pages/gallery.py").run()
    assert linked.subheader[0].value == gallery.CARDS["omitted-digit"].paper and not figures(linked)


@pytest.mark.parametrize("damage", ["an unknown card", "an edited arm", "no seed"])
def test_a_corrupt_saved_card_run_is_skipped_with_a_notice(damage):
    card = gallery.CARDS["born-again"]
    state = CardResult(card, (SeedRun(0, Measurement({"teacher": 0.9, "born_again": 0.95}, 1000), 1.0, False),),
                       0.0).to_state()
    if damage == "an unknown card":
        state["card"] = "nope"
    elif damage == "an edited arm":
        state["runs"][0]["values"]["born_again"] = 1.5
    else:
        state["runs"] = []
    saved.SavedViews(MINE).save("gallery", state)
    at = browser(MINE, "gallery.py")
    assert "could not be read back and was skipped" in texts(at.error) and not at.subheader and not figures(at)
    assert browser(MINE, "gallery.py").error == []  # removed: the next reload is clean

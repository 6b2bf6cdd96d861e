"""A learner in a real browser opens a gallery card from a link, runs it, and reads the verdict, in both
languages. The fidelity card is the quickest (a few seconds a seed on the embedded digits)."""
import re

import pytest
from conftest import screenshot, scroll_to, wait_idle

pytestmark = pytest.mark.browser
VERDICTS = re.compile(r"^(reproduced|within noise|not reproduced)$")


def test_a_card_opened_from_a_link_runs_and_shows_its_verdict(page, app_url):
    page.goto(app_url + "/gallery?card=fidelity&seeds=0,1")
    page.get_by_text("Paper gallery: classic results").wait_for(timeout=120_000)
    wait_idle(page)
    run = page.get_by_role("button", name="Run this card")
    scroll_to(run)
    run.click()
    page.get_by_text("Verdict", exact=True).wait_for(timeout=240_000)
    wait_idle(page, timeout_ms=240_000)
    ours = page.locator("h4").filter(has_text=re.compile(r"^[+−-]\d+\.\d\d points ± \d+\.\d\d$"))
    assert ours.count() == 1 and ours.first.evaluate("e => e.scrollWidth <= e.clientWidth")  # shown whole
    badges = page.get_by_text(VERDICTS)
    assert badges.count() >= 2  # the card's tile and its detail both show the verdict the run gave
    assert page.get_by_text("One seed: the seed spread is unknown").count() == 0  # two seeds ran
    scroll_to(page.get_by_text("Verdict", exact=True))
    screenshot(page, "gallery_verdict_en")
    page.get_by_text("中文").first.click()
    page.get_by_text("结论", exact=True).first.wait_for(timeout=120_000)
    wait_idle(page)
    assert page.get_by_text(re.compile(r"^(已复现|噪声以内|未复现)$")).count() >= 2
    assert page.get_by_text(re.compile(r"^View (\d+ more|less)$")).count() == 0  # no untranslated navigation text
    scroll_to(page.get_by_text("结论", exact=True).last)
    screenshot(page, "gallery_verdict_zh")

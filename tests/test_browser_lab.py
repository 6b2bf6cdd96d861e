"""A learner in a real browser: open a shared Lab link, press Train, watch it finish, see the results."""
import pytest

from conftest import screenshot, scroll_to, wait_idle

pytestmark = pytest.mark.browser


def test_lab_trains_in_the_browser_and_shows_the_table(page, app_url):
    page.goto(f"{app_url}/lab?dataset=digits&teacher_epochs=8&epochs=3&T=4&alpha=0.9", wait_until="load")
    page.get_by_role("button", name="Train", exact=True).wait_for(timeout=120_000)
    wait_idle(page)
    screenshot(page, "lab-before")
    page.get_by_role("button", name="Train", exact=True).click()
    page.get_by_text("What the numbers say").wait_for(timeout=300_000)
    wait_idle(page, timeout_ms=300_000)
    scroll_to(page.locator("[data-testid='stTable']").first)
    path = screenshot(page, "lab-after-train")
    testids = page.eval_on_selector_all("[data-testid]", "els => [...new Set(els.map(e => e.dataset.testid))]")
    assert "stTable" in testids, testids  # a static table: every column shown
    assert page.locator("[data-testid='stTable']").get_by_text("CPU ms / image").is_visible()
    assert page.locator("[data-testid='stMetric']").count() == 3
    assert page.locator(".js-plotly-plot").count() >= 1
    assert page.get_by_text("Student, distilled").count() >= 1
    assert path.stat().st_size > 20_000

"""Presenter mode on the Lab in a real browser at 1280×720 (a projector): after a run, the readout, the
metrics and the Train button are on screen without scrolling, the learning curves next, and the
settings folded under them into a one-line summary, in English and (after a reload, the run kept) in Chinese. Screenshots of both
are saved for a person to look at."""
import pytest
from conftest import screenshot, scroll_to, wait_idle

pytestmark = pytest.mark.browser
SCREEN = {"width": 1280, "height": 720}


def on_screen(locator) -> bool:
    box = locator.bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= SCREEN["height"]


def check_first_screen(page, train: str, readout: str, summary: str, name: str) -> None:
    page.get_by_text(readout).first.wait_for(timeout=120_000)
    wait_idle(page)
    page.wait_for_timeout(1000)  # the chart draws itself after the run ends
    screenshot(page, name)
    assert on_screen(page.get_by_role("button", name=train, exact=True))
    assert on_screen(page.get_by_text(readout).first)
    assert page.locator("[data-testid='stMetric']").count() == 3 and on_screen(page.locator("[data-testid='stMetric']").last)
    folded = page.locator("[data-testid='stExpander'] summary").filter(has_text=summary)
    assert folded.count() == 1
    assert page.locator(".js-plotly-plot").first.bounding_box()["y"] < folded.bounding_box()["y"]  # curves above settings
    assert page.locator("[data-testid='stSlider']").first.is_hidden()  # settings folded
    scroll_to(folded)
    screenshot(folded.locator("xpath=.."), f"{name}-settings")  # the folded summary on its own


def test_presenter_mode_shows_the_result_and_train_first_at_720p(browser, app_url):
    context = browser.new_context(viewport=SCREEN)
    page = context.new_page()
    page.goto(f"{app_url}/lab?present=1&dataset=digits&teacher_epochs=2&epochs=2&T=4&alpha=0.9", wait_until="load")
    page.get_by_role("button", name="Train", exact=True).wait_for(timeout=120_000)
    wait_idle(page)
    page.get_by_role("button", name="Train", exact=True).click()
    check_first_screen(page, "Train", "What the numbers say", "Settings: UCI digits", "present-lab-en")
    page.goto(page.url.replace("lang=en", "lang=zh") if "lang=en" in page.url else page.url + "&lang=zh")
    check_first_screen(page, "开始训练", "结果解读", "设置：", "present-lab-zh")
    context.close()

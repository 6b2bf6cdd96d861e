"""Every page opens in a real browser in English and in Chinese without an error, with nothing left in
the other language's script where it should not be, and is saved as screenshots at 1280×720 and
1280×1400 for a person to look at (tests/artifacts/page-<page>-<lang>-<height>.png)."""
import re

import pytest
from conftest import screenshots, wait_idle

pytestmark = pytest.mark.browser
APP_PAGES = ["home", "course", "lab", "soft_labels", "curves", "methods", "transfer", "nlp", "gallery",
             "recommender", "drills", "coding", "progress"]
HAN = re.compile(r"[\u4e00-\u9fff]")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_page_opens_in_both_languages(page, app_url, lang):
    for key in APP_PAGES:
        page.set_viewport_size({"width": 1280, "height": 720})
        page.goto(f"{app_url}/{'' if key == 'home' else key}?lang={lang}")  # the home page is the root
        page.locator("[data-testid='stMain'] h1").first.wait_for(timeout=120_000)
        wait_idle(page)
        page.wait_for_timeout(1000)  # a page that writes its settings to the address runs once more
        wait_idle(page)  # e.g. the soft-labels page loads (or first trains) its teacher: the run ends after it
        assert page.locator("[data-testid='stException']").count() == 0, key
        assert page.get_by_role("dialog").count() == 0, key  # e.g. Streamlit's "Page not found"
        title = page.locator("[data-testid='stMain'] h1").first.inner_text()
        assert bool(HAN.search(title)) == (lang == "zh"), (key, title)
        screenshots(page, f"page-{key}-{lang}")

"""A learner in a real browser runs a small NLP distillation and reads the results, in both languages."""
import pytest
from conftest import screenshot, scroll_to, wait_idle

pytestmark = pytest.mark.browser


def press_home(page, label: str) -> None:
    """Move a slider to its smallest value with the keyboard, as a learner could."""
    page.get_by_role("slider", name=label).first.focus()
    page.keyboard.press("Home")


def test_small_run_shows_curves_table_distribution_and_samples(page, app_url):
    page.goto(app_url + "/nlp")
    page.get_by_text("NLP distillation: a character-level language model").wait_for(timeout=120_000)
    wait_idle(page)
    screenshot(page, "nlp_form_en")
    page.get_by_text("More settings").click()
    for label in ("Use the first … characters of the corpus", "Teacher training steps", "Student training steps"):
        press_home(page, label)
    page.get_by_role("button", name="Train").click()
    page.get_by_text("Size, speed and quality").wait_for(timeout=240_000)
    wait_idle(page, timeout_ms=240_000)
    assert page.get_by_text("Student, forward KL").first.is_visible()
    scroll_to(page.get_by_text("Size, speed and quality"))
    screenshot(page, "nlp_results_en")
    scroll_to(page.get_by_text("Generated text, side by side"))
    screenshot(page, "nlp_samples_en")
    page.get_by_text("中文").first.click()
    page.get_by_text("规模、速度与质量").wait_for(timeout=120_000)
    wait_idle(page)
    scroll_to(page.get_by_text("规模、速度与质量"))
    screenshot(page, "nlp_results_zh")

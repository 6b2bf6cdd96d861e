"""A learner in a real browser answers a multiple-choice question and sees the score."""
import pytest
from conftest import screenshot, wait_idle

from kdcore.drills.bank import default_bank

pytestmark = pytest.mark.browser


def test_answer_a_multiple_choice_question_and_see_the_score(page, app_url):
    page.goto(app_url + "/drills")
    wait_idle(page)
    page.get_by_text("Interview drills", exact=True).first.wait_for()
    page.locator("[data-testid='stButtonGroup'] button").filter(has_text="Multiple choice").click()
    page.get_by_text("Score this session: 0 / 0").wait_for()
    wait_idle(page)
    choices = {q.choice_question("en"): q for q in default_bank() if q.choice}  # the stem is the heading
    question = None
    for _ in range(60):  # the flashcard heading can linger for a moment after switching modes
        question = choices.get(page.locator("h4").first.inner_text().strip())
        if question:
            break
        page.wait_for_timeout(500)
    assert question is not None, "no multiple-choice question shown"
    right = question.choice["en"]["options"][question.choice["answer"]]
    page.locator("[data-testid='stMainBlockContainer'] [data-testid='stRadio'] label").filter(has_text=right).first.click()
    wait_idle(page)
    page.get_by_role("button", name="Submit").click()
    page.get_by_text("Score this session: 1 / 1").wait_for(timeout=60_000)
    wait_idle(page)
    page.get_by_text("Correct!").wait_for(timeout=30_000)  # the score can paint a moment before the verdict
    page.get_by_text(question.choice["en"]["explanation"]).wait_for(timeout=30_000)
    screenshot(page, "drills_choice_answered")

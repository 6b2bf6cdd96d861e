"""A learner in a real browser walks the whole course in Chinese, answers every check question, and
finds the language still there after a reload; screenshots of every lesson at 1280×720 and 1280×1400
in both languages (tests/artifacts/course-*.png)."""
import pytest
from conftest import screenshot, scroll_to, wait_idle

from kdapp.i18n import text
from kdcore.course import default_course

pytestmark = [pytest.mark.browser, pytest.mark.slow]
LESSONS = default_course()


def settle(tab, title: str, timeout_ms: int = 120_000) -> None:
    """Wait for a lesson's title, then for Streamlit to finish drawing (no run, no placeholder)."""
    tab.get_by_role("heading", name=title).first.wait_for(timeout=timeout_ms)
    wait_idle(tab, timeout_ms)
    tab.wait_for_function("() => !document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=timeout_ms)
    tab.wait_for_timeout(600)  # charts paint just after they attach


def answer_all(tab, lesson, lang: str) -> None:
    for number, question in enumerate(lesson.questions, 1):
        box = tab.locator("[data-testid='stVerticalBlock']").filter(
            has_text=f"{number}. {question.q(lang)}").last
        right = question.choice[lang]["options"][question.choice["answer"]]
        scroll_to(box)
        box.get_by_text(right, exact=True).click()
        box.get_by_role("button", name=text("drills.submit", lang)).click()
        box.get_by_text(text("drills.correct", lang)).wait_for(timeout=60_000)
        wait_idle(tab)


def test_walk_the_whole_course_in_chinese(page, app_url):
    page.goto(f"{app_url}/?lang=zh", wait_until="load")
    start = text("home.course_go", "zh", n=1, title=LESSONS[0].title["zh"])
    page.get_by_role("link", name=start).click()
    for index, lesson in enumerate(LESSONS):
        settle(page, lesson.title["zh"])
        page.wait_for_function(f"() => location.search.includes('lesson={lesson.id}')", timeout=30_000)
        assert "lang=zh" in page.url
        answer_all(page, lesson, "zh")
        total = len(lesson.questions)
        page.get_by_text(text("course.finished", "zh", right=total, total=total)).wait_for(timeout=30_000)
        if index == 0:  # a reload keeps the language and the lesson
            page.reload(wait_until="load")
            settle(page, lesson.title["zh"])
            assert page.get_by_text(text("course.progress", "zh", done=1, total=len(LESSONS))).count() >= 1
        if index < len(LESSONS) - 1:
            next_button = page.get_by_role("button", name=text("course.next", "zh"))
            scroll_to(next_button)
            next_button.click()
    page.get_by_role("link", name=text("nav.home", "zh")).first.click()
    page.get_by_text(text("home.course_done", "zh")).wait_for(timeout=60_000)
    assert "lang=zh" in page.url
    screenshot(page, "course-finished-home-zh")


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("height", [720, 1400])
def test_screenshots_of_every_lesson(browser, app_url, lang, height):
    context = browser.new_context(viewport={"width": 1280, "height": height})
    tab = context.new_page()
    try:
        for number, lesson in enumerate(LESSONS, 1):
            tab.goto(f"{app_url}/course?lang={lang}&lesson={lesson.id}", wait_until="load")
            settle(tab, lesson.title[lang])
            path = screenshot(tab, f"course-{number}-{lesson.id}-{lang}-{height}")
            widget = tab.get_by_text(text("course.try_it", lang), exact=True)
            scroll_to(widget)
            widget.evaluate("""e => {  // the widget at the top of the view, below Streamlit's header
                e.scrollIntoView({block: 'start'});
                let box = e.parentElement;
                while (box && box.scrollHeight <= box.clientHeight) box = box.parentElement;
                if (box) box.scrollBy(0, -140);
            }""")
            tab.wait_for_timeout(400)
            screenshot(tab, f"course-{number}-{lesson.id}-{lang}-{height}-widget")
            assert path.stat().st_size > 20_000
            if lang == "zh":  # nothing of the English interface leaks into the Chinese lesson
                assert tab.get_by_text(text("course.try_it", "en"), exact=True).count() == 0
    finally:
        context.close()


def test_presenter_mode_screenshot(browser, app_url):
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    tab = context.new_page()
    try:
        tab.goto(f"{app_url}/course?lang=zh&lesson=transfer&present=1", wait_until="load")
        settle(tab, LESSONS[2].title["zh"])
        tab.locator("[data-testid='stMetricValue']").first.wait_for(timeout=60_000)
        size = tab.eval_on_selector("[data-testid='stMetricValue'] p", "e => parseFloat(getComputedStyle(e).fontSize)")
        assert size >= 40, size  # the projector's larger type
        screenshot(tab, "course-present-zh-720")
    finally:
        context.close()

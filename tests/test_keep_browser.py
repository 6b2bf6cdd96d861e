"""Nothing lost, in a real browser and in Chinese: a finished Lab run, method comparison, sweep and NLP
run, a coding draft and a mock interview come back after a reload; the same link opened in a fresh
browser (another learner) opens the same settings and language but none of those results. Screenshots
at 1280×720 and 1280×1400 after each reload are saved for a person to look at."""
from urllib.parse import parse_qs, urlparse

import pytest
from conftest import screenshots, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# page, fast settings in the URL, the run button, what only a finished result shows
RUNS = [("lab", "dataset=digits&teacher_epochs=1&epochs=2", "开始训练", "[data-testid='stMetric']"),
        ("methods", "dataset=digits&epochs=1&methods=kd", "运行比较", "[data-testid='stDataFrame']"),
        ("curves", "dataset=digits&epochs=1&seeds=0&values=1,4", "运行扫描", "text=曲线说明了什么"),
        ("nlp", "chars=20000&teacher_steps=10&student_steps=10&methods=forward-kl", "开始训练", "text=规模、速度与质量")]


@pytest.mark.parametrize("name, settings, button, result", RUNS, ids=[r[0] for r in RUNS])
def test_a_finished_run_survives_a_reload_and_stays_in_this_browser(page, browser, app_url, name, settings, button, result):
    page.goto(f"{app_url}/{name}?lang=zh&{settings}")
    page.get_by_role("button", name=button).first.wait_for(timeout=120_000)
    wait_idle(page)
    page.get_by_role("button", name=button).first.click()
    page.locator(result).first.wait_for(timeout=300_000)
    wait_idle(page, timeout_ms=300_000)
    link = page.url
    page.reload()
    page.locator(result).first.wait_for(timeout=120_000)  # the result is back, in Chinese
    wait_idle(page)
    assert "lang=zh" in page.url
    kept = parse_qs(urlparse(page.url).query)
    assert all(kept.get(k) == v for k, v in parse_qs(settings).items())  # no setting fell back to its minimum
    screenshots(page, f"reload-{name}-zh")
    other = browser.new_context(viewport={"width": 1280, "height": 1400}).new_page()  # another learner, same link
    other.goto(link)
    other.get_by_role("button", name=button).first.wait_for(timeout=120_000)
    wait_idle(other)
    if name == "lab":  # a finished Lab run is published under its settings: the link shows it, saying so
        assert other.get_by_text("已在本服务器上完成").count() == 1
    else:  # nothing of the first browser's saved results
        assert other.locator(result).count() == 0
    opened = parse_qs(urlparse(other.url).query)
    assert all(opened.get(k) == v for k, v in parse_qs(settings).items())  # the settings came with the link
    assert opened["lang"] == ["zh"]
    other.context.close()


def test_a_coding_draft_survives_another_page_and_a_reload(page, app_url):
    page.goto(f"{app_url}/coding?lang=zh&exercise=6_hint_loss")
    editor = page.frame_locator("iframe[title*='code_editor']").first
    editor.locator(".ace_content").first.wait_for(timeout=120_000)
    editor.locator(".ace_content").first.click()
    page.keyboard.press("Control+End")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    page.keyboard.type("scale = 2  # mine")
    page.wait_for_timeout(2500)  # the editor sends its text after a pause in typing
    page.locator("h1").first.click()  # leaving the editor sends it once more (a rerun): let that finish first,
    wait_idle(page)                   # or Streamlit may drop a navigation clicked during it
    page.get_by_role("link", name="蒸馏实验室").first.click()  # another page of the app, same session
    page.get_by_text("三步").first.wait_for(timeout=120_000)
    page.reload()
    page.goto(f"{app_url}/coding?lang=zh&exercise=6_hint_loss")
    editor = page.frame_locator("iframe[title*='code_editor']").first
    editor.locator(".ace_content").first.wait_for(timeout=120_000)
    page.wait_for_timeout(1500)
    text = editor.locator(".ace_content").first.inner_text()
    assert "    scale = 2  # mine" in text  # kept, and Tab indented it by four spaces
    assert editor.locator(".ace_gutter-cell").count() > 10  # line numbers
    screenshots(page, "reload-coding-zh")


def test_a_mock_interview_in_progress_survives_a_reload(page, app_url):
    page.goto(f"{app_url}/drills?lang=zh&mode=mock")
    page.get_by_role("button", name="开始面试").wait_for(timeout=120_000)
    page.get_by_role("button", name="开始面试").click()
    page.get_by_text("⏱").first.wait_for(timeout=60_000)
    question = page.locator("h4").first.inner_text()
    page.reload()
    page.get_by_text("⏱").first.wait_for(timeout=60_000)
    page.locator("h4").first.wait_for(timeout=120_000)  # the question is drawn after the clock
    wait_idle(page)
    assert page.locator("h4").first.inner_text() == question
    screenshots(page, "reload-mock-zh")

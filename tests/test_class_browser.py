"""The class quiz in real browsers on a classroom server: the instructor opens a question, a learner looks
again and answers, and the instructor's chart shows the answer without a click or reload; the class
dashboard is listed for the instructor only, and a learner who opens its address is refused."""
import re

import pytest
from conftest import screenshot, serve, wait_idle

from kdcore.drills.bank import default_bank
from kdcore.drills.classroom import Roster

pytestmark = pytest.mark.browser
PASSWORD = "a-long-password"


@pytest.fixture(scope="module")
def classroom_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("classroom")
    roster = Roster(folder / "classroom.db")
    for username, code in roster.add([("mrk", "Mr K", "instructor"), ("ann", "Ann", "learner")]).items():
        roster.join(username, code, PASSWORD)
    roster.close()
    yield from serve({"KDLAB_CLASSROOM": "1", "KDLAB_USER_DIR": str(folder)})


def signed_in(browser, url: str, username: str):
    """A fresh tab that opens `url`, signs in as `username` and is then on the page the address names."""
    tab = browser.new_context(viewport={"width": 1280, "height": 1400}).new_page()
    tab.goto(url)
    wait_idle(tab)
    tab.get_by_label("User name").first.fill(username)
    tab.get_by_label("Password", exact=True).first.fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.get_by_text("Signed in as").wait_for(timeout=60_000)
    wait_idle(tab)
    more = tab.get_by_text(re.compile(r"^View \d+ more$"))
    if more.count():
        more.click()
    return tab


def nav_link(tab, title: str):
    return tab.locator("[data-testid='stSidebarNav'] a").filter(has_text=title)


def test_a_quiz_reaches_the_learner_and_the_answer_reaches_the_instructor_live(browser, classroom_url):
    question = next(q for q in default_bank() if q.choice)
    teacher = signed_in(browser, classroom_url + "/class_quiz", "mrk")
    ann = signed_in(browser, classroom_url + "/class_dashboard", "ann")
    ann.get_by_text("This page is for the class's instructors only.").wait_for(timeout=30_000)
    assert nav_link(teacher, "Class dashboard").count() == 1 and nav_link(ann, "Class dashboard").count() == 0
    nav_link(ann, "Class quiz").click()
    ann.get_by_text("No question is open right now").wait_for(timeout=30_000)
    teacher.get_by_role("button", name="Open for the class").click()
    teacher.get_by_text("Answers: 0 of 1 learners").wait_for(timeout=30_000)
    options = question.choice["en"]["options"]
    ann.get_by_role("button", name="Look again").click()
    ann.get_by_text(question.choice_question("en")).wait_for(timeout=15_000)
    ann.locator("[data-testid='stRadio'] label").filter(has_text=options[0]).first.click()
    wait_idle(ann)
    ann.get_by_role("button", name="Send my answer").click()
    ann.get_by_text("Answer sent.").wait_for(timeout=15_000)
    teacher.get_by_text("Answers: 1 of 1 learners").wait_for(timeout=15_000)  # no click: the tally reruns each second
    screenshot(teacher, "class_quiz_tally")
    teacher.get_by_role("button", name="Reveal the answer").click()
    teacher.get_by_text("Right answer:").wait_for(timeout=15_000)
    ann.get_by_role("button", name="Look again").click()
    ann.get_by_text("Correct!" if question.choice["answer"] == 0 else "Not quite.").first.wait_for(timeout=15_000)
    nav_link(teacher, "Class dashboard").click()
    teacher.get_by_text("Class dashboard", exact=True).last.wait_for()
    teacher.locator("[data-testid='stDataFrame']").wait_for(timeout=30_000)
    screenshot(teacher, "class_dashboard")


def test_a_reload_keeps_the_learner_signed_in_until_they_sign_out(browser, classroom_url):
    ann = signed_in(browser, classroom_url + "/drills", "ann")
    ann.wait_for_function("document.cookie.includes('kdlab_session=')", timeout=30_000)  # set by the page's script
    ann.reload()
    wait_idle(ann)
    ann.get_by_text("Signed in as Ann").wait_for(timeout=60_000)  # the session cookie, not the password
    assert ann.get_by_role("button", name="Sign in").count() == 0
    ann.get_by_role("button", name="Sign out").click()
    ann.get_by_role("button", name="Sign in").first.wait_for(timeout=30_000)
    ann.reload()
    wait_idle(ann)
    ann.get_by_role("button", name="Sign in").first.wait_for(timeout=60_000)  # signed out stays signed out
    assert ann.get_by_text("Signed in as").count() == 0
    assert "kdlab_session=" not in ann.evaluate("document.cookie")

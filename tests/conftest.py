"""Shared fixtures: isolated cache/user dirs, an AppTest factory, and a real browser on a live server."""
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
MNIST_TEST = SHARED / "data" / "mnist-test"
USPS = SHARED / "data" / "usps" / "usps16.npz"
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


@pytest.fixture(scope="session", autouse=True)
def _isolated_dirs(tmp_path_factory):
    """Caches are shared by the whole run (a teacher trained once is reused), user data is scratch."""
    os.environ["KDLAB_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    os.environ["KDLAB_USER_DIR"] = str(tmp_path_factory.mktemp("user"))
    os.environ["KDLAB_DATA_DIR"] = str(tmp_path_factory.mktemp("data"))
    os.environ.setdefault("KDLAB_OFFLINE", "1")  # tests never try the network
    os.environ.setdefault("KDLAB_CLASSROOM", "0")  # AppTest has no server address; classroom tests set 1
    yield


@pytest.fixture
def mnist_test_dir():
    if not (MNIST_TEST / "t10k-images-idx3-ubyte.gz").exists():
        pytest.skip(f"official MNIST test set not found at {MNIST_TEST} (evaluation data beside the repo)")
    return MNIST_TEST


@pytest.fixture
def app_page():
    """Open a page of the app in AppTest: `at = app_page("lab.py")`."""
    from streamlit.testing.v1 import AppTest

    def open_page(page: str | None = None, lang: str = "en"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
        at.session_state["lang"] = lang
        at.run()
        if page:
            at.switch_page(f"pages/{page}")
            at.run()
        assert not at.exception, at.exception
        return at

    return open_page


@pytest.fixture
def classroom_page(tmp_path, monkeypatch):
    """A classroom server with a scratch user folder; `at = classroom_page(learner, "class_quiz.py")` opens
    a page as that account, already signed in."""
    from streamlit.testing.v1 import AppTest

    from kdapp import learner

    monkeypatch.setenv("KDLAB_USER_DIR", str(tmp_path))
    monkeypatch.setenv("KDLAB_CLASSROOM", "1")
    learner.roster.clear()  # a roster cached by another test lives in that test's folder

    def open_page(who, page: str, lang: str = "en"):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.session_state["lang"] = lang
        at.session_state["learner"] = who
        at.run()
        at.switch_page(f"pages/{page}")
        at.run()
        assert not at.exception, at.exception
        return at

    return open_page


def finish(at, key: str, timeout: float = 300):
    """Wait for the live run under `key` (kdapp.live) to end, then rerun the page so it shows the result."""
    if f"live_{key}" in at.session_state:
        at.session_state[f"live_{key}"].thread.join(timeout)
    at.run()
    assert not at.exception, at.exception
    return at


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


SERVER_PIDS: dict[str, int] = {}  # app_url → the server's process id (for tests that measure the server)


def serve(env_overrides: dict | None = None):
    """Run a real Streamlit server on localhost (with `env_overrides` in its environment); yields its URL."""
    port = _free_port()
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false", **(env_overrides or {}))
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "app.py"), "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    SERVER_PIDS[url] = proc.pid
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.3)
    yield url
    proc.terminate()
    proc.wait(timeout=20)


@pytest.fixture(scope="session")
def app_url():
    """A real Streamlit server on localhost for browser tests."""
    yield from serve()


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed (apt-get install -y chromium); browser tests need it")
    playwright = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install -e '.[test]')")
    with playwright.sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
            "--disable-component-update", "--disable-sync"])
        yield b
        b.close()


@pytest.fixture
def page(browser, app_url):
    """A fresh browser tab, 1280×1400, pointed at nothing yet; use `page.goto(app_url + '/lab')`."""
    context = browser.new_context(viewport={"width": 1280, "height": 1400})
    tab = context.new_page()
    yield tab
    context.close()


def wait_idle(tab, timeout_ms: int = 120_000) -> None:
    """Wait until Streamlit has finished the current run (the 'running' widget is gone)."""
    tab.wait_for_selector("[data-testid='stApp']", timeout=timeout_ms)
    tab.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout_ms)


def screenshot(tab, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    tab.screenshot(path=str(path))
    return path


def screenshots(tab, name: str) -> None:
    """The page at 1280×720 (a projector) and 1280×1400 (a laptop's whole window): `{name}-720`, `{name}-1400`."""
    for height in (720, 1400):
        tab.set_viewport_size({"width": 1280, "height": height})
        screenshot(tab, f"{name}-{height}")


def scroll_to(locator, attempts: int = 5) -> None:
    """Scroll an element into view; Streamlit may re-render it just after a run, so retry briefly."""
    from playwright.sync_api import Error

    for attempt in range(attempts):
        try:
            locator.scroll_into_view_if_needed(timeout=10_000)
            return
        except Error:
            if attempt == attempts - 1:
                raise
            locator.page.wait_for_timeout(500)

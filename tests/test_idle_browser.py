"""An open page that is not running anything costs the server (almost) no CPU: with a class of 30 browsers
open, a page that polled would keep the server's cores busy and slow everyone's runs. Measured from the
server process's own CPU time (/proc), so other work on the machine does not count."""
from pathlib import Path

import pytest
from conftest import SERVER_PIDS, wait_idle

pytestmark = pytest.mark.browser


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100  # utime + stime, in clock ticks of 1/100 s


@pytest.mark.parametrize("name", ["lab", "curves", "methods", "transfer", "nlp", "gallery"])
def test_an_idle_page_does_not_keep_the_server_busy(page, app_url, name):
    if not Path("/proc/self/stat").exists():
        pytest.skip("needs /proc to read the server's CPU time")
    page.goto(f"{app_url}/{name}?lang=zh")
    wait_idle(page)
    page.wait_for_timeout(6000)  # the first seconds still load the page's data
    before = cpu_seconds(SERVER_PIDS[app_url])
    page.wait_for_timeout(6000)
    used = cpu_seconds(SERVER_PIDS[app_url]) - before
    assert used < 0.6, f"an idle {name} page used {used:.2f} s of server CPU in 6 s"  # polling used ~4 s

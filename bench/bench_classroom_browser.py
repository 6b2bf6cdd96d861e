"""A signed-in class pressing Train at once, in real browsers: one Chromium context per learner on a
classroom server (`KDLAB_CLASSROOM=1`, every learner signs in with their own account).

  python bench/bench_classroom_browser.py --learners 30

First one learner alone on a server with a cold cache, then N learners on a fresh server with a cold
cache: each signs in, opens the Lab with its default settings and waits; then all press Train one
after another, and each learner's time runs from their own press until their page shows the result's
readout. Prints the slowest learner's time over the single run's (target ≤ 2×), the server's peak
resident memory (target ≤ 3 GB; the browsers' own memory is not counted) and that every learner saw a
result signed with their own name. Chromium's pages share the server's two cores with it, so this
measures the class as its server would see it, browsers included.
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSWORD = "a-long-password"
READOUT = "What the numbers say"  # the Lab's result readout: the run has finished and is shown
# Each page notes, itself, the moment the readout appears, so the bench does not poll 30 pages' DOMs
# four times a second (which cost the browsers more CPU than the pages' own updates).
WATCH_READOUT = """text => { window.kdReadoutAt = null; new MutationObserver((_, seen) => {
    if (document.body.textContent.includes(text)) { window.kdReadoutAt = Date.now() / 1000; seen.disconnect(); }
}).observe(document.body, {childList: true, subtree: true, characterData: true}); }"""


def class_server(learners: int):
    """A classroom server with `learners` accounts (passwords set) and a cold cache; yields its URL and pid."""
    from conftest import SERVER_PIDS, serve

    from kdcore.drills.classroom import Roster

    folder = Path(tempfile.mkdtemp(prefix="kdlab-bench-class-"))
    roster = Roster(folder / "classroom.db")
    for username, code in roster.add([(f"l{i:02d}", f"Learner {i}", "learner") for i in range(learners)]).items():
        roster.join(username, code, PASSWORD)
    roster.close()
    server = serve({"KDLAB_CLASSROOM": "1", "KDLAB_USER_DIR": str(folder), "KDLAB_CACHE_DIR": str(folder / "cache")})
    url = next(server)
    return server, url, SERVER_PIDS[url]


def signed_in_lab(browser, url: str, username: str):
    from conftest import wait_idle

    tab = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    tab.goto(f"{url}/lab")
    wait_idle(tab, 300_000)
    tab.get_by_label("User name").first.fill(username)
    tab.get_by_label("Password", exact=True).first.fill(PASSWORD)
    tab.get_by_role("button", name="Sign in").click()
    tab.get_by_role("button", name="Train", exact=True).wait_for(timeout=300_000)
    wait_idle(tab, 300_000)
    return tab


def peak_rss_gb(pid: int) -> float:
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    return int(fields["VmHWM"].split()[0]) / 2**20


def pids(name: str):
    """Every process whose command line contains `name`."""
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if name in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
                yield int(pid)
        except OSError:
            continue


def cpu_seconds(name: str) -> float:
    """User + system CPU seconds used so far by every process whose command line contains `name`."""
    total, tick = 0.0, os.sysconf("SC_CLK_TCK")
    for pid in pids(name):
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def renice(name: str, niceness: int) -> None:
    """Lower the priority of every process whose command line contains `name` (its children inherit it)."""
    for pid in pids(name):
        try:
            os.setpriority(os.PRIO_PROCESS, pid, niceness)
        except OSError:
            continue


def press_train(browser, learners: int) -> tuple[list[float], float, dict]:
    """Seconds from each learner's press to their readout, the server's peak RSS in GB, and the CPU
    seconds the server and the browsers used from the first press until the bench saw the last readout
    (at most 2 s after it)."""
    server, url, pid = class_server(learners)
    try:
        tabs = [signed_in_lab(browser, url, f"l{i:02d}") for i in range(learners)]
        print(f"{learners} learners signed in, on the Lab; pressing Train", flush=True)
        before = {"server": cpu_seconds("streamlit"), "browsers": cpu_seconds("chrom")}
        pressed = []
        for tab in tabs:
            tab.evaluate(WATCH_READOUT, READOUT)
            tab.get_by_role("button", name="Train", exact=True).click()
            pressed.append(time.time())  # the pages' Date.now() reads the same clock
        ends, deadline = [None] * learners, time.time() + 1800
        while None in ends and time.time() < deadline:
            time.sleep(2)
            for i, tab in enumerate(tabs):
                if ends[i] is None and (seen := tab.evaluate("window.kdReadoutAt")) is not None:
                    ends[i] = seen - pressed[i]
        if None in ends:
            raise SystemExit(f"{ends.count(None)} learners saw no result within 30 minutes")
        used = {"server": cpu_seconds("streamlit") - before["server"], "browsers": cpu_seconds("chrom") - before["browsers"]}
        names = [tab.get_by_text(f"Signed in as Learner {i}").count() for i, tab in enumerate(tabs)]
        if not all(names):
            raise SystemExit("a learner's page did not show their own name")
        for tab in tabs:
            tab.context.close()
        return ends, peak_rss_gb(pid), used
    finally:
        next(server, None)  # the generator stops the server after its yield


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--learners", type=int, default=30)
    parser.add_argument("--nice-browsers", action="store_true",
                        help="run the browser pages at the lowest CPU priority, standing in for learners' own devices: "
                             "the server gets the cores whenever it wants them")
    args = parser.parse_args()
    sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
    from conftest import CHROMIUM
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        if args.nice_browsers:
            renice("chrom", 19)
        alone, _, _ = press_train(browser, 1)
        together, rss, used = press_train(browser, args.learners)
        browser.close()
    print(f"one signed-in learner, cold cache: {alone[0]:.1f} s; {args.learners} signed-in learners in Chromium at "
          f"once, cold cache: slowest {max(together):.1f} s, median {statistics.median(together):.1f} s → "
          f"{max(together) / alone[0]:.2f}× the single run (target ≤ 2×); server peak RSS {rss:.2f} GB "
          f"(target ≤ 3 GB); every learner saw their own name beside their result. From the first press to the "
          f"last readout ({max(together):.0f} s, {os.cpu_count()} cores) the server used {used['server']:.0f} CPU-s "
          f"and the {args.learners} browser pages {used['browsers']:.0f} CPU-s"
          f"{' (browsers at the lowest priority)' if args.nice_browsers else ''}")


if __name__ == "__main__":
    main()

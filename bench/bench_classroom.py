"""A class pressing Train at once on one server: the Lab page's own code (Streamlit AppTest
sessions in one process, as a server holds them), each session a learner.

  python bench/bench_classroom.py same --learners 30      # everyone presses Train on the default Lab
  python bench/bench_classroom.py different --learners 30 # everyone a different temperature

`same` first times one learner alone with a cold cache, then N learners at once with a cold cache,
and prints the slowest learner's time over the single run's (target ≤ 2). `different` gives each
learner their own temperature (the teacher is shared, the students are not), checks that every run finishes
without an error and prints the process's peak resident memory. The training queue allows
`KDLAB_MAX_JOBS` runs at once (default one per two cores).
"""
import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def fresh_cache() -> None:
    os.environ["KDLAB_CACHE_DIR"] = tempfile.mkdtemp(prefix="kdlab-bench-cache-")
    os.environ.setdefault("KDLAB_USER_DIR", tempfile.mkdtemp(prefix="kdlab-bench-user-"))
    os.environ.setdefault("KDLAB_CLASSROOM", "0")  # sign-in is not what is measured here


def open_lab(temperature: float | None):
    """A learner's session on the Lab page (and, with `temperature`, that T set), ready to press Train."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    at.session_state["device"] = "cpu"
    at.run()
    at.switch_page("pages/lab.py")
    at.run()
    if temperature is not None:
        at.slider(key="lab_T").set_value(temperature)
    return at


def press_train(temperatures) -> list[float]:
    """Every learner opens the Lab first (a class has the page open before the instructor says
    "go"); then they press Train one after another (a script run each: AppTest sessions are not
    thread-safe) while the runs already started train in their own threads. Returns each learner's
    seconds from their own press to the end of their run. Raises if any run failed."""
    sessions = [open_lab(temperature) for temperature in temperatures]
    pressed = []
    for at in sessions:
        pressed.append(time.perf_counter())
        at.button[0].click().run()
    ends = []
    for at, start in zip(sessions, pressed):
        view = at.session_state["live_lab"]
        view.thread.join()
        if view.error is not None:
            raise SystemExit(f"a learner's run failed: {view.error}")
        ends.append(view.job.finished_at - start)
    return ends


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("part", choices=["same", "different"])
    parser.add_argument("--learners", type=int, default=30)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    if args.part == "same":
        for _ in range(2):  # the first pays the process's one-off costs (imports, first script runs)
            fresh_cache()
            alone = press_train([None])[0]
        fresh_cache()
        together = press_train([None] * args.learners)
        print(f"one learner, cold cache: {alone:.1f} s; {args.learners} learners at once, cold cache: slowest "
              f"{max(together):.1f} s, median {sorted(together)[len(together) // 2]:.1f} s "
              f"→ {max(together) / alone:.2f}× the single run (target ≤ 2×)")
    else:
        fresh_cache()
        ends = press_train([1.0 + 0.5 * i for i in range(args.learners)])
        peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
        print(f"{args.learners} learners, {args.learners} different temperatures: all finished, none failed; slowest "
              f"{max(ends):.1f} s, fastest {min(ends):.1f} s; peak RSS {peak_gb:.2f} GB (target ≤ 3 GB)")


if __name__ == "__main__":
    main()

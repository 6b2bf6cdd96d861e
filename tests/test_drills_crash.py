"""kill -9 of the server while 30 learners review: every review the server acknowledged (its
`record` call returned) is in that learner's progress database afterwards, and every database opens
without recovery."""
import os
import signal
import subprocess
import sys
import textwrap
import time

from kdcore.drills.classroom import Learner, progress_path
from kdcore.drills.store import ProgressStore

LEARNERS = 30

SERVER = textwrap.dedent("""
    import sys, threading
    from kdcore.drills.classroom import Learner, progress_path
    from kdcore.drills.store import ProgressStore

    lock = threading.Lock()

    def reviews(i):
        store = ProgressStore(progress_path(Learner(f"learner{i}", f"Learner {i}")), fuzz=False)
        n = 0
        while True:
            store.record(f"q{n % 7}", "flashcard", "good", 1.0)
            n += 1
            with lock:  # acknowledged: the answer has been written
                sys.stdout.write(f"{i} {n}\\n")
                sys.stdout.flush()

    for i in range(COUNT):
        threading.Thread(target=reviews, args=(i,), daemon=True).start()
    threading.Event().wait()
""").replace("COUNT", str(LEARNERS))


def test_no_acknowledged_review_is_lost_when_the_server_is_killed(tmp_path, monkeypatch):
    monkeypatch.setenv("KDLAB_USER_DIR", str(tmp_path))
    server = subprocess.Popen([sys.executable, "-c", SERVER], stdout=subprocess.PIPE, text=True)
    acked = {}
    deadline = time.monotonic() + 60
    try:
        while time.monotonic() < deadline and (len(acked) < LEARNERS or min(acked.values()) < 5):
            learner, n = map(int, server.stdout.readline().split())
            acked[learner] = n
    finally:
        os.kill(server.pid, signal.SIGKILL)  # mid-write for most of the 30
        server.wait()
    for line in server.stdout:  # acknowledgements already written before the kill count too
        learner, n = map(int, line.split())
        acked[learner] = n
    assert len(acked) == LEARNERS and min(acked.values()) >= 5
    for i, n in acked.items():
        store = ProgressStore(progress_path(Learner(f"learner{i}", f"Learner {i}")))
        assert store.recovered_from is None  # opened as it was: no corruption
        assert len(store.reviews()) >= n, f"learner {i}: {n} acknowledged, {len(store.reviews())} kept"
        store.close()

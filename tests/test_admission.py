"""The training queue (kdcore.admission) with fake jobs: at most `slots` at once, first come first
served, queue places reported, a stopped waiter leaves at once, a failing job gives its slot back."""
import threading
import time

import pytest

from kdcore import admission
from kdcore.errors import ConfigError
from kdcore.events import Done, Waiting


def fake_job(name, log, seconds=0.2):
    log.append(("start", name))
    time.sleep(seconds)
    log.append(("end", name))
    yield Done(result=name)


def test_at_most_slots_jobs_run_and_the_rest_go_in_arrival_order(monkeypatch):
    monkeypatch.setattr(admission, "POLL_SECONDS", 0.01)
    gate, log, places = admission.Gate(2), [], {}

    def learner(i):
        for event in gate.admitted(fake_job(i, log)):
            if isinstance(event, Waiting):
                places.setdefault(i, event.position)

    threads = []
    for i in range(6):
        threads.append(threading.Thread(target=learner, args=(i,)))
        threads[-1].start()
        time.sleep(0.02)  # arrivals in order 0, 1, 2, ...
    for thread in threads:
        thread.join()
    running, most = 0, 0
    for kind, _ in log:
        running += 1 if kind == "start" else -1
        most = max(most, running)
    assert most == 2
    assert [name for kind, name in log if kind == "start"] == list(range(6))
    assert places == {2: 1, 3: 2, 4: 3, 5: 4}  # 0 and 1 never waited
    assert gate.running == 0 and gate.waiting() == 0


def test_a_stopped_waiter_leaves_the_queue_and_a_failed_job_frees_its_slot():
    gate = admission.Gate(1)

    def failing():
        raise RuntimeError("boom")
        yield

    busy = gate.admitted(fake_job("a", [], seconds=0))
    next(busy)  # holds the only slot
    waiter = gate.admitted(fake_job("b", []))
    assert next(waiter) == Waiting(reason="queue", position=1)
    waiter.close()  # Stop while waiting
    assert gate.waiting() == 0
    busy.close()
    assert gate.running == 0
    with pytest.raises(RuntimeError):
        list(gate.admitted(failing()))
    assert gate.running == 0


@pytest.mark.parametrize("value", ["0", "-3", "many", "1000"])
def test_a_bad_max_jobs_setting_is_a_clear_error(monkeypatch, value):
    monkeypatch.setenv("KDLAB_MAX_JOBS", value)
    with pytest.raises(ConfigError, match="KDLAB_MAX_JOBS"):
        admission.default_slots()


def test_the_default_is_one_slot_per_two_cores(monkeypatch):
    monkeypatch.delenv("KDLAB_MAX_JOBS", raising=False)
    monkeypatch.setattr(admission.os, "cpu_count", lambda: 8)
    assert admission.default_slots() == 4
    monkeypatch.setenv("KDLAB_MAX_JOBS", "3")
    assert admission.default_slots() == 3

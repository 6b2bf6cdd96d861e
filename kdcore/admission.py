"""Fair compute on a shared server: one first-come, first-served queue in front of every training
run of the process, with at most `slots` runs training at once (default: one per two cores, at
least one; `KDLAB_MAX_JOBS` or `kdlab app --max-jobs` sets it). A run waiting for a slot yields Waiting(reason="queue",
position) events, so its page shows its place and can still be stopped; a stopped run leaves the
queue at once.

    for event in gate().admitted(run_lab(config)): ...
"""
import os
import threading

from .errors import ConfigError
from .events import Waiting
from .schema import Range

POLL_SECONDS = 0.5
SLOTS = Range(1, 256, integer=True)


def default_slots() -> int:
    """KDLAB_MAX_JOBS, else one slot per two cores (at least one); ConfigError for a bad setting."""
    value = os.environ.get("KDLAB_MAX_JOBS")
    if value is None:
        return max(1, (os.cpu_count() or 1) // 2)
    if not value.strip().isdigit():
        raise ConfigError("out_of_range_int", name="KDLAB_MAX_JOBS", interval=SLOTS.interval, value=value)
    return SLOTS.check("KDLAB_MAX_JOBS", int(value))


class Gate:
    def __init__(self, slots: int):
        self.slots, self.running = slots, 0
        self.queue: list[object] = []
        self.changed = threading.Condition()

    def position(self, ticket) -> int:
        return self.queue.index(ticket) + 1

    def wait(self, ticket):
        """Generator: Waiting events until `ticket` heads the queue and a slot is free; then it holds one."""
        with self.changed:
            self.queue.append(ticket)
        try:
            while True:
                with self.changed:
                    if self.queue[0] is ticket and self.running < self.slots:
                        self.queue.pop(0)
                        self.running += 1
                        return
                    position = self.position(ticket)
                yield Waiting(reason="queue", position=position)
                with self.changed:
                    self.changed.wait(POLL_SECONDS)
        except BaseException:
            self._leave_queue(ticket)
            raise

    def _leave_queue(self, ticket) -> None:
        with self.changed:
            if ticket in self.queue:
                self.queue.remove(ticket)
                self.changed.notify_all()

    def release(self) -> None:
        with self.changed:
            self.running -= 1
            self.changed.notify_all()

    def admitted(self, events):
        """Re-yield a runner's events once it holds a slot; the slot is given back when the runner
        ends, fails or is stopped (closed)."""
        ticket = object()
        yield from self.wait(ticket)
        try:
            yield from events
        finally:
            events.close()
            self.release()

    def waiting(self) -> int:
        return len(self.queue)


_GATE: Gate | None = None
_MADE = threading.Lock()


def gate() -> Gate:
    """The process's gate, made on first use from `default_slots()`."""
    global _GATE
    with _MADE:
        if _GATE is None:
            _GATE = Gate(default_slots())
        return _GATE

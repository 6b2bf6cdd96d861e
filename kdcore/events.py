"""Typed training events: every runner is a generator of them, the CLI prints them, a notebook
collects them, a page draws them. Stopping early is stopping the iteration.

- Phase(name, seed): a part of the run begins (loading data, the teacher, a student run, ...).
- Step(phase, seed, step, steps, epoch, loss_terms): one optimiser step; loss = Σ loss_terms.
- Epoch(phase, seed, epoch, metrics, step): an epoch (or evaluation point) ended; metrics such as {"accuracy": 0.93}.
- Partial(result): what a long runner has finished so far (a sweep's points): a Stop keeps it.
- Waiting(reason, position): the run waits for another run or for a training slot (kdcore.admission).
- Notice(code, params): something the learner should know; the run goes on (a cache entry retrained).
- Done(result): the last event of a runner; nothing comes after it.

Every event carries `progress` in [0, 1] over the whole run. Sub-runs (a teacher, one student) yield
progress over themselves and *return* what they built; a runner composes them with `Stages`, which
rescales progress and tags phase and seed, and yields Done(result) at the end.
"""
import dataclasses
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True, kw_only=True)
class Event:
    progress: float = 0.0  # share of the whole run done, 0–1
    phase: str = ""
    seed: int | None = None
    x: float | None = None  # the swept value, when the event belongs to a sweep


@dataclass(frozen=True, kw_only=True)
class Phase(Event):
    cached: bool = False  # the phase's work was found in the cache: it takes no time
    info: dict = field(default_factory=dict)  # e.g. {"soft_labels": 5000}


@dataclass(frozen=True, kw_only=True)
class Step(Event):
    step: int
    steps: int
    epoch: int
    loss_terms: dict  # {term: float}, already weighted
    elapsed: float  # seconds since this sub-run started

    @property
    def loss(self) -> float:
        return sum(self.loss_terms.values())


@dataclass(frozen=True, kw_only=True)
class Epoch(Event):
    epoch: int
    metrics: dict  # {"accuracy": held-out accuracy, ...}
    elapsed: float = 0.0
    step: int | None = None  # optimiser steps so far, for runners that measure in steps


@dataclass(frozen=True, kw_only=True)
class Partial(Event):
    result: object = None  # what the runner has finished so far: a Stop keeps it


@dataclass(frozen=True, kw_only=True)
class Waiting(Event):
    reason: str  # "same_run": another run is computing this very artefact; "queue": all training slots are busy
    position: int | None = None  # place in the queue (1: next), for "queue"


@dataclass(frozen=True, kw_only=True)
class Notice(Event):
    code: str  # a kdcore.errors message code: something the learner should know, the run goes on
    params: dict = field(default_factory=dict)

    @property
    def message(self):
        from .errors import KDLabError

        return KDLabError(self.code, **self.params)


@dataclass(frozen=True, kw_only=True)
class Done(Event):
    progress: float = 1.0
    result: object = None


class Stages:
    """The progress composer: a run made of stages with relative weights (a cached teacher weighs 0).

        stages = Stages([teacher_weight, 1, 1])
        teacher = yield from stages.run(0, train_teacher(...), phase="teacher")
    """

    def __init__(self, weights: Sequence[float]):
        self.weights, self.starts, start = list(weights), [], 0.0
        for weight in weights:
            self.starts.append(start)  # in weight units, so the end of stage i is exactly the start of i + 1
            start += weight
        self.total = start or 1.0

    def at(self, index: int, local: float = 0.0) -> float:
        return min(1.0, (self.starts[index] + self.weights[index] * local) / self.total)

    def run(self, index: int, events: Iterator[Event], **tags):
        """Re-yield a sub-run's events as stage `index` (progress rescaled, `tags` such as phase and
        seed set on each event) and return the sub-run's return value."""
        while True:
            try:
                event = next(events)
            except StopIteration as stop:
                return stop.value
            yield dataclasses.replace(event, progress=self.at(index, event.progress), **tags)

    def phase(self, index: int, name: str, **fields) -> Phase:
        return Phase(progress=self.at(index), phase=name, **fields)


def curve_row(event: Epoch) -> dict:
    """One point of a learning curve: {phase, seed, epoch, accuracy} (and x for sweeps)."""
    row = {"phase": event.phase, "seed": event.seed, "epoch": event.epoch, "accuracy": event.metrics["accuracy"]}
    return row if event.x is None else {**row, "x": event.x}


def curves(events: Iterable[Event]) -> list[dict]:
    """Learning curves of every Epoch event with an accuracy, in order."""
    return [curve_row(e) for e in events if isinstance(e, Epoch) and "accuracy" in e.metrics]


def recorded(events: Iterator[Event], rows: list):
    """Re-yield a sub-run's events, appending a curve row for each Epoch to `rows`; return its value."""
    while True:
        try:
            event = next(events)
        except StopIteration as stop:
            return stop.value
        if isinstance(event, Epoch) and "accuracy" in event.metrics:
            rows.append(curve_row(event))
        yield event


def result(events: Iterable[Event]):
    """Exhaust a runner and return its Done result (for scripts, notebooks and tests)."""
    for event in events:
        if isinstance(event, Done):
            return event.result
    raise RuntimeError("the run ended without a Done event")


def collect(events: Iterator[Event]) -> tuple[list[Event], object]:
    """Exhaust a sub-run: (its events, its return value)."""
    seen = []
    while True:
        try:
            seen.append(next(events))
        except StopIteration as stop:
            return seen, stop.value


class Clock:
    """Time left from progress: elapsed × (1 − p) / p, once p is large enough to mean something."""

    def __init__(self):
        self.start = time.perf_counter()

    def left(self, progress: float) -> float | None:
        elapsed = time.perf_counter() - self.start
        return elapsed * (1 - progress) / progress if progress >= 0.02 and elapsed >= 1 else None


def until_done(events: Iterator[Event]):
    """Re-yield a whole runner's events as a sub-run (its Partial and Done results stay inside) and
    return its Done result: a runner reused as one stage of a larger run."""
    for event in events:
        if isinstance(event, Done):
            return event.result
        if not isinstance(event, Partial):
            yield event
    raise RuntimeError("the run ended without a Done event")

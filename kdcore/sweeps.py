"""Sweeps: student accuracy as one setting of the Lab moves (T, α or the labelled fraction), with
several seeds per value, so the curves carry an error band instead of one lucky run.

Every student run is cached on disk, keyed by its full config, seed and the data's fingerprint: the
same sweep twice is instant, and a stopped sweep resumes where it stopped. The hard-label baseline
does not depend on T or α, so those sweeps train it once per seed and reuse it for every value.
"""
import dataclasses
import statistics
import time
from dataclasses import dataclass

from . import cache
from .config import RunConfig, StudentConfig
from .core import open_run, train_student
from .data import TestSet, test_set_of
from .errors import ConfigError
from .events import Done, Partial, recorded
from .lab import HARD
from .schema import MAX_SEEDS, Choice

PARAMS = {"temperature": "method.temperature", "alpha": "method.alpha",
          "labelled-fraction": "student.labelled_fraction"}  # CLI name → RunConfig path
DEFAULT_VALUES = {"temperature": (1.0, 2.0, 4.0, 8.0, 16.0), "alpha": (0.0, 0.25, 0.5, 0.75, 0.9, 1.0),
                  "labelled-fraction": (0.01, 0.03, 0.1, 0.3, 1.0)}
DEFAULT_BASE = RunConfig(student=StudentConfig(epochs=20))  # 20 epochs keeps a 5×3 sweep under a minute


@dataclass(frozen=True)
class SweepConfig:
    param: str = "temperature"  # temperature, alpha or labelled-fraction
    values: tuple[float, ...] = DEFAULT_VALUES["temperature"]  # the x axis
    seeds: tuple[int, ...] = (0, 1, 2)  # one student run per value and seed: mean ± sd
    base: RunConfig = DEFAULT_BASE  # every other setting

    def validate(self) -> "SweepConfig":
        Choice(tuple(PARAMS)).check("sweep parameter", self.param)
        if not self.values or not self.seeds:
            raise ConfigError("no_values")
        if len(self.values) > MAX_SEEDS:
            raise ConfigError("too_many_values", count=len(self.values), limit=MAX_SEEDS)
        for value in self.values:
            self.config_at(value).validate()
        return self

    def config_at(self, value: float) -> RunConfig:
        return self.base.replace(**{PARAMS[self.param]: float(value)})


@dataclass
class SweepResult:
    config: SweepConfig
    points: list[dict]  # KD student: x, mean, sd, per_seed (accuracy on the test set)
    baseline_points: list[dict]  # hard-label student, same shape
    curves: list[dict]  # phase, x, seed, epoch, accuracy (per-epoch learning curves)
    teacher_accuracy: float
    test_set: TestSet
    seconds: float | None  # None while the sweep is still running (a Partial result)

    def to_dict(self) -> dict:
        return {"param": self.config.param, "points": self.points, "baseline_points": self.baseline_points,
                "teacher_accuracy": self.teacher_accuracy, "test_set": self.test_set.to_dict(),
                "seconds": self.seconds, "base": dataclasses.asdict(self.config.base)}


def to_state(result: SweepResult) -> dict:
    """Plain data (kdcore.saved) from which `from_state` rebuilds the result."""
    config = result.config
    return {"param": config.param, "values": config.values, "seeds": config.seeds,
            "base": dataclasses.asdict(config.base), "points": result.points, "baseline_points": result.baseline_points,
            "curves": result.curves, "teacher_accuracy": result.teacher_accuracy,
            "test_set": result.test_set.to_dict(), "seconds": result.seconds}


def from_state(state: dict) -> SweepResult:
    """The SweepResult `to_state` saved; raises KeyError, TypeError or ValueError for malformed data."""
    config = SweepConfig(str(state["param"]), tuple(float(v) for v in state["values"]),
                         tuple(int(s) for s in state["seeds"]), RunConfig.from_dict(state["base"]))
    seconds = state["seconds"]
    return SweepResult(config, list(state["points"]), list(state["baseline_points"]), list(state["curves"]),
                       float(state["teacher_accuracy"]), test_set_of(state["test_set"]),
                       None if seconds is None else float(seconds))


def summarise(x: float, per_seed: list[float]) -> dict:
    """One point of a curve: {x, mean, sd, per_seed} (sd = 0 for a single seed)."""
    return {"x": x, "mean": statistics.fmean(per_seed),
            "sd": statistics.stdev(per_seed) if len(per_seed) > 1 else 0.0, "per_seed": per_seed}


def run_key(config: RunConfig, phase: str, seed: int, fingerprint: str) -> str:
    """Cache key of one student run; the method is left out of the baseline's key (it ignores it)."""
    settings = dataclasses.asdict(dataclasses.replace(config, seeds=(seed,), device="any"))
    if phase == "baseline":
        settings["method"] = None
    return cache.config_key(f"student-{phase}", {**settings, "data": fingerprint})


def student_run(core, config: RunConfig, phase: str, seed: int):
    """Generator of one student's events (none when cached); returns {"accuracy" (test set),
    "curve" (per-epoch accuracy on the live-curve slice), "cached"}."""
    def train():
        rows = []
        student = yield from recorded(train_student(dataclasses.replace(core, config=config),
                                                    HARD if phase == "baseline" else config.method, seed), rows)
        return {"accuracy": core.accuracy(student), "curve": [row["accuracy"] for row in rows]}

    entry, cached = yield from cache.once(run_key(config, phase, seed, core.data.fingerprint), train)
    return {**entry, "cached": cached}


def run_sweep(config: SweepConfig, data=None):
    """Generator of events: the teacher (no share of the bar), each student run (tagged with phase
    "baseline"/"kd", seed and x), a Partial(SweepResult) after each value, then Done(SweepResult).
    Stopping keeps the points already yielded and every finished run in the disk cache."""
    config.validate()
    start = time.perf_counter()
    runs = [(value, seed, phase) for value in config.values for seed in config.seeds for phase in ("baseline", "kd")]
    core, stages = yield from open_run(config.base, data, len(runs), teacher_weight=0.0)
    result = SweepResult(config, [], [], [], core.teacher.test_accuracy, core.data.test_set, None)
    accuracy = {"baseline": [], "kd": []}
    for i, (value, seed, phase) in enumerate(runs):
        outcome = yield from stages.run(i + 1, student_run(core, config.config_at(value), phase, seed),
                                        phase=phase, seed=seed, x=value)
        accuracy[phase].append(outcome["accuracy"])
        result.curves += [{"phase": phase, "x": value, "seed": seed, "epoch": e, "accuracy": a}
                          for e, a in enumerate(outcome["curve"], start=1)]
        if len(accuracy["kd"]) == len(config.seeds):
            result.points.append(summarise(value, accuracy["kd"]))
            result.baseline_points.append(summarise(value, accuracy["baseline"]))
            accuracy = {"baseline": [], "kd": []}
            yield Partial(progress=stages.at(i + 1, 1.0), result=dataclasses.replace(result, points=list(result.points),
                          baseline_points=list(result.baseline_points), curves=list(result.curves)))
    result.seconds = time.perf_counter() - start
    yield Done(result=result)

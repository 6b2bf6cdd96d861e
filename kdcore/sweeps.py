"""Sweeps: student accuracy as one setting of the Lab moves (T, α or the labelled fraction), with
several seeds per value, so the curves carry an error band instead of one lucky run.

Every student run is cached on disk, keyed by its full config, seed and the data's fingerprint: the
same sweep twice is instant, and a stopped sweep resumes where it stopped. The hard-label baseline
does not depend on T or α, so those sweeps train it once per seed and reuse it for every value.
"""
import dataclasses
import statistics
import time
from dataclasses import dataclass, field

from . import cache
from . import data as datasets
from .device import resolve
from .errors import ConfigError
from .lab import LabConfig, train_student
from .teacher import Teacher, train_teacher
from .train import predict_logits

PARAMS = {"temperature": "temperature", "alpha": "alpha", "labelled-fraction": "labelled_fraction"}  # CLI name → LabConfig field
DEFAULT_VALUES = {"temperature": (1.0, 2.0, 4.0, 8.0, 16.0), "alpha": (0.0, 0.25, 0.5, 0.75, 0.9, 1.0),
                  "labelled-fraction": (0.01, 0.03, 0.1, 0.3, 1.0)}
KD_ONLY = {"temperature", "alpha"}  # settings the hard-label baseline ignores


@dataclass(frozen=True)
class SweepConfig:
    param: str = "temperature"  # temperature, alpha or labelled-fraction
    values: tuple[float, ...] = DEFAULT_VALUES["temperature"]  # the x axis
    seeds: tuple[int, ...] = (0, 1, 2)  # one student run per value and seed: mean ± sd
    base: LabConfig = field(default_factory=lambda: LabConfig(epochs=20))  # every other setting; 20 epochs keeps a 5×3 sweep under a minute

    def validate(self) -> "SweepConfig":
        if self.param not in PARAMS:
            raise ConfigError(f"Unknown sweep parameter {self.param!r}; choose one of {', '.join(PARAMS)}.")
        if not self.values or not self.seeds:
            raise ConfigError("A sweep needs at least one value and one seed.")
        for value in self.values:
            self.config_at(value).validate()
        return self

    def config_at(self, value: float) -> LabConfig:
        return dataclasses.replace(self.base, **{PARAMS[self.param]: float(value)})


@dataclass
class SweepResult:
    config: SweepConfig
    points: list[dict]  # KD student: x, mean, sd, per_seed (accuracy on the test set)
    baseline_points: list[dict]  # hard-label student, same shape
    curves: list[dict]  # phase, x, seed, epoch, accuracy (per-epoch learning curves)
    teacher_accuracy: float
    test_description: str
    seconds: float

    def to_dict(self) -> dict:
        return {"param": self.config.param, "points": self.points, "baseline_points": self.baseline_points,
                "teacher_accuracy": self.teacher_accuracy, "test_set": self.test_description,
                "seconds": self.seconds, "base": dataclasses.asdict(self.config.base)}


def summarise(x: float, per_seed: list[float]) -> dict:
    """One point of a curve: {x, mean, sd, per_seed} (sd = 0 for a single seed)."""
    return {"x": x, "mean": statistics.fmean(per_seed),
            "sd": statistics.stdev(per_seed) if len(per_seed) > 1 else 0.0, "per_seed": per_seed}


def run_key(config: LabConfig, phase: str, seed: int, data: datasets.Dataset) -> str:
    """Cache key of one student run; T and α are left out of the baseline's key (it ignores them)."""
    settings = dataclasses.asdict(dataclasses.replace(config, seeds=(seed,), device="any"))
    if phase == "baseline":
        settings.update(temperature=None, alpha=None)
    return cache.config_key(f"student-{phase}", {**settings, "data": data.fingerprint})


def student_run(config: LabConfig, phase: str, seed: int, data: datasets.Dataset, teacher: Teacher, device):
    """Generator of `fit` records for one student (none when cached), then one record whose "outcome"
    is {"accuracy" (test set), "curve" (per-epoch accuracy on ≤ 2,000 test images), "cached"}."""
    key = run_key(config, phase, seed, data)
    entry = cache.load(key)
    if entry is not None:
        yield {"outcome": {**entry, "cached": True}}
        return
    student, records, _ = train_student(config, phase, seed, data.x_train, data.y_train, teacher.train_logits,
                                        data.x_test[:2000], data.y_test[:2000], device)
    curve = []
    for record in records:
        if "eval_accuracy" in record:
            curve.append(record["eval_accuracy"])
        yield record
    entry = {"accuracy": (predict_logits(student, data.x_test).argmax(1) == data.y_test).float().mean().item(),
             "curve": curve}
    cache.save(key, entry)
    yield {"outcome": {**entry, "cached": False}}


def run_sweep(config: SweepConfig, data: datasets.Dataset | None = None):
    """Generator of records: teacher training (phase="teacher"), student steps (phase="baseline"/"kd",
    with x and seed), and after each value {"point": ..., "baseline_point": ...}; all carry "overall"
    progress (0–1). The last record (final=True) carries "result": a SweepResult. Stopping the
    iteration keeps the points already yielded and every finished run in the disk cache."""
    config.validate()
    base = config.base
    device = resolve(base.device)
    start = time.perf_counter()
    if data is None:
        data = datasets.load(base.dataset, data_dir=base.data_dir, test_idx=base.test_idx, subset=base.subset)
    teacher = None
    for record in train_teacher(base.teacher, data, device):
        teacher = record.get("teacher")
        yield {**record, "overall": 0.0, "final": False}

    runs_per_value = 2 * len(config.seeds)
    total = runs_per_value * len(config.values)
    points, baseline_points, curves = [], [], []
    for v, value in enumerate(config.values):
        lab_config = config.config_at(value)
        accuracy = {"baseline": [], "kd": []}
        for s, seed in enumerate(config.seeds):
            for p, phase in enumerate(("baseline", "kd")):
                done = v * runs_per_value + 2 * s + p
                for record in student_run(lab_config, phase, seed, data, teacher, device):
                    outcome = record.get("outcome")
                    if outcome is None:
                        yield {**record, "phase": phase, "x": value, "seed": seed, "final": False,
                               "overall": (done + record["progress"]) / total}
                accuracy[phase].append(outcome["accuracy"])
                curves += [{"phase": phase, "x": value, "seed": seed, "epoch": e, "accuracy": a}
                           for e, a in enumerate(outcome["curve"], start=1)]
        points.append(summarise(value, accuracy["kd"]))
        baseline_points.append(summarise(value, accuracy["baseline"]))
        yield {"phase": "point", "x": value, "point": points[-1], "baseline_point": baseline_points[-1],
               "curves": [row for row in curves if row["x"] == value], "teacher_accuracy": teacher.test_accuracy,
               "overall": (v + 1) / len(config.values), "final": False}
    result = SweepResult(config, points, baseline_points, curves, teacher.test_accuracy, data.test_description,
                         time.perf_counter() - start)
    yield {"phase": "done", "overall": 1.0, "final": True, "result": result}

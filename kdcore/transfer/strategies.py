"""The transfer strategies of the source document, and the two baselines, as metric generators.

Every strategy yields training records like `kdcore.train.fit` (with "phase" = its name) and ends
with a record holding "accuracy" (on the target's test set, after the last step: no target labels
are used to pick a checkpoint) and the trained "model".

- source-only: the source model, applied to the target as it is (0 target labels).
- target-only: a fresh network trained on the k labelled target images per class.
- feature: feature transfer: the source model's body frozen, a new head trained on the k-shot set.
- model: model transfer: the whole source model fine-tuned on the k-shot set, body at a smaller LR.
- adversarial: DANN from scratch on labelled source + unlabelled target images, as many steps as
  the source model had, so source-only is its like-for-like baseline (0 target labels).
"""
import copy
import dataclasses
import time
from dataclasses import dataclass

import torch
from torch import nn

from .. import cache, models
from ..data import Dataset
from ..errors import ConfigError
from ..train import accuracy, fit
from . import budget
from .adversarial import train_two_speed

LABEL_FREE = ("source-only", "adversarial")  # use no target labels: reported at k = 0
NEEDS_LABELS = ("target-only", "feature", "model")
STRATEGIES = ("source-only", "target-only", "feature", "model", "adversarial")


@dataclass(frozen=True)
class TransferConfig:
    source: str = "mnist5k"  # built-in domain name or path to an .npz domain file
    target: str = "digits"
    size: int = 16  # common frame in pixels (USPS's native size; UCI digits are upsampled)
    align: bool = True  # crop empty borders so digits fill the frame in every domain
    family: str = "teacher-cnn"  # network for every strategy (conv body → embedding → head)
    width: int = 16  # channels of its first conv layer
    source_steps: int = 600  # source pretraining, and DANN (same steps: a like-for-like baseline)
    target_steps: int = 150  # training steps on the k labelled target images per class
    batch_size: int = 64  # per domain: DANN sees 64 source and 64 target images a step
    lr: float = 3e-3  # peak of the one-cycle schedule (Adam)
    body_lr_scale: float = 0.1  # model transfer: the pretrained body learns 10× slower than the head
    shift: int = 1  # random ±1 px translation of training images
    evals: int = 10  # target-accuracy measurements per run, for live curves (never to pick a checkpoint)
    data_dir: str | None = None  # where torchvision domains live (default: the KD Lab data dir)
    device: str = "cpu"

    def validate(self) -> "TransferConfig":
        for name in ("size", "width", "source_steps", "target_steps", "batch_size", "evals"):
            if getattr(self, name) < 1:
                raise ConfigError(f"{name.replace('_', ' ')} must be at least 1, got {getattr(self, name)}.")
        if not 0 < self.lr <= 1 or not 0 <= self.body_lr_scale <= 1:
            raise ConfigError(f"Need 0 < lr ≤ 1 and 0 ≤ body LR scale ≤ 1, got {self.lr} and {self.body_lr_scale}.")
        if self.family not in models.FAMILIES:
            raise ConfigError(f"Unknown model family {self.family!r}; choose one of {', '.join(models.FAMILIES)}.")
        return self


def _source_key(config: TransferConfig, source: Dataset, seed: int) -> str:
    keep = ("size", "align", "family", "width", "source_steps", "batch_size", "lr", "shift")
    return cache.config_key("transfer-source", {**{k: getattr(config, k) for k in keep},
                                                "data": source.fingerprint, "seed": seed})


def _build(config: TransferConfig, data: Dataset) -> nn.Module:
    return models.build(config.family, data.in_shape, data.num_classes, config.width)


def pretrain_source(config: TransferConfig, source: Dataset, seed: int, device="cpu"):
    """Train (or load from the disk cache) the source model; the last record's "model" is it."""
    key = _source_key(config, source, seed)
    entry = cache.load(key)
    model = _build(config, source)
    if entry is not None:
        model.load_state_dict(entry["state_dict"])
        yield {"phase": "source", "progress": 1.0, "cached": True, "final": True, "model": model.eval(),
               "source_accuracy": entry["source_accuracy"]}
        return
    torch.manual_seed(seed)
    model = _build(config, source)
    for record in fit(model, source.x_train, source.y_train, epochs=1, steps_per_epoch=config.source_steps,
                      batch_size=config.batch_size, lr=config.lr, shift=config.shift, seed=seed, device=device):
        yield {**record, "phase": "source", "final": False}
    model.cpu()
    source_accuracy = accuracy(model, source.x_test, source.y_test)
    cache.save(key, {"state_dict": model.state_dict(), "source_accuracy": source_accuracy})
    yield {"phase": "source", "progress": 1.0, "cached": False, "final": True, "model": model,
           "source_accuracy": source_accuracy}


def _finish(phase: str, model: nn.Module, target: Dataset, start: float) -> dict:
    return {"phase": phase, "progress": 1.0, "final": True, "model": model.cpu().eval(),
            "accuracy": accuracy(model, target.x_test, target.y_test), "seconds": time.perf_counter() - start}


def _labelled(target, k, seed):
    if k == 0:
        raise ConfigError("This strategy learns from target labels: choose k ≥ 1 (k = 0 is for source-only and adversarial).")
    idx = budget.sample(target.y_train, k, seed)
    return target.x_train[idx], target.y_train[idx]


def _fit_k_shot(model, config, target, k, seed, device, phase):
    x, y = _labelled(target, k, seed)
    steps_per_epoch = max(1, config.target_steps // config.evals)
    for record in fit(model, x, y, epochs=config.evals, steps_per_epoch=steps_per_epoch, batch_size=config.batch_size,
                      lr=config.lr, shift=config.shift, seed=seed, x_eval=target.x_test, y_eval=target.y_test,
                      device=device):
        yield {**record, "phase": phase, "final": False}


def source_only(config, source, target, *, k=0, seed=0, source_model=None, device="cpu"):
    start = time.perf_counter()
    yield _finish("source-only", copy.deepcopy(source_model), target, start)


def target_only(config, source, target, *, k, seed=0, source_model=None, device="cpu"):
    start = time.perf_counter()
    torch.manual_seed(seed)
    model = _build(config, target)
    yield from _fit_k_shot(model, config, target, k, seed, device, "target-only")
    yield _finish("target-only", model, target, start)


def feature_transfer(config, source, target, *, k, seed=0, source_model=None, device="cpu"):
    start = time.perf_counter()
    model = copy.deepcopy(source_model)
    for p in model.parameters():
        p.requires_grad_(False)  # frozen body: Adam skips parameters that never get a gradient
    torch.manual_seed(seed)
    fresh = _build(config, target).head  # a new, randomly initialised head: the only part that learns
    model.head = fresh
    yield from _fit_k_shot(model, config, target, k, seed, device, "feature")
    yield _finish("feature", model, target, start)


def model_transfer(config, source, target, *, k, seed=0, source_model=None, device="cpu"):
    start = time.perf_counter()
    model = copy.deepcopy(source_model)
    x, y = _labelled(target, k, seed)
    for record in train_two_speed(model, x, y, steps=config.target_steps, lr=config.lr, batch_size=config.batch_size,
                                  body_lr_scale=config.body_lr_scale, shift=config.shift, seed=seed, evals=config.evals,
                                  x_eval=target.x_test, y_eval=target.y_test, device=device):
        yield {**record, "phase": "model", "final": False}
    yield _finish("model", model, target, start)


def adversarial(config, source, target, *, k=0, seed=0, source_model=None, device="cpu"):
    start = time.perf_counter()
    torch.manual_seed(seed)
    model = _build(config, source)
    for record in train_two_speed(model, source.x_train, source.y_train, steps=config.source_steps, lr=config.lr,
                                  batch_size=config.batch_size, unlabelled=target.x_train, shift=config.shift,
                                  seed=seed, evals=config.evals, x_eval=target.x_test, y_eval=target.y_test, device=device):
        yield {**record, "phase": "adversarial", "final": False}
    yield _finish("adversarial", model, target, start)


RUNNERS = {"source-only": source_only, "target-only": target_only, "feature": feature_transfer,
           "model": model_transfer, "adversarial": adversarial}


def get(name: str):
    if name not in RUNNERS:
        raise ConfigError(f"Unknown strategy {name!r}; choose from {', '.join(STRATEGIES)}.")
    return RUNNERS[name]


def config_dict(config: TransferConfig) -> dict:
    return dataclasses.asdict(config)

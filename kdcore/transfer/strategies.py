"""The transfer strategies of the source document, and the two baselines, as event generators.

Every strategy yields `kdcore.events` (Step, and Epoch with the target test accuracy a few times,
for curves only) and returns (model, accuracy): the trained model and its accuracy on the target's
test set after the last step (no target labels are used to pick a checkpoint).

- source-only: the source model, applied to the target as it is (0 target labels).
- target-only: a fresh network trained on the k labelled target images per class.
- feature: feature transfer: the source model's body frozen, a new head trained on the k-shot set.
- model: model transfer: the whole source model fine-tuned on the k-shot set, body at a smaller LR.
- adversarial: DANN from scratch on labelled source + unlabelled target images, as many steps as
  the source model had, so source-only is its like-for-like baseline (0 target labels).
"""
import copy
import dataclasses
from dataclasses import dataclass, field

import torch
from torch import nn

from .. import cache, models
from ..data import Dataset
from ..device import CHOICES as DEVICES
from ..errors import ConfigError
from ..events import Phase
from ..schema import Choice, Range, bounded, check_fields
from ..train import accuracy, fit
from . import budget
from .adversarial import train_two_speed
from .domains import SIZE

LABEL_FREE = ("source-only", "adversarial")  # use no target labels: reported at k = 0
STRATEGIES = ("source-only", "target-only", "feature", "model", "adversarial")


def whole(low, high) -> dict:
    return bounded(Range(low, high, integer=True))


@dataclass(frozen=True)
class TransferConfig:
    source: str = "mnist5k"  # built-in domain name or path to an .npz domain file
    target: str = "digits"
    size: int = field(default=16, metadata=bounded(SIZE))  # common frame in pixels (USPS's native size; UCI digits are upsampled)
    align: bool = True  # crop empty borders so digits fill the frame in every domain
    family: str = field(default="teacher-cnn", metadata=bounded(Choice(tuple(models.FAMILIES))))  # network for every strategy (conv body → embedding → head)
    width: int = field(default=16, metadata=whole(1, 512))  # channels of its first conv layer
    source_steps: int = field(default=600, metadata=whole(1, 10**6))  # source pretraining, and DANN (same steps: a like-for-like baseline)
    target_steps: int = field(default=150, metadata=whole(1, 10**6))  # training steps on the k labelled target images per class
    batch_size: int = field(default=64, metadata=whole(1, 8192))  # per domain: DANN sees 64 source and 64 target images a step
    lr: float = field(default=3e-3, metadata=bounded(Range(0, 1, low_open=True)))  # peak of the one-cycle schedule (Adam)
    body_lr_scale: float = field(default=0.1, metadata=bounded(Range(0, 1)))  # model transfer: the pretrained body learns 10× slower than the head
    shift: int = field(default=1, metadata=whole(0, 16))  # random ±1 px translation of training images
    evals: int = field(default=10, metadata=whole(1, 1000))  # target-accuracy measurements per run, for live curves (never to pick a checkpoint)
    data_dir: str | None = None  # where torchvision domains live (default: the KD Lab data dir)
    device: str = field(default="cpu", metadata=bounded(Choice(DEVICES)))

    def validate(self) -> "TransferConfig":
        check_fields(self)
        return self


def _source_key(config: TransferConfig, source: Dataset, seed: int) -> str:
    keep = ("size", "align", "family", "width", "source_steps", "batch_size", "lr", "shift")
    return cache.config_key("transfer-source", {**{k: getattr(config, k) for k in keep},
                                                "data": source.fingerprint, "seed": seed})


def _build(config: TransferConfig, data: Dataset) -> nn.Module:
    return models.build(config.family, data.in_shape, data.num_classes, config.width)


def pretrain_source(config: TransferConfig, source: Dataset, seed: int, device="cpu"):
    """Train (or load from the disk cache: one Phase(cached=True)) the source model; returns
    (model, its accuracy on the source's own test set)."""
    key = _source_key(config, source, seed)
    entry = cache.load(key)
    model = _build(config, source)
    if entry is not None:
        model.load_state_dict(entry["state_dict"])
        yield Phase(progress=1.0, cached=True)
        return model.eval(), entry["source_accuracy"]
    torch.manual_seed(seed)
    model = _build(config, source)
    yield from fit(model, source.x_train, source.y_train, epochs=1, steps_per_epoch=config.source_steps,
                   batch_size=config.batch_size, lr=config.lr, shift=config.shift, seed=seed, device=device)
    model.cpu()
    source_accuracy = accuracy(model, source.x_test, source.y_test)
    cache.save(key, {"state_dict": model.state_dict(), "source_accuracy": source_accuracy})
    return model, source_accuracy


def _finish(model: nn.Module, target: Dataset) -> tuple[nn.Module, float]:
    return model.cpu().eval(), accuracy(model, target.x_test, target.y_test)


def _labelled(target, k, seed):
    if k == 0:
        raise ConfigError("needs_labels")
    idx = budget.sample(target.y_train, k, seed)
    return target.x_train[idx], target.y_train[idx]


def _fit_k_shot(model, config, target, k, seed, device):
    x, y = _labelled(target, k, seed)
    steps_per_epoch = max(1, config.target_steps // config.evals)
    yield from fit(model, x, y, epochs=config.evals, steps_per_epoch=steps_per_epoch, batch_size=config.batch_size,
                   lr=config.lr, shift=config.shift, seed=seed, x_eval=target.x_test, y_eval=target.y_test,
                   device=device)
    return _finish(model, target)


def source_only(config, source, target, *, k=0, seed=0, source_model=None, device="cpu"):
    yield from ()  # a generator like the others, with no training step
    return _finish(copy.deepcopy(source_model), target)


def target_only(config, source, target, *, k, seed=0, source_model=None, device="cpu"):
    torch.manual_seed(seed)
    return (yield from _fit_k_shot(_build(config, target), config, target, k, seed, device))


def feature_transfer(config, source, target, *, k, seed=0, source_model=None, device="cpu"):
    model = copy.deepcopy(source_model)
    for p in model.parameters():
        p.requires_grad_(False)  # frozen body: Adam skips parameters that never get a gradient
    torch.manual_seed(seed)
    model.head = _build(config, target).head  # a new, randomly initialised head: the only part that learns
    return (yield from _fit_k_shot(model, config, target, k, seed, device))


def model_transfer(config, source, target, *, k, seed=0, source_model=None, device="cpu"):
    model = copy.deepcopy(source_model)
    x, y = _labelled(target, k, seed)
    yield from train_two_speed(model, x, y, steps=config.target_steps, lr=config.lr, batch_size=config.batch_size,
                               body_lr_scale=config.body_lr_scale, shift=config.shift, seed=seed, evals=config.evals,
                               x_eval=target.x_test, y_eval=target.y_test, device=device)
    return _finish(model, target)


def adversarial(config, source, target, *, k=0, seed=0, source_model=None, device="cpu"):
    torch.manual_seed(seed)
    model = _build(config, source)
    yield from train_two_speed(model, source.x_train, source.y_train, steps=config.source_steps, lr=config.lr,
                               batch_size=config.batch_size, unlabelled=target.x_train, shift=config.shift,
                               seed=seed, evals=config.evals, x_eval=target.x_test, y_eval=target.y_test, device=device)
    return _finish(model, target)


RUNNERS = {"source-only": source_only, "target-only": target_only, "feature": feature_transfer,
           "model": model_transfer, "adversarial": adversarial}
STRATEGY = Choice(STRATEGIES)


def get(name: str):
    return RUNNERS[STRATEGY.check("strategy", name)]


def config_dict(config: TransferConfig) -> dict:
    return dataclasses.asdict(config)

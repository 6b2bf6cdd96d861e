"""The transfer strategies of the source document, and the two baselines, as event generators.

Every strategy yields `kdcore.events` (Step, and Epoch with the target test accuracy a few times,
for curves) and returns (model, accuracy, oracle): the trained model, its accuracy on the target's
test set, and for the label-free strategies the accuracy of the checkpoint a target-label "oracle"
would have picked (None otherwise). No target label chooses anything: the label-free strategies
stop at the checkpoint with the best accuracy on a held-out *source* validation split
(`adversarial.pick`); the k-shot strategies use their last step.

- source-only: the source model, applied to the target as it is (0 target labels).
- target-only: a fresh network trained on the k labelled target images per class.
- feature: feature transfer: the source model's body frozen, a new head trained on the k-shot set.
- model: model transfer: the whole source model fine-tuned on the k-shot set, body at a smaller LR.
- adversarial: DANN from scratch on labelled source + unlabelled target images, as many steps and
  the same optimiser as the source model, so source-only is its like-for-like baseline (0 labels).

Two recipes fill every TransferConfig field left at None: "grey" (16 px, the small CNN, Adam with a
one-cycle schedule) for grey pairs, and "colour" (32 × 32 × 3, the paper's network and SGD schedule)
when either domain is colour.
"""
import copy
import dataclasses
from dataclasses import dataclass, field

import numpy as np
import torch

from .. import cache
from ..data import SPLIT_SEED, Dataset, stratified_split
from ..device import CHOICES as DEVICES
from ..errors import ConfigError
from ..events import Phase
from ..rng import seeded
from ..schema import Choice, Range, bounded, check_fields
from ..train import accuracy
from . import budget, network
from .adversarial import SCHEDULE, pick, train_two_speed
from .domains import SIZE

LABEL_FREE = ("source-only", "adversarial")  # use no target labels: reported at k = 0
STRATEGIES = ("source-only", "target-only", "feature", "model", "adversarial")
VALIDATION_FRACTION = 0.1  # of the source training images, held out to choose the stopping point
RECIPES = {
    "grey": {"size": 16, "family": "teacher-cnn", "width": 16, "source_steps": 600, "lr": 3e-3,
             "schedule": "one-cycle", "amp": False},
    "colour": {"size": 32, "family": network.FAMILY, "width": 16, "source_steps": 1500, "lr": 0.01,
               "schedule": "anneal", "amp": True},
}


def whole(low, high) -> dict:
    return bounded(Range(low, high, integer=True), optional=True)


@dataclass(frozen=True)
class TransferConfig:
    source: str = "mnist5k"  # built-in domain name or path to an .npz domain file
    target: str = "digits"
    size: int | None = field(default=None, metadata=bounded(SIZE, optional=True))  # common frame in pixels
    align: bool = True  # grey pairs: crop empty borders so digits fill the frame in every domain
    family: str | None = field(default=None, metadata=bounded(Choice(network.FAMILIES), optional=True))  # network for every strategy
    width: int | None = field(default=None, metadata=whole(1, 512))  # channels of its first conv layer
    source_steps: int | None = field(default=None, metadata=whole(1, 10**6))  # source pretraining, and DANN (same steps: a like-for-like baseline)
    target_steps: int = field(default=150, metadata=whole(1, 10**6))  # training steps on the k labelled target images per class
    batch_size: int = field(default=64, metadata=whole(1, 8192))  # per domain: DANN sees 64 source and 64 target images a step
    lr: float | None = field(default=None, metadata=bounded(Range(0, 1, low_open=True), optional=True))  # μ₀ (anneal) or peak LR (one-cycle)
    schedule: str | None = field(default=None, metadata=bounded(SCHEDULE, optional=True))  # "anneal": SGD, μ₀/(1+10p)^0.75; "one-cycle": Adam
    entropy: float = field(default=0.0, metadata=bounded(Range(0, 10)))  # DANN: weight of its target predictions' mean entropy (0: the paper's loss)
    body_lr_scale: float = field(default=0.1, metadata=bounded(Range(0, 1)))  # model transfer: the pretrained body learns 10× slower than the head
    shift: int = field(default=1, metadata=whole(0, 16))  # random ±1 px translation of training images
    amp: bool | None = None  # channels-last weights and bf16 autocast where the device runs bf16 natively
    evals: int = field(default=10, metadata=whole(1, 1000))  # checkpoints per run: curves, and the stopping point of label-free runs
    data_dir: str | None = None  # where torchvision domains and the real MNIST-M live (default: the KD Lab data dir)
    device: str = field(default="cpu", metadata=bounded(Choice(DEVICES)))

    def validate(self) -> "TransferConfig":
        check_fields(self)
        return self

    def with_recipe(self, colour: bool) -> "TransferConfig":
        """Every field left at None set from the grey or colour recipe."""
        recipe = RECIPES["colour" if colour else "grey"]
        return dataclasses.replace(self, **{k: v for k, v in recipe.items() if getattr(self, k) is None}).validate()


def hold_out(source: Dataset) -> tuple[tuple, tuple]:
    """((x, y) to train on, (x, y) source validation): a stratified split fixed across seeds."""
    train, val = stratified_split(source.y_train.numpy(), VALIDATION_FRACTION, SPLIT_SEED)
    train, val = torch.from_numpy(np.sort(train)), torch.from_numpy(np.sort(val))
    return (source.x_train[train], source.y_train[train]), (source.x_train[val], source.y_train[val])


def build(config: TransferConfig, data: Dataset):
    """The network every strategy trains (a fresh one), for `data`'s image shape and classes."""
    return network.build(config.family, data.in_shape, data.num_classes, config.width)


def _label_free(config, source, target, seed, device, adversarial: bool):
    """Training on labelled source images (and, for DANN, as many unlabelled target images): yields
    the loop's events, returns (model at the source-validation pick, its target accuracy, the
    oracle's target accuracy)."""
    (x, y), validation = hold_out(source)
    with seeded(seed):
        checkpoints, model = [], build(config, source)
    unlabelled = target.x_train if adversarial else None
    yield from train_two_speed(model, x, y, steps=config.source_steps, lr=config.lr, batch_size=config.batch_size,
                               unlabelled=unlabelled, entropy=config.entropy, shift=config.shift, schedule=config.schedule, seed=seed,
                               evals=config.evals, x_eval=target.x_test, y_eval=target.y_test, validation=validation,
                               checkpoints=checkpoints, device=device, amp=config.amp)
    return model.cpu().eval(), pick(checkpoints).target_accuracy, pick(checkpoints, oracle=True).target_accuracy


def _source_key(config: TransferConfig, source: Dataset, target: Dataset, seed: int) -> str:
    keep = ("size", "align", "family", "width", "source_steps", "batch_size", "lr", "schedule", "amp", "shift",
            "evals")
    return cache.config_key("transfer-source", {**{k: getattr(config, k) for k in keep}, "seed": seed,
                                                "data": source.fingerprint, "target": target.fingerprint})


def pretrain_source(config: TransferConfig, source: Dataset, target: Dataset, seed: int, device="cpu"):
    """Train (or load from the disk cache: one Phase(cached=True)) the source model, stopped at its
    best source-validation checkpoint; returns (model, its accuracy on the source's own test set,
    source-only's (accuracy, oracle accuracy) on the target)."""
    def train():
        model, *scores = yield from _label_free(config, source, target, seed, device, adversarial=False)
        return {"state_dict": model.state_dict(), "source_accuracy": accuracy(model, source.x_test, source.y_test),
                "target": tuple(scores)}

    entry, cached = yield from cache.once(_source_key(config, source, target, seed), train)
    if cached:
        yield Phase(progress=1.0, cached=True)
    model = build(config, source)
    model.load_state_dict(entry["state_dict"])
    return model.eval(), entry["source_accuracy"], tuple(entry["target"])


def _finish(model, target: Dataset):
    return model.cpu().eval(), accuracy(model, target.x_test, target.y_test), None


def _labelled(target, k, seed):
    if k == 0:
        raise ConfigError("needs_labels")
    idx = budget.sample(target.y_train, k, seed)
    return target.x_train[idx], target.y_train[idx]


def _fit_k_shot(model, config, target, k, seed, device, body_lr_scale=1.0):
    x, y = _labelled(target, k, seed)
    yield from train_two_speed(model, x, y, steps=config.target_steps, lr=config.lr, batch_size=config.batch_size,
                               body_lr_scale=body_lr_scale, shift=config.shift, schedule=config.schedule, seed=seed,
                               evals=config.evals, x_eval=target.x_test, y_eval=target.y_test, device=device,
                               amp=config.amp)
    return _finish(model, target)


def source_only(config, source, target, *, k=0, seed=0, source_model=None, device="cpu", scores=None):
    yield from ()  # a generator like the others, with no training step: pretrain_source measured it
    return copy.deepcopy(source_model), *scores


def target_only(config, source, target, *, k, seed=0, source_model=None, device="cpu", scores=None):
    with seeded(seed):
        model = build(config, target)
    return (yield from _fit_k_shot(model, config, target, k, seed, device))


def feature_transfer(config, source, target, *, k, seed=0, source_model=None, device="cpu", scores=None):
    model = copy.deepcopy(source_model)
    for p in model.parameters():
        p.requires_grad_(False)  # frozen body: only parameters with a gradient are optimised
    with seeded(seed):
        model.head = build(config, target).head  # a new, randomly initialised head: the only part that learns
    return (yield from _fit_k_shot(model, config, target, k, seed, device))


def model_transfer(config, source, target, *, k, seed=0, source_model=None, device="cpu", scores=None):
    model = copy.deepcopy(source_model)
    return (yield from _fit_k_shot(model, config, target, k, seed, device, body_lr_scale=config.body_lr_scale))


def adversarial(config, source, target, *, k=0, seed=0, source_model=None, device="cpu", scores=None):
    return (yield from _label_free(config, source, target, seed, device, adversarial=True))


RUNNERS = {"source-only": source_only, "target-only": target_only, "feature": feature_transfer,
           "model": model_transfer, "adversarial": adversarial}
STRATEGY = Choice(STRATEGIES)


def get(name: str):
    return RUNNERS[STRATEGY.check("strategy", name)]


def config_dict(config: TransferConfig) -> dict:
    return dataclasses.asdict(config)

"""Domain-adversarial training (DANN; Ganin & Lempitsky, "Unsupervised Domain Adaptation by
Backpropagation", ICML 2015), and the supervised loop it extends.

A domain classifier D reads the feature extractor's output f, the first (convolutional) feature
map of the model's feature list flattened to (B, D_f) as in the paper, and learns to tell source
from target images. Between them sits a gradient reversal layer R_λ: identity going forward,
gradient × (−λ) going back. So one minimisation of

    L = CE(label head(f_source), y_source) + BCE(D(R_λ(f)), domain)

trains D to separate the domains while pushing the feature extractor to make them inseparable.
λ ramps from 0 to 1 as λ_p = 2 / (1 + e^(−10 p)) − 1, p = training progress, so early noisy
domain gradients do not wreck the features. Every step sees as many target images as source
images. Target images are used without their labels.

Two optimiser schedules: "anneal", the paper's SGD (momentum 0.9) with μ_p = μ₀ / (1 + 10 p)^0.75,
and "one-cycle", Adam with a one-cycle schedule as `kdcore.train.fit` (the grey 16 px recipe).

The stopping point is chosen without target labels: a few times during training the loop scores
the model on a labelled *source validation* split and keeps the best checkpoint. It also measures
the target test accuracy at the same points — for the live curves and for the "oracle" pick that
a page shows, labelled as cheating, next to the honest one.
"""
import copy
import math
import time
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn

from ..augment import random_shift
from ..device import autocast, bf16_supported
from ..events import Epoch, Step
from ..rng import seeded, use_generator
from ..schema import Choice
from ..train import _batches, accuracy

SCHEDULE = Choice(("anneal", "one-cycle"))
MOMENTUM = 0.9


class GradientReversal(torch.autograd.Function):
    """Forward: identity. Backward: gradient × (−λ)."""

    @staticmethod
    def forward(ctx, x, lambd: float):
        ctx.lambd = lambd
        return x.view_as(x)

    @staticmethod
    def backward(ctx, grad):
        return -ctx.lambd * grad, None


def reverse_gradient(x: torch.Tensor, lambd: float) -> torch.Tensor:
    return GradientReversal.apply(x, lambd)


def dann_lambda(progress: float) -> float:
    """The paper's schedule: 0 at the start, → 1 at the end."""
    return 2.0 / (1.0 + math.exp(-10.0 * progress)) - 1.0


def annealed_lr(progress: float) -> float:
    """The paper's learning-rate factor: μ_p / μ₀ = 1 / (1 + 10 p)^0.75."""
    return 1.0 / (1.0 + 10.0 * progress) ** 0.75


class DomainClassifier(nn.Module):
    """Flattened feature map (B, D) → one logit per image: > 0 means "target domain"; one hidden
    layer of 100 as in the paper."""

    def __init__(self, dim: int, hidden: int = 100):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(dim, hidden), nn.ReLU(), nn.Linear(hidden, 1))

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return self.net(features).squeeze(1)


@dataclass(frozen=True)
class Checkpoint:
    step: int
    source_val_accuracy: float  # the label-free score
    target_accuracy: float  # target test accuracy: curves and the oracle only


def pick(checkpoints: list[Checkpoint], oracle: bool = False) -> Checkpoint:
    """The checkpoint with the best source validation accuracy (the later one on a tie); with
    `oracle` the best target test accuracy instead — a choice that needs target labels."""
    score = (lambda c: c.target_accuracy) if oracle else (lambda c: c.source_val_accuracy)
    return max(reversed(checkpoints), key=score)


def split_parameters(model: nn.Module) -> tuple[list, list]:
    """(body, head) parameters: the head is the model's final `head` module, the body all the rest."""
    head = {id(p) for p in model.head.parameters()}
    body = [p for p in model.parameters() if id(p) not in head and p.requires_grad]
    return body, [p for p in model.head.parameters() if p.requires_grad]


def _optimiser(groups: list[dict], schedule: str, steps: int):
    if SCHEDULE.check("schedule", schedule) == "anneal":
        optimizer = torch.optim.SGD(groups, momentum=MOMENTUM)
        return optimizer, torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: annealed_lr(step / steps))
    optimizer = torch.optim.Adam(groups)
    return optimizer, torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=[g["lr"] for g in groups],
                                                          total_steps=steps)


def train_two_speed(model: nn.Module, x: torch.Tensor, y: torch.Tensor, *, steps: int, lr: float, batch_size: int,
                    body_lr_scale: float = 1.0, unlabelled: torch.Tensor | None = None, entropy: float = 0.0, shift: int = 0,
                    schedule: str = "one-cycle", seed: int = 0, evals: int = 10, x_eval=None, y_eval=None,
                    validation=None, checkpoints: list | None = None, device="cpu", amp: bool = False):
    """Supervised steps on (x, y) with the body at lr × body_lr_scale (fine-tuning); with `unlabelled`
    target images (M, C, H, W) also the domain-adversarial term, on batches of as many target images,
    and `entropy` × the mean entropy of the label head's predictions on them (a known stabiliser:
    it pushes target images away from the class boundaries; 0 keeps the paper's loss).
    Yields a Step per step (loss terms "hard" and, when adversarial, "domain") and, `evals` times, an
    Epoch whose metrics hold the accuracy on x_eval ("accuracy", for curves), on the source
    `validation` = (x, y) split ("source_val_accuracy"), and when adversarial the domain classifier's
    accuracy over the steps since the last Epoch ("domain_accuracy") and λ ("lambd").
    With `validation` the model returned is the checkpoint `pick` chooses; each is appended to
    `checkpoints` (when given). With `amp`, where the device runs bf16 natively, the weights are kept
    channels-last and the forward passes, training and checkpoint evaluation, run under bf16
    autocast (about 2× faster on such a CPU); the losses stay in fp32. Returns the model in eval mode."""
    device = torch.device(device)
    generator = torch.Generator().manual_seed(seed)
    bf16 = amp and bf16_supported(device)
    model.to(device, memory_format=torch.channels_last if bf16 else torch.preserve_format).train()
    use_generator(model, seed, device)
    body, head = split_parameters(model)
    groups = [{"params": body, "lr": lr * body_lr_scale}, {"params": head, "lr": lr}]
    adversarial = unlabelled is not None
    if adversarial:
        dim = model(x[:2].to(device), features=True)[0][0].flatten(1).shape[1]
        with seeded(seed):
            domain = DomainClassifier(dim).to(device).train()
        groups.append({"params": list(domain.parameters()), "lr": lr})
        target_batches = _batches(len(unlabelled), batch_size, steps, generator)
        unlabelled = unlabelled.to(device)
    optimizer, scheduler = _optimiser(groups, schedule, steps)
    x, y = x.to(device), y.to(device)
    eval_every, start = max(1, steps // evals), time.perf_counter()
    checkpoints = [] if checkpoints is None else checkpoints
    best, domain_hits, domain_seen = None, 0.0, 0
    for step, idx in enumerate(_batches(len(x), batch_size, steps, generator), start=1):
        xb = random_shift(x[idx.to(device)], shift, generator)
        if adversarial:
            xt = random_shift(unlabelled[next(target_batches).to(device)], shift, generator)
            lambd = dann_lambda(step / steps)
            with autocast(device, bf16):
                features, logits = model(torch.cat([xb, xt]), features=True)  # (B + B_t, D), (B + B_t, C)
                domain_logits = domain(reverse_gradient(features[0].flatten(1), lambd)).float()  # (B + B_t,)
            class_loss = F.cross_entropy(logits[:len(xb)].float(), y[idx.to(device)])
            is_target = torch.cat([torch.zeros(len(xb)), torch.ones(len(xt))]).to(device)
            domain_loss = F.binary_cross_entropy_with_logits(domain_logits, is_target)
            loss = class_loss + domain_loss
            if entropy:
                target_log_p = F.log_softmax(logits[len(xb):].float(), dim=1)
                entropy_term = -(target_log_p.exp() * target_log_p).sum(1).mean()
                loss = loss + entropy * entropy_term
            domain_hits += ((domain_logits > 0).float() == is_target).float().sum().item()
            domain_seen += len(is_target)
        else:
            with autocast(device, bf16):
                logits = model(xb)
            loss = class_loss = F.cross_entropy(logits.float(), y[idx.to(device)])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        scheduler.step()
        terms = {"hard": class_loss.item()} | ({"domain": domain_loss.item()} if adversarial else {})
        if adversarial and entropy:
            terms["entropy"] = entropy_term.item()
        epoch, elapsed = (step - 1) // eval_every + 1, time.perf_counter() - start
        yield Step(progress=step / steps, step=step, steps=steps, epoch=epoch, loss_terms=terms, elapsed=elapsed)
        if x_eval is not None and (step % eval_every == 0 or step == steps):
            with autocast(device, bf16):  # evaluated as it was trained: bf16 where the device has it
                metrics = {"accuracy": accuracy(model, x_eval, y_eval)}
                if validation is not None:
                    metrics["source_val_accuracy"] = accuracy(model, *validation)
                    checkpoints.append(Checkpoint(step, metrics["source_val_accuracy"], metrics["accuracy"]))
                    if pick(checkpoints).step == step:
                        best = copy.deepcopy(model.state_dict())
            if adversarial:
                metrics |= {"domain_accuracy": domain_hits / max(1, domain_seen), "lambd": lambd}
                domain_hits, domain_seen = 0.0, 0
            yield Epoch(progress=step / steps, epoch=epoch, metrics=metrics, elapsed=elapsed, step=step)
            model.train()
    if best is not None:
        model.load_state_dict(best)
    return model.eval()

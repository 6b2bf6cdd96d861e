"""Domain-adversarial training (DANN; Ganin & Lempitsky, "Unsupervised Domain Adaptation by
Backpropagation", ICML 2015), and the two-speed supervised loop it extends.

A domain classifier D reads the feature extractor's output f, the first (convolutional) feature
map of the model's feature list flattened to (B, D_f) as in the paper, and learns to tell source
from target images. Between them sits a gradient reversal layer R_λ: identity going forward,
gradient × (−λ) going back. So one minimisation of

    L = CE(label head(f_source), y_source) + BCE(D(R_λ(f)), domain)

trains D to separate the domains while pushing the feature extractor to make them inseparable.
λ ramps from 0 to 1 as λ_p = 2 / (1 + e^(−10 p)) − 1, p = training progress, so early noisy
domain gradients do not wreck the features. Target images are used without their labels.
"""
import math
import time

import torch
import torch.nn.functional as F
from torch import nn

from ..augment import random_shift
from ..events import Epoch, Step
from ..train import _batches, accuracy


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


class DomainClassifier(nn.Module):
    """Flattened feature map (B, D) → one logit per image: > 0 means "target domain"; one hidden layer of 100 as in the paper."""

    def __init__(self, dim: int, hidden: int = 100):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(dim, hidden), nn.ReLU(), nn.Linear(hidden, 1))

    def forward(self, features: torch.Tensor) -> torch.Tensor:
        return self.net(features).squeeze(1)


def split_parameters(model: nn.Module) -> tuple[list, list]:
    """(body, head) parameters: the head is the model's final `head` module, the body all the rest."""
    head = {id(p) for p in model.head.parameters()}
    body = [p for p in model.parameters() if id(p) not in head and p.requires_grad]
    return body, [p for p in model.head.parameters() if p.requires_grad]


def train_two_speed(model: nn.Module, x: torch.Tensor, y: torch.Tensor, *, steps: int, lr: float, batch_size: int,
                    body_lr_scale: float = 1.0, unlabelled: torch.Tensor | None = None, shift: int = 0,
                    seed: int = 0, evals: int = 10, x_eval=None, y_eval=None, device="cpu"):
    """Supervised steps on (x, y) with the body at lr × body_lr_scale (fine-tuning); with `unlabelled`
    target images (M, C, H, W) also the domain-adversarial term. Adam with a one-cycle schedule, as
    `kdcore.train.fit`, so source-only and DANN differ only in the domain term. Yields a Step per step
    (loss terms "hard" and, when adversarial, "domain") and, `evals` times, an Epoch whose metrics hold
    the accuracy on x_eval (for curves only) and, when adversarial, the domain classifier's accuracy on
    that step's batch and the reversal weight λ ("lambd"); returns the model."""
    device = torch.device(device)
    torch.manual_seed(seed)
    generator = torch.Generator().manual_seed(seed)
    model.to(device).train()
    body, head = split_parameters(model)
    groups = [{"params": body, "lr": lr * body_lr_scale}, {"params": head, "lr": lr}]
    adversarial = unlabelled is not None
    if adversarial:
        dim = model(x[:2].to(device), features=True)[0][0].flatten(1).shape[1]
        domain = DomainClassifier(dim).to(device).train()
        groups.append({"params": list(domain.parameters()), "lr": lr})
        target_batches = _batches(len(unlabelled), batch_size, steps, generator)
        unlabelled = unlabelled.to(device)
    optimizer = torch.optim.Adam(groups)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=[g["lr"] for g in groups], total_steps=steps)
    x, y = x.to(device), y.to(device)
    eval_every, start = max(1, steps // evals), time.perf_counter()
    for step, idx in enumerate(_batches(len(x), batch_size, steps, generator), start=1):
        xb = random_shift(x[idx.to(device)], shift, generator)
        domain_metrics = {}
        if adversarial:
            xt = random_shift(unlabelled[next(target_batches).to(device)], shift, generator)
            features, logits = model(torch.cat([xb, xt]), features=True)  # (B + B_t, D), (B + B_t, C)
            class_loss = F.cross_entropy(logits[:len(xb)], y[idx.to(device)])
            lambd = dann_lambda(step / steps)
            domain_logits = domain(reverse_gradient(features[0].flatten(1), lambd))  # (B + B_t,)
            is_target = torch.cat([torch.zeros(len(xb)), torch.ones(len(xt))]).to(device)
            domain_loss = F.binary_cross_entropy_with_logits(domain_logits, is_target)
            loss = class_loss + domain_loss
            domain_metrics = {"domain_accuracy": ((domain_logits > 0).float() == is_target).float().mean().item(),
                              "lambd": lambd}
        else:
            loss = class_loss = F.cross_entropy(model(xb), y[idx.to(device)])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        schedule.step()
        terms = {"hard": class_loss.item()} | ({"domain": domain_loss.item()} if adversarial else {})
        epoch, elapsed = (step - 1) // eval_every + 1, time.perf_counter() - start
        yield Step(progress=step / steps, step=step, steps=steps, epoch=epoch, loss_terms=terms, elapsed=elapsed)
        if x_eval is not None and (step % eval_every == 0 or step == steps):
            metrics = {"accuracy": accuracy(model, x_eval, y_eval), **domain_metrics}
            yield Epoch(progress=step / steps, epoch=epoch, metrics=metrics, elapsed=elapsed)
            model.train()
    return model.eval()

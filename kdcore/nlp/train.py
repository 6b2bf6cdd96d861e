"""The training loop, written once for the teacher and every student: a generator of events.

Each step draws random windows of the training text (one tensor gather, no per-sample Python),
asks the objective for its named loss terms, and takes an AdamW step on their weighted sum under a
warm-up + cosine learning-rate schedule: a Step event. Validation bits-per-character is measured
every `eval_every` steps and at the end: an Epoch event with metrics {"bpc": ...} (the windows are
drawn at random, so there are no data epochs: epoch n is the n-th measurement).
"""
import dataclasses
import math
import time
from dataclasses import dataclass, field

import torch
import torch.nn.functional as F

from ..events import Epoch, Step
from ..schema import Range, bounded
from .losses import bits_per_character


def whole(low, high) -> dict:
    return bounded(Range(low, high, integer=True))


@dataclass(frozen=True)
class TrainConfig:
    steps: int = field(default=600, metadata=whole(1, 10**6))  # optimizer steps
    batch: int = field(default=32, metadata=whole(1, 4096))  # windows per step
    learning_rate: float = field(default=3e-3, metadata=bounded(Range(0, 1, low_open=True)))  # peak AdamW learning rate (small models tolerate a high one)
    warmup: int = field(default=50, metadata=whole(0, 10**6))  # steps of linear warm-up from 0 to the peak
    final_lr_fraction: float = field(default=0.1, metadata=bounded(Range(0, 1)))  # cosine decay ends at this fraction of the peak
    weight_decay: float = field(default=0.01, metadata=bounded(Range(0, 1)))  # AdamW decoupled weight decay
    eval_every: int = field(default=100, metadata=whole(1, 10**6))  # steps between validation measurements
    seed: int = 0  # model initialisation and batch order

    def with_steps(self, steps: int) -> "TrainConfig":
        """The same recipe for another number of steps, still measured about four times or more."""
        return dataclasses.replace(self, steps=steps, eval_every=max(1, min(self.eval_every, steps // 4)))


class RandomWindows:
    """Windows of `context + 1` characters at any offset: the teacher sees every alignment."""

    def __init__(self, tokens: torch.Tensor, context: int):
        self.tokens, self.context = tokens, context

    def __call__(self, batch: int, generator: torch.Generator) -> torch.Tensor:
        offsets = torch.randint(0, len(self.tokens) - self.context - 1, (batch,), generator=generator)
        return self.tokens[offsets[:, None] + torch.arange(self.context + 1)]  # (B, context + 1)


class GridWindows:
    """Fixed non-overlapping windows (row w starts at w·context): the students' data, so the
    teacher's outputs on exactly these inputs can be computed once."""

    def __init__(self, tokens: torch.Tensor, context: int):
        count = (len(tokens) - 1) // context
        self.windows = tokens[torch.arange(count)[:, None] * context + torch.arange(context + 1)]  # (W, context + 1)

    def rows(self, batch: int, generator: torch.Generator) -> torch.Tensor:
        return torch.randint(0, len(self.windows), (batch,), generator=generator)

    def __call__(self, batch: int, generator: torch.Generator) -> torch.Tensor:
        return self.windows[self.rows(batch, generator)]


def learning_rate(config: TrainConfig, step: int) -> float:
    if step < config.warmup:
        return config.learning_rate * (step + 1) / config.warmup
    progress = (step - config.warmup) / max(1, config.steps - config.warmup)
    floor = config.final_lr_fraction
    return config.learning_rate * (floor + (1 - floor) * 0.5 * (1 + math.cos(math.pi * progress)))


@torch.inference_mode()
def window_bits(model, tokens: torch.Tensor, batch: int = 256) -> torch.Tensor:
    """Mean bits per character of each non-overlapping window of the validation text: (W,). tokens (N,)."""
    context = model.config.context
    device = next(model.parameters()).device
    usable = (len(tokens) - 1) // context * context
    inputs = tokens[:usable].view(-1, context).to(device)  # (W, context)
    targets = tokens[1:usable + 1].view(-1, context).to(device)
    was_training = model.training
    model.eval()
    nats = [F.cross_entropy(model(inputs[start:start + batch]).transpose(1, 2), targets[start:start + batch],
                            reduction="none").mean(1) for start in range(0, len(inputs), batch)]  # each (b,)
    model.train(was_training)
    return bits_per_character(torch.cat(nats).float().cpu())


def validation_bpc(model, tokens: torch.Tensor, batch: int = 256) -> float:
    """Mean bits per character over non-overlapping windows of the validation text. tokens (N,)."""
    return window_bits(model, tokens, batch).mean().item()


@dataclass
class Fitted:
    """What a training run measured: the last validation bpc (and the spread of its windows' bpc, the
    sampling error's source), training speed, wall seconds, and the curve [(step, seconds, val_bpc), ...]
    of every measurement."""
    val_bpc: float
    tokens_per_second: float
    seconds: float
    curve: list
    val_window_sd: float = math.nan  # standard deviation of the validation windows' bpc
    val_windows: int = 0  # validation windows the bpc is the mean of


def fit(model, objective, valid_tokens: torch.Tensor, config: TrainConfig):
    """Train `model` with `objective(model, generator) -> {"loss": tensor, <named terms>...}`.
    Yields a Step per step (loss_terms: the objective's named terms, without the total "loss") and
    an Epoch with {"bpc": validation bits per character} at each measurement; returns a Fitted."""
    generator = torch.Generator().manual_seed(config.seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.learning_rate, betas=(0.9, 0.99),
                                  weight_decay=config.weight_decay)
    tokens_per_step = config.batch * model.config.context
    model.train()
    start = time.perf_counter()
    train_seconds = 0.0  # excludes validation, so tokens/s measures training alone
    fitted = Fitted(math.nan, 0.0, 0.0, [])
    for step in range(1, config.steps + 1):
        tick = time.perf_counter()
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(config, step - 1)
        terms = objective(model, generator)
        optimizer.zero_grad(set_to_none=True)
        terms["loss"].backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        train_seconds += time.perf_counter() - tick
        fitted.tokens_per_second = step * tokens_per_step / train_seconds
        measured, progress = step % config.eval_every == 0 or step == config.steps, step / config.steps
        if measured:
            bits = window_bits(model, valid_tokens)  # (W,)
            fitted.val_bpc, fitted.val_window_sd, fitted.val_windows = bits.mean().item(), bits.std().item(), len(bits)
        fitted.seconds = time.perf_counter() - start
        epoch = (step - 1) // config.eval_every + 1
        yield Step(progress=progress, step=step, steps=config.steps, epoch=epoch, elapsed=fitted.seconds,
                   loss_terms={k: v.item() for k, v in terms.items() if k != "loss"})
        if measured:
            fitted.curve.append((step, fitted.seconds, fitted.val_bpc))
            yield Epoch(progress=progress, epoch=epoch, metrics={"bpc": fitted.val_bpc}, elapsed=fitted.seconds, step=step)
    return fitted

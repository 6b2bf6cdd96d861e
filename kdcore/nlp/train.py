"""The training loop, written once for the teacher and every student: a generator of metric records.

Each step draws random windows of the training text (one tensor gather, no per-sample Python),
asks the objective for its named loss terms, and takes an AdamW step on their weighted sum under a
warm-up + cosine learning-rate schedule. Validation bits-per-character is measured every
`eval_every` steps and at the end; `final: True` marks the last record.
"""
import dataclasses
import math
import time
from dataclasses import dataclass

import torch

from .losses import bits_per_character, cross_entropy


@dataclass(frozen=True)
class TrainConfig:
    steps: int = 600  # optimizer steps
    batch: int = 32  # windows per step
    learning_rate: float = 3e-3  # peak AdamW learning rate (small models tolerate a high one)
    warmup: int = 50  # steps of linear warm-up from 0 to the peak
    final_lr_fraction: float = 0.1  # cosine decay ends at this fraction of the peak
    weight_decay: float = 0.01  # AdamW decoupled weight decay
    eval_every: int = 100  # steps between validation measurements
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
def validation_bpc(model, tokens: torch.Tensor, batch: int = 256) -> float:
    """Mean bits per character over non-overlapping windows of the validation text. tokens (N,)."""
    context = model.config.context
    device = next(model.parameters()).device
    usable = (len(tokens) - 1) // context * context
    inputs = tokens[:usable].view(-1, context).to(device)  # (W, context)
    targets = tokens[1:usable + 1].view(-1, context).to(device)
    was_training = model.training
    model.eval()
    total = 0.0
    for start in range(0, len(inputs), batch):
        logits = model(inputs[start:start + batch])
        total += cross_entropy(logits, targets[start:start + batch]).item() * len(logits)
    model.train(was_training)
    return bits_per_character(total / len(inputs))


def fit(model, objective, valid_tokens: torch.Tensor, config: TrainConfig):
    """Train `model` with `objective(model, generator) -> {"loss": tensor, <named terms>...}`.
    Yields {"step", "steps", "loss", <terms>, "val_bpc" (on evaluation steps), "tokens_per_second",
    "elapsed", "progress", "final"}."""
    generator = torch.Generator().manual_seed(config.seed)
    optimizer = torch.optim.AdamW(model.parameters(), lr=config.learning_rate, betas=(0.9, 0.99),
                                  weight_decay=config.weight_decay)
    tokens_per_step = config.batch * model.config.context
    model.train()
    start = time.perf_counter()
    train_seconds = 0.0  # excludes validation, so tokens/s measures training alone
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
        record = {"step": step, "steps": config.steps, **{k: v.item() for k, v in terms.items()},
                  "tokens_per_second": step * tokens_per_step / train_seconds,
                  "progress": step / config.steps, "final": step == config.steps}
        if step % config.eval_every == 0 or step == config.steps:
            record["val_bpc"] = validation_bpc(model, valid_tokens)
        record["elapsed"] = time.perf_counter() - start
        yield record

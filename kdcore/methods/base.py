"""What every distillation method is: a small nn.Module that turns student and teacher outputs into
named, already-weighted loss terms. The training loop sums the terms and reports each one."""
import torch
import torch.nn.functional as F
from torch import nn

from ..errors import ConfigError


class Distiller(nn.Module):
    """Base class. Subclasses set `consumes` and implement `forward`.

    consumes: which outputs the loop must supply, from {"logits", "features"}; "teacher" means the
        method needs the teacher at all (plain hard-label training does not).
    forward(student, teacher, target, labelled) -> {term name: scalar tensor}
        student / teacher: dicts with "logits" (B, C) and, when consumed, "features" (list of tensors);
        teacher is None for methods that do not consume "teacher".
        target: (B,) int64 labels, meaningful only where `labelled` (B,) bool is True — the transfer
        set may contain images whose label the student is not allowed to see.
    """

    consumes: frozenset[str] = frozenset({"logits"})

    def bind(self, student: nn.Module, teacher: nn.Module | None, in_shape) -> "Distiller":
        """Build what depends on the models' feature shapes (e.g. learned projections) and check that
        the pair is compatible. Call it before `fit`, which then optimises those parameters with the
        student. Methods that need nothing from the models keep this default."""
        return self

    def forward(self, student: dict, teacher: dict | None, target: torch.Tensor, labelled: torch.Tensor) -> dict:
        raise NotImplementedError


def labelled_cross_entropy(logits: torch.Tensor, target: torch.Tensor, labelled: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy over the labelled rows only (0 when the batch has none)."""
    if not labelled.any():
        return logits.sum() * 0.0  # keeps the graph, contributes nothing
    return F.cross_entropy(logits[labelled], target[labelled])


def check_range(name: str, value: float, low: float, high: float, *, low_open=False) -> float:
    ok = (low < value if low_open else low <= value) and value <= high
    if not ok:
        bracket = "(" if low_open else "["
        raise ConfigError(f"{name} must be in {bracket}{low}, {high}], got {value}.")
    return float(value)


class HardLabels(Distiller):
    """Plain supervised training on the labels: the baseline every method is compared with.

    L = CE(y, softmax(z_s))   over labelled images.
    """

    def forward(self, student, teacher, target, labelled):
        return {"hard": labelled_cross_entropy(student["logits"], target, labelled)}

"""What every distillation method is: a small nn.Module that turns student and teacher outputs into
named, already-weighted loss terms. The training loop sums the terms and reports each one.

A method describes itself, so cards, sliders and CLI flags are generated from the class:
`paper`, `formula_tex`, `consumes` and `hyper = {name: Range(low, high, default, doc)}`.
Construction validates the hyper-parameters against `hyper` and sets them as attributes.
"""
import torch
import torch.nn.functional as F
from torch import nn

from ..schema import Range, apply_hyper


class Distiller(nn.Module):
    """Base class. Subclasses set the class attributes below and implement `forward`.

    consumes: which outputs the loop must supply, from {"logits", "features"}; "teacher" means the
        method needs the teacher at all (plain hard-label training does not).
    sees_unlabelled: whether the method learns from images whose label it may not use (the whole
        transfer set). A method that cannot (hard labels) trains on the labelled images only, for as
        many steps as the others take over the whole transfer set: equal compute.
    forward(student, teacher, target, labelled, progress) -> {term name: scalar tensor}
        student / teacher: dicts with "logits" (B, C) and, when consumed, "features" (list of tensors);
        teacher is None for methods that do not consume "teacher".
        target: (B,) int64 labels, meaningful only where `labelled` (B,) bool is True.
        progress: share of training done, 0 → 1, for methods that schedule themselves.
    """

    name: str = ""  # the registered name (kdcore.methods.METHODS)
    paper: str = ""  # full citation
    formula_tex: str = ""  # the objective in LaTeX
    consumes: frozenset[str] = frozenset({"logits"})
    sees_unlabelled: bool = True
    hyper: dict[str, Range] = {}

    def __init__(self, **hyper):
        super().__init__()
        apply_hyper(self, hyper)

    @classmethod
    def defaults(cls) -> dict:
        return {key: rule.default for key, rule in cls.hyper.items()}

    def bind(self, student: nn.Module, teacher: nn.Module | None, in_shape) -> "Distiller":
        """Build what depends on the models' feature shapes (e.g. learned projections) and check that
        the pair is compatible. Call it before `fit`, which then optimises those parameters with the
        student. Methods that need nothing from the models keep this default."""
        return self

    def forward(self, student: dict, teacher: dict | None, target: torch.Tensor, labelled: torch.Tensor,
                progress: float = 0.0) -> dict:
        raise NotImplementedError


def labelled_cross_entropy(logits: torch.Tensor, target: torch.Tensor, labelled: torch.Tensor) -> torch.Tensor:
    """Mean cross-entropy over the labelled rows only (0 when the batch has none)."""
    if not labelled.any():
        return logits.sum() * 0.0  # keeps the graph, contributes nothing
    return F.cross_entropy(logits[labelled], target[labelled])


class HardLabels(Distiller):
    """Plain supervised training on the labels: the baseline every method is compared with."""

    name = "hard"
    paper = "—"
    formula_tex = r"\mathcal{L} = \mathrm{CE}(y,\ \mathrm{softmax}(z_s))"
    sees_unlabelled = False

    def forward(self, student, teacher, target, labelled, progress=0.0):
        return {"hard": labelled_cross_entropy(student["logits"], target, labelled)}

"""Soft labels: what the teacher's logits say once softened by a temperature T.

p_i(T) = exp(z_i / T) / Σ_j exp(z_j / T). T = 1 is the ordinary softmax; T → 0 gives the one-hot
arg-max, T → ∞ the uniform distribution. The small probabilities a high T brings out are the "dark
knowledge" (Hinton et al. 2015): which wrong classes the teacher finds plausible for an image.

Everything here works on precomputed logits (N, C), so moving T costs a softmax, never training.
"""
import math

import torch

from .schema import Range

TEMPERATURE = Range(0.05, 100.0)  # beyond these a float32 softmax is indistinguishable from its limit


def soften(logits: torch.Tensor, temperature: float) -> torch.Tensor:
    """Softened probabilities softmax(z / T), same shape as `logits` (…, C)."""
    return torch.softmax(logits.float() / TEMPERATURE.check("temperature T", temperature), dim=-1)


def entropy(probs: torch.Tensor) -> torch.Tensor:
    """Shannon entropy in bits along the last axis: 0 for one-hot, log2(C) for uniform. (…, C) → (…)."""
    return -(probs * torch.log2(probs.clamp_min(1e-30))).sum(-1)


def entropy_curve(logits: torch.Tensor, temperatures) -> list[float]:
    """Mean entropy (bits) of the softened distributions of all rows of `logits` (N, C), one value per T."""
    scale = torch.tensor([TEMPERATURE.check("temperature T", T) for T in temperatures]).view(-1, 1, 1)  # (K, 1, 1)
    return entropy(torch.softmax(logits.float() / scale, dim=-1)).mean(1).tolist()  # (K, N, C) → (K,)


def log_temperatures(low: float = 0.5, high: float = 20.0, count: int = 60) -> list[float]:
    """`count` temperatures evenly spaced on a log scale (for curves against T)."""
    step = (math.log(high) - math.log(low)) / (count - 1)
    return [math.exp(math.log(low) + i * step) for i in range(count)]


def similarity_matrix(logits: torch.Tensor, labels: torch.Tensor, temperature: float,
                      num_classes: int | None = None) -> torch.Tensor:
    """(C, C) "dark knowledge" matrix: row c is the mean softened teacher distribution over the
    images whose true class is c. Each row sums to 1; off-diagonal mass shows look-alike classes."""
    num_classes = num_classes or logits.shape[-1]
    probs = soften(logits, temperature)  # (N, C)
    sums = torch.zeros(num_classes, probs.shape[1]).index_add_(0, labels, probs)  # (C, C)
    counts = torch.bincount(labels, minlength=num_classes).clamp_min(1).unsqueeze(1).float()  # (C, 1)
    return sums / counts


def top_lookalikes(matrix: torch.Tensor, classes, k: int = 5) -> list[dict]:
    """The `k` largest off-diagonal entries of a similarity matrix: [{"true", "looks_like", "share"}]
    sorted by share, e.g. {"true": "4", "looks_like": "9", "share": 0.09}."""
    off = matrix.clone().fill_diagonal_(-1.0)
    values, flat = off.flatten().topk(min(k, off.numel() - len(off)))
    cols = matrix.shape[1]
    return [{"true": classes[i // cols], "looks_like": classes[i % cols], "share": v}
            for v, i in zip(values.tolist(), flat.tolist())]


def most_confusing(logits: torch.Tensor, count: int) -> torch.Tensor:
    """Indices of the `count` rows where the teacher is least sure: smallest gap between its two
    largest probabilities at T = 1. (N, C) → (count,)."""
    top2 = torch.softmax(logits.float(), dim=-1).topk(2, dim=-1).values  # (N, 2)
    return (top2[:, 0] - top2[:, 1]).argsort()[:count]


def explain(logits: torch.Tensor, labels: torch.Tensor, chosen: torch.Tensor, temperature: float) -> dict:
    """Everything the Soft Labels page redraws when T moves, from cached logits (N, C) and labels (N,):
    probs (B, C) of the chosen rows, their entropies (B,) in bits, the (C, C) similarity matrix and
    the top look-alike pairs as (true, looks_like, share) index triples."""
    matrix = similarity_matrix(logits, labels, temperature)
    probs = soften(logits[chosen], temperature)
    return {"probs": probs, "entropy": entropy(probs), "matrix": matrix,
            "lookalikes": top_lookalikes(matrix, range(matrix.shape[0]))}

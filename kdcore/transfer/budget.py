"""The target label budget: k labelled examples per class, drawn stratified and seeded.

For one seed the draws are nested (the k = 1 images are among the k = 5 ones), so a curve over k
shows the effect of more labels, not of different luck.
"""
import numpy as np
import torch

from ..errors import ConfigError

ALL = "all"  # every labelled target training image


def parse_k(value) -> int | str:
    """A k from the CLI or a widget: a whole number ≥ 0, or 'all'."""
    if str(value).lower() == ALL:
        return ALL
    try:
        k = int(value)
    except (TypeError, ValueError):
        k = -1
    if k < 0:
        raise ConfigError("bad_k", value=value)
    return k


def sample(y: torch.Tensor, k: int | str, seed: int) -> torch.Tensor:
    """Indices (10·k,) of k images per class of labels y (N,), or all indices for k = 'all'."""
    if k == ALL:
        return torch.arange(len(y))
    labels = y.cpu().numpy()
    classes, counts = np.unique(labels, return_counts=True)
    if k > counts.min():
        scarce = classes[counts.argmin()]
        raise ConfigError("k_too_large", k=k, scarce=scarce, count=counts.min())
    rng = np.random.default_rng(seed)
    picked = [rng.permutation(np.flatnonzero(labels == c))[:k] for c in classes]
    return torch.from_numpy(np.sort(np.concatenate(picked))).long()

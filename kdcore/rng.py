"""Per-run randomness: a seed gives the same run under any load.

PyTorch's global generator is shared by every thread of a server: two learners training at once
would draw each other's numbers. So weights are initialised inside `seeded(seed)` (one process-wide
lock; the global state is seeded on entry and restored on exit), and whatever training draws —
batch order, augmentation, dropout masks — comes from the run's own `torch.Generator`.
"""
import threading
from contextlib import contextmanager

import torch
from torch import nn

_LOCK = threading.RLock()
_LOCAL = threading.local()


@contextmanager
def seeded(seed: int):
    """Build models here: the global generator is this thread's alone, seeded with `seed`. Nested
    blocks reseed without restoring, so what follows an inner block continues its stream."""
    with _LOCK:
        depth = getattr(_LOCAL, "depth", 0)
        state = torch.get_rng_state() if depth == 0 else None
        _LOCAL.depth = depth + 1
        torch.manual_seed(seed)
        try:
            yield
        finally:
            _LOCAL.depth = depth
            if state is not None:
                torch.set_rng_state(state)


class Dropout(nn.Dropout):
    """nn.Dropout whose masks come from the run's generator (`use_generator`; the global one until then)."""
    generator: torch.Generator | None = None

    def forward(self, x):
        if not self.training or self.p == 0 or self.generator is None:
            return super().forward(x)
        keep = torch.empty_like(x).bernoulli_(1 - self.p, generator=self.generator)
        return x * keep / (1 - self.p)


def use_generator(model: nn.Module, seed: int, device: torch.device | str = "cpu") -> None:
    """Every Dropout of `model` draws its masks from one new generator on `device`, seeded with `seed`."""
    generator = torch.Generator(device=device).manual_seed(seed)
    for module in model.modules():
        if isinstance(module, Dropout):
            module.generator = generator

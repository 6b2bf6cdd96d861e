"""Choose the compute device (CPU by default, a GPU automatically when one is present), its precision
and its threads.

- `resolve("auto")`: cuda when available, else cpu.
- `bf16_supported(device)`: bf16 autocast pays off there — a CUDA GPU with bf16, or a CPU with native
  bf16 instructions (AVX-512 BF16 or AMX); elsewhere bf16 is emulated and slower than fp32.
- `threads(n)`: run a block with n intra-op threads. Tiny models (a student MLP) gain nothing from
  a second thread and lose a lot when another program keeps the cores busy (the threads wait for each
  other at every operation), so the training loop runs them on one.
"""
from contextlib import contextmanager, nullcontext

import torch

from .errors import ConfigError
from .schema import Choice

CHOICES = ("auto", "cpu", "cuda")


def resolve(name: str = "auto") -> torch.device:
    """'auto' → cuda if available else cpu; 'cuda' without a GPU raises a clear error."""
    Choice(CHOICES).check("device", name)
    if name == "cuda" and not torch.cuda.is_available():
        raise ConfigError("no_cuda")
    if name == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    return torch.device(name)


def bf16_supported(device: torch.device | str) -> bool:
    device = torch.device(device)
    if device.type == "cuda":
        return torch.cuda.is_bf16_supported()
    return device.type == "cpu" and (torch.cpu._is_avx512_bf16_supported() or torch.cpu._is_amx_tile_supported())


def autocast(device: torch.device, enabled: bool):
    """bf16 autocast on `device` when `enabled`, else a no-op context."""
    return torch.autocast(device.type, dtype=torch.bfloat16) if enabled else nullcontext()


@contextmanager
def threads(n: int | None):
    """Run the block with `n` intra-op threads (None: leave the setting alone), then restore it."""
    before = torch.get_num_threads()
    if n is not None:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)

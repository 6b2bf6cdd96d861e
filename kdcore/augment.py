"""Batch-level augmentation: whole batches at once, no per-sample Python."""
import torch
import torch.nn.functional as F


def random_shift(x: torch.Tensor, max_shift: int, generator: torch.Generator) -> torch.Tensor:
    """Shift each image of (B, C, H, W) by its own random (dy, dx) in [−max_shift, max_shift],
    filling with the background value (the batch minimum, i.e. black after normalisation)."""
    if max_shift <= 0:
        return x
    B, C, H, W = x.shape
    s = max_shift
    padded = F.pad(x, (s, s, s, s), value=float(x.min()))  # (B, C, H+2s, W+2s)
    dy, dx = torch.randint(-s, s + 1, (2, B), generator=generator).to(x.device)
    rows = torch.arange(H, device=x.device).view(1, H, 1) + s + dy.view(B, 1, 1)  # (B, H, 1)
    cols = torch.arange(W, device=x.device).view(1, 1, W) + s + dx.view(B, 1, 1)  # (B, 1, W)
    flat = (rows * (W + 2 * s) + cols).view(B, 1, H * W).expand(B, C, H * W)  # source pixel of each output pixel
    return padded.view(B, C, -1).gather(2, flat).view(B, C, H, W)

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


def random_crop_flip(x: torch.Tensor, pad: int, generator: torch.Generator) -> torch.Tensor:
    """The CIFAR augmentation on a whole batch: each image of (B, C, H, W) is reflect-padded by `pad`,
    cropped back to H × W at its own random offset in [0, 2·pad]², and mirrored left–right with
    probability ½. The random numbers are drawn as (offsets (2, B), flips (B,)) from `generator`."""
    B, C, H, W = x.shape
    offsets = torch.randint(0, 2 * pad + 1, (2, B), generator=generator).to(x.device)
    flips = torch.rand(B, generator=generator).to(x.device) < 0.5
    padded = F.pad(x, (pad, pad, pad, pad), mode="reflect") if pad > 0 else x  # (B, C, H+2p, W+2p)
    rows = torch.arange(H, device=x.device).view(1, H, 1) + offsets[0].view(B, 1, 1)  # (B, H, 1)
    cols = torch.arange(W, device=x.device).view(1, 1, W)
    cols = torch.where(flips.view(B, 1, 1), W - 1 - cols, cols) + offsets[1].view(B, 1, 1)  # (B, 1, W)
    flat = (rows * (W + 2 * pad) + cols).view(B, 1, H * W).expand(B, C, H * W)
    return padded.reshape(B, C, -1).gather(2, flat).view(B, C, H, W)

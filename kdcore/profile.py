"""Measured model costs: parameters, FLOPs (torch.utils.flop_counter) and CPU latency per image."""
import statistics
import time

import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode


def parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def flops(model: nn.Module, in_shape) -> int:
    """Floating-point operations for one image (a multiply-add counts as 2)."""
    x = torch.zeros(1, *in_shape, device=next(model.parameters()).device)
    counter = FlopCounterMode(display=False)
    with counter, torch.inference_mode():
        model.eval()(x)
    return int(counter.get_total_flops())


def latency_ms(model: nn.Module, in_shape, repeats: int = 50, warmup: int = 5) -> float:
    """Median wall time of one single-image forward pass on the CPU, in milliseconds."""
    model = model.to("cpu").eval()
    x = torch.zeros(1, *in_shape)
    times = []
    with torch.inference_mode():
        for i in range(warmup + repeats):
            start = time.perf_counter()
            model(x)
            if i >= warmup:
                times.append(time.perf_counter() - start)
    return 1000 * statistics.median(times)


def profile(model: nn.Module, in_shape) -> dict:
    device = next(model.parameters()).device
    result = {"params": parameters(model), "flops": flops(model, in_shape), "latency_ms": latency_ms(model, in_shape)}
    model.to(device)
    return result

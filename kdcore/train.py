"""Training and evaluation loops. `fit` is a generator of typed events (`kdcore.events`: a Step per
optimiser step, an Epoch with the held-out accuracy at each epoch end) and returns the trained model.

Every step is a slice of whole in-memory tensors by a shuffled index; the teacher's logits are
precomputed once per dataset and sliced the same way, so a student step costs one student forward
and backward.
"""
import math
import time
from collections.abc import Iterator

import torch
from torch import nn

from .augment import random_crop_flip, random_shift
from .device import autocast, bf16_supported, threads
from .errors import ConfigError
from .events import Epoch, Step
from .methods import Distiller, HardLabels
from .profile import flops
from .rng import use_generator
from .schema import Choice

EVAL_BATCH = 256  # images per evaluation forward pass: 1.7× faster than 2,048 on a CPU (cache-sized)
ONE_THREAD_BELOW = 50_000_000  # forward FLOPs per batch under which training runs on one thread
GPU_REPORT_EVERY = 16  # steps between loss read-backs on a GPU
OPTIMIZERS = {
    "adam": lambda params, lr, decay: torch.optim.Adam(params, lr=lr, weight_decay=decay),
    "sgd": lambda params, lr, decay: torch.optim.SGD(params, lr=lr, momentum=0.9, nesterov=True, weight_decay=decay),
}
AUGMENTATIONS = {"shift": random_shift, "crop-flip": random_crop_flip}


@torch.inference_mode()
def predict_logits(model: nn.Module, x: torch.Tensor) -> torch.Tensor:
    """Logits (N, C) for a whole tensor of images, in evaluation mode, on the model's device, returned on the CPU."""
    model.eval()
    device = next(model.parameters()).device
    return torch.cat([model(x[i:i + EVAL_BATCH].to(device)).float().cpu() for i in range(0, len(x), EVAL_BATCH)])


def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    return (predict_logits(model, x).argmax(1) == y.cpu()).float().mean().item()


def _batches(n: int, batch_size: int, steps: int, generator: torch.Generator) -> Iterator[torch.Tensor]:
    """`steps` index batches of size ≤ batch_size, walking through successive shuffles of range(n);
    lets a small labelled set take as many steps as a large transfer set (equal compute)."""
    done, order = 0, torch.randperm(n, generator=generator)
    while done < steps:
        if len(order) < batch_size and n >= batch_size:
            order = torch.cat([order, torch.randperm(n, generator=generator)])
        yield order[:batch_size]
        order = order[batch_size:]
        if len(order) == 0:
            order = torch.randperm(n, generator=generator)
        done += 1


def fit(model: nn.Module, x: torch.Tensor, y: torch.Tensor, *, epochs: int, method: Distiller | None = None,
        teacher_logits: torch.Tensor | None = None, teacher: nn.Module | None = None,
        labelled: torch.Tensor | None = None, x_eval: torch.Tensor | None = None, y_eval: torch.Tensor | None = None,
        batch_size: int = 128, lr: float = 3e-3, weight_decay: float = 0.0, shift: int = 0, seed: int = 0,
        steps_per_epoch: int | None = None, device: torch.device | str = "cpu", channels_last: bool = False,
        amp: bool = False, augment: str = "shift", optimizer: str = "adam"):
    """Train `model` in place with `method` (default: hard labels): yields a Step per step and an
    Epoch at each epoch end (with the accuracy on x_eval/y_eval when given); returns the model.

    x, y: the training (transfer) set, (N, C, H, W) and (N,). labelled: (N,) bool, which labels the
    method may use (default all). teacher_logits: (N, C) precomputed teacher outputs aligned with x;
    used when the method consumes the teacher and there is no augmentation, else `teacher` is run.
    The method's forward receives `progress`, the share of training done before the step (0 → 1).
    shift, augment: augmentation by up to `shift` px: "shift" (background-filled translations, digits)
    or "crop-flip" (reflect-padded crops and left–right mirroring, natural images); see kdcore.augment.
    optimizer: "adam", or "sgd" (Nesterov momentum 0.9); both follow a one-cycle schedule peaking at lr.
    channels_last: keep the model's weights in NHWC order (1.5–2× faster convolutions and pooling on
    CPUs; the same arithmetic up to float rounding, so not bitwise the NCHW result).
    amp: bf16 autocast for the forward pass where the device runs bf16 natively (`device.bf16_supported`).
    The data live on `device` for the whole run; on a GPU the loss is read back (a host round trip)
    only on the steps that report it, every `GPU_REPORT_EVERY` steps and the last.
    """
    method = method or HardLabels()
    needs_teacher = "teacher" in method.consumes
    needs_features = "features" in method.consumes
    use_cached = needs_teacher and teacher_logits is not None and shift == 0 and not needs_features
    if needs_teacher and not use_cached and teacher is None:
        raise ConfigError("needs_teacher", method=type(method).__name__)

    device = torch.device(device)
    runs_teacher = teacher is not None and needs_teacher and not use_cached
    work = step_flops([model, teacher] if runs_teacher else [model], x.shape[1:], batch_size)
    n_threads = 1 if device.type == "cpu" and work < ONE_THREAD_BELOW else None
    generator = torch.Generator().manual_seed(seed)  # batch order and shifts (per run: kdcore.rng)
    use_generator(model, seed, device)
    model.to(device, memory_format=torch.channels_last if channels_last else torch.preserve_format).train()
    method.to(device).train()
    x, y = x.to(device), y.to(device)
    labelled = (torch.ones(len(y), dtype=torch.bool) if labelled is None else labelled).to(device)
    teacher_logits = teacher_logits.to(device) if use_cached else None
    if runs_teacher:
        teacher.to(device).eval()
    if x_eval is not None:
        x_eval, y_eval = x_eval.to(device), y_eval.to(device)
    bf16 = amp and bf16_supported(device)
    report = 1 if device.type == "cpu" else GPU_REPORT_EVERY

    steps_per_epoch = steps_per_epoch or math.ceil(len(x) / batch_size)
    total = epochs * steps_per_epoch
    params = list(model.parameters()) + list(method.parameters())
    optimizer = OPTIMIZERS[Choice(tuple(OPTIMIZERS)).check("optimizer", optimizer)](params, lr, weight_decay)
    augmentation = AUGMENTATIONS[Choice(tuple(AUGMENTATIONS)).check("augment", augment)]
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=lr, total_steps=total)
    start = time.perf_counter()

    for step, idx in enumerate(_batches(len(x), batch_size, total, generator), start=1):
        with threads(n_threads):
            idx = idx.to(device)
            xb = x.index_select(0, idx)  # the rows of x[idx], in about half the time on a CPU
            xb = augmentation(xb, shift, generator) if shift else xb
            with autocast(device, bf16):  # the networks' forward passes; the loss below in fp32
                student_out = _outputs(model, xb, needs_features)
                teacher_out = None
                if use_cached:
                    teacher_out = {"logits": teacher_logits[idx]}
                elif needs_teacher:
                    with torch.no_grad():
                        teacher_out = _outputs(teacher, xb, needs_features)
            terms = method(_float(student_out), _float(teacher_out), y[idx], labelled[idx], progress=(step - 1) / total)
            loss = sum(terms.values())
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            schedule.step()

        epoch, elapsed = (step - 1) // steps_per_epoch + 1, time.perf_counter() - start
        if step % report == 0 or step == total:
            values = torch.stack([v.detach().float() for v in terms.values()]).tolist()  # one read-back
            yield Step(progress=step / total, step=step, steps=total, epoch=epoch,
                       loss_terms=dict(zip(terms, values)), elapsed=elapsed)
        if step % steps_per_epoch == 0 and x_eval is not None:
            with threads(n_threads):
                acc = accuracy(model, x_eval, y_eval)
            yield Epoch(progress=step / total, epoch=epoch, metrics={"accuracy": acc}, elapsed=elapsed)
            model.train()
    model.eval()
    return model


def step_flops(models: list[nn.Module], in_shape, batch_size: int) -> int:
    """Forward FLOPs of one batch through `models` (what decides the thread count)."""
    return batch_size * sum(flops(m, in_shape) for m in models)


def _float(outputs: dict | None) -> dict | None:
    """Outputs in fp32 for the loss (autocast leaves them in bf16): losses and softmax stay exact."""
    return None if outputs is None else {k: [f.float() for f in v] if isinstance(v, list) else v.float()
                                          for k, v in outputs.items()}


def _outputs(model: nn.Module, x: torch.Tensor, features: bool) -> dict:
    if features:
        feats, logits = model(x, features=True)
        return {"logits": logits, "features": feats}
    return {"logits": model(x)}

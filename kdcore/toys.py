"""Small computations behind the course's live widgets. Each answers in milliseconds on a CPU and
trains nothing that takes longer: a lesson's widget must respond while the learner reads.

- `objective`: the KD loss on one example and the size of its gradient against T, with and without T².
- `reversal`: a two-dimensional domain-adaptation toy trained with and without gradient reversal.
- `reuse`: which weights of a source network a target network can copy (model transfer) — and
  that distillation needs none of them, only the same output classes.
- `costs`: parameters, FLOPs and single-image CPU latency of the Lab's teacher and students.
- `kl_fit`: the single Gaussian that best fits a two-mode "teacher" under forward and reverse KL.
"""
import math

import torch
import torch.nn.functional as F

from . import models, profile
from .methods.kd import KD, softened_kl
from .rng import seeded
from .transfer.adversarial import reverse_gradient


def gradient_norms(teacher_logits: torch.Tensor, student_logits: torch.Tensor, temperatures) -> dict:
    """‖∂ KL(p_T^teacher ‖ p_T^student) / ∂ z_student‖ for one example (C,) at each T, without and with
    the T² factor. Hinton et al. (2015) §2.1: the gradient is (q_i − p_i) / T, which shrinks like
    1/T² once T is large, so the soft term is multiplied by T² to keep its weight."""
    plain = []
    for T in temperatures:
        z = student_logits.detach().float().clone().unsqueeze(0).requires_grad_(True)  # (1, C)
        softened_kl(z, teacher_logits.float().unsqueeze(0), T).backward()
        plain.append(z.grad.norm().item())
    return {"plain": plain, "scaled": [g * T * T for g, T in zip(plain, temperatures)]}


def objective(teacher_logits: torch.Tensor, student_logits: torch.Tensor, label: int, temperature: float,
              alpha: float) -> dict:
    """The Lab's KD objective (kdcore.methods.kd.KD) on one example: its named terms and their sum."""
    method = KD(temperature=temperature, alpha=alpha)
    terms = method({"logits": student_logits.float().unsqueeze(0)}, {"logits": teacher_logits.float().unsqueeze(0)},
                   torch.tensor([label]), torch.tensor([True]))
    values = {name: value.item() for name, value in terms.items()}
    return {**values, "total": sum(values.values())}


def domains(shift: float, per_class: int = 100, seed: int = 0) -> dict:
    """Two classes in 2-D: source class 0 around (−0.8, −1.2) and class 1 around (0.8, 1.2); the target
    domain is the same two classes moved up by `shift`. Both coordinates separate the classes, but only
    the vertical one also tells the domains apart, so a source-trained boundary leans on it and fails."""
    g = torch.Generator().manual_seed(seed)
    centres = torch.tensor([[-0.8, -1.2], [0.8, 1.2]])
    y = torch.arange(2).repeat_interleave(per_class)  # (2n,)
    source = centres[y] + 0.6 * torch.randn(len(y), 2, generator=g)
    target = centres[y] + 0.6 * torch.randn(len(y), 2, generator=g) + torch.tensor([0.0, shift])
    return {"source": source, "target": target, "y": y}


def reversal(lambd: float, shift: float = 2.0, steps: int = 200, seed: int = 0) -> dict:
    """DANN on the `domains` toy (Ganin & Lempitsky 2015): a shared one-dimensional feature f = w·x + b,
    a label classifier on f trained on source labels only, and a domain classifier on f behind a gradient
    reversal layer of strength `lambd` (0: plain source training). Target labels are used only to score.
    Returns the label boundary w·x + c = 0, the angle of w from the horizontal, accuracies on both
    domains and the domain classifier's accuracy (0.5: the feature no longer tells the domains apart)."""
    toy = domains(shift, seed=seed)
    with seeded(seed):
        feature, label_head = torch.nn.Linear(2, 1), torch.nn.Linear(1, 1)
        domain_head = torch.nn.Sequential(torch.nn.Linear(1, 8), torch.nn.ReLU(), torch.nn.Linear(8, 1))
    params = [*feature.parameters(), *label_head.parameters(), *domain_head.parameters()]
    optimiser = torch.optim.Adam(params, lr=0.05)
    both = torch.cat([toy["source"], toy["target"]])  # (4n, 2)
    is_target = torch.cat([torch.zeros(len(toy["y"])), torch.ones(len(toy["y"]))])  # (4n,)
    for _ in range(steps):
        f = feature(both)  # (4n, 1)
        label_loss = F.binary_cross_entropy_with_logits(label_head(f[: len(toy["y"])]).squeeze(1), toy["y"].float())
        domain_logit = domain_head(reverse_gradient(f, lambd)).squeeze(1)
        loss = label_loss + F.binary_cross_entropy_with_logits(domain_logit, is_target)
        optimiser.zero_grad()
        loss.backward()
        optimiser.step()
    with torch.no_grad():
        f = feature(both)
        predicted = (label_head(f).squeeze(1) > 0).long()
        domain_right = ((domain_head(f).squeeze(1) > 0).float() == is_target).float().mean().item()
        n = len(toy["y"])
        # the label boundary is the line where label_head(feature(x)) = 0: w·x + c = 0
        a, b = label_head.weight.item(), label_head.bias.item()
        w = (a * feature.weight[0].detach()).tolist()
        c = a * feature.bias.item() + b
    return {"points": toy, "w": w, "c": c, "angle": math.degrees(math.atan2(abs(w[1]), abs(w[0]))),
            "source_accuracy": (predicted[:n] == toy["y"]).float().mean().item(),
            "target_accuracy": (predicted[n:] == toy["y"]).float().mean().item(), "domain_accuracy": domain_right}


def reuse(source: torch.nn.Module, target: torch.nn.Module) -> dict:
    """What model transfer can copy from `source` into `target`: every tensor whose name and shape
    match (as load_state_dict would accept). Distillation copies no weights; it needs only outputs over
    the same classes. Returns per-tensor rows and the counts."""
    theirs, ours = source.state_dict(), target.state_dict()
    rows = [{"name": name, "target": tuple(value.shape), "source": tuple(theirs[name].shape) if name in theirs else None,
             "count": value.numel(), "copy": name in theirs and theirs[name].shape == value.shape}
            for name, value in ours.items()]
    probe_source, probe_target = _output_classes(source), _output_classes(target)
    return {"rows": rows, "copied": sum(r["count"] for r in rows if r["copy"]), "total": sum(r["count"] for r in rows),
            "same_classes": probe_source == probe_target}


def _output_classes(model: torch.nn.Module) -> int:
    """The number of output classes: the size of the last parameter (the head's bias)."""
    return list(model.parameters())[-1].numel()


def costs(in_shape, configs, repeats: int = 30) -> list[dict]:
    """Measured parameters, FLOPs and median single-image CPU latency (ms) of fresh, untrained models
    [(family, width)]; weights do not change any of the three."""
    rows = []
    for family, width in configs:
        model = models.build(family, in_shape, 10, width)
        rows.append({"family": family, "width": width, "params": profile.parameters(model),
                     "flops": profile.flops(model, in_shape), "latency_ms": profile.latency_ms(model, in_shape, repeats)})
    return rows


def kl_fit(separation: float, points: int = 400) -> dict:
    """A two-mode teacher density p (equal Gaussians of sd 1 at ±separation/2) and the single Gaussian q
    that minimises forward KL(p ‖ q) (moment matching: it covers both modes) and reverse KL(q ‖ p)
    (it sits on one mode), found by a grid search over q's mean and sd. Densities on a grid of x."""
    x = torch.linspace(-8.0, 8.0, points)  # (X,)
    dx = (x[1] - x[0]).item()
    p = 0.5 * (_normal(x, -separation / 2, 1.0) + _normal(x, separation / 2, 1.0))
    means = torch.linspace(-6.0, 6.0, 241).view(-1, 1, 1)  # (M, 1, 1)
    sds = torch.linspace(0.5, 5.0, 91).view(1, -1, 1)  # (1, S, 1)
    q = _normal(x.view(1, 1, -1), means, sds).clamp_min(1e-30)  # (M, S, X)
    pc = p.clamp_min(1e-30)
    forward = (p * (pc.log() - q.log())).sum(-1) * dx  # (M, S)
    reverse = (q * (q.log() - pc.log())).sum(-1) * dx
    fits = {}
    for name, table in (("forward", forward), ("reverse", reverse)):
        index = int(table.argmin())
        mean, sd = means.flatten()[index // sds.numel()].item(), sds.flatten()[index % sds.numel()].item()
        mean = round(mean, 6) + 0.0  # a grid point, without float noise or a negative zero
        fits[name] = {"mean": mean, "sd": sd, "kl": table.min().item(), "density": _normal(x, mean, sd).tolist()}
    return {"x": x.tolist(), "teacher": p.tolist(), **fits}


def _normal(x, mean, sd):
    return torch.exp(-0.5 * ((x - mean) / sd) ** 2) / (sd * math.sqrt(2 * math.pi))

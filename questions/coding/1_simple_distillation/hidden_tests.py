"""Hidden tests for exercise 1 (UCI digits, CPU, a few seconds)."""
from functools import lru_cache

import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

from solution import distillation_loss, soft_targets, train_student, train_teacher

torch.set_num_threads(1)


@lru_cache(maxsize=1)
def digits():
    X, y = load_digits(return_X_y=True)
    X, y = torch.tensor(X / 16.0, dtype=torch.float32), torch.tensor(y)
    order = torch.randperm(len(y), generator=torch.Generator().manual_seed(0))
    train, test = order[:1200], order[1200:]
    return X[train], y[train], X[test], y[test]


def accuracy(model, X, y):
    with torch.no_grad():
        return (model(X).argmax(1) == y).float().mean().item()


@lru_cache(maxsize=1)
def oracle_teacher_logits():
    """A teacher trained by the tests themselves, so test_student does not depend on train_teacher."""
    torch.manual_seed(1)
    X, y, _, _ = digits()
    teacher = nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10))
    optimizer = torch.optim.Adam(teacher.parameters(), lr=0.01)
    for _ in range(120):
        optimizer.zero_grad()
        F.cross_entropy(teacher(X), y).backward()
        optimizer.step()
    with torch.no_grad():
        return teacher(X)


def batch():
    g = torch.Generator().manual_seed(3)
    return torch.randn(8, 10, generator=g) * 3, torch.randn(8, 10, generator=g) * 3, torch.randint(0, 10, (8,), generator=g)


def oracle_loss(s, t, y, T, alpha):
    kl = F.kl_div(F.log_softmax(s / T, -1), F.softmax(t / T, -1), reduction="batchmean")
    return alpha * T * T * kl + (1 - alpha) * F.cross_entropy(s, y), kl


def test_soft_targets_are_probabilities():
    logits = batch()[0]
    p = soft_targets(logits, 4.0)
    assert tuple(p.shape) == (8, 10), f"soft_targets should keep the shape (8, 10), got {tuple(p.shape)}"
    assert torch.allclose(p.sum(-1), torch.ones(8), atol=1e-5), "each row of soft_targets must sum to 1 (softmax over the last dimension)"
    assert torch.allclose(p, F.softmax(logits / 4.0, -1), atol=1e-6), "soft_targets(logits, T) should equal softmax(logits / T)"


def test_higher_temperature_is_softer():
    logits = batch()[0]
    entropy = lambda p: -(p * p.log()).sum(-1).mean().item()
    e1, e8 = entropy(soft_targets(logits, 1.0)), entropy(soft_targets(logits, 8.0))
    assert e8 > e1, f"entropy at T=8 ({e8:.3f}) should exceed entropy at T=1 ({e1:.3f}): divide the logits by T"


def test_distillation_loss_value():
    s, t, y = batch()
    got = float(distillation_loss(s, t, y, T=4.0, alpha=0.7))
    want, kl = oracle_loss(s, t, y, 4.0, 0.7)
    without_t2 = 0.7 * kl + 0.3 * F.cross_entropy(s, y)
    if abs(got - float(without_t2)) < 1e-4:
        raise AssertionError(f"loss {got:.4f} is missing the T² factor on the KL term (expected {float(want):.4f}); "
                             "without it the soft term's gradients shrink like 1/T².")
    mean_reduction = 0.7 * 16 * kl / 10 + 0.3 * F.cross_entropy(s, y)
    if abs(got - float(mean_reduction)) < 1e-4:
        raise AssertionError("KL must be summed over classes and averaged over the batch (reduction='batchmean'), "
                             "not averaged over every element")
    assert abs(got - float(want)) < 1e-4, f"distillation_loss gave {got:.5f}, expected {float(want):.5f}"


def test_alpha_zero_is_cross_entropy():
    s, t, y = batch()
    got = float(distillation_loss(s, t, y, T=4.0, alpha=0.0))
    assert abs(got - float(F.cross_entropy(s, y))) < 1e-5, "with alpha=0 the loss must be plain cross-entropy on the labels"


def test_gradient_reaches_student_only():
    s, t, y = batch()
    s, t = s.clone().requires_grad_(), t.clone().requires_grad_()
    distillation_loss(s, t, y, T=2.0, alpha=0.5).backward()
    assert s.grad is not None and s.grad.abs().sum() > 0, "no gradient reached the student logits"
    assert t.grad is None or t.grad.abs().sum() == 0, "gradient flowed into the teacher logits: detach them"


def test_teacher_learns():
    torch.manual_seed(2)
    X, y, Xt, yt = digits()
    teacher = train_teacher(nn.Sequential(nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 10)), X, y, epochs=120)
    acc = accuracy(teacher, Xt, yt)
    assert acc >= 0.93, f"teacher test accuracy {acc:.3f} is below 0.93: train longer or check the loss"


def test_student_distils():
    torch.manual_seed(4)
    X, y, Xt, yt = digits()
    teacher_logits = oracle_teacher_logits()
    student = train_student(nn.Sequential(nn.Linear(64, 16), nn.ReLU(), nn.Linear(16, 10)), teacher_logits, X, y,
                            T=4.0, alpha=0.9, epochs=200)
    acc = accuracy(student, Xt, yt)
    agreement = (student(X).argmax(1) == teacher_logits.argmax(1)).float().mean().item()
    assert acc >= 0.90, f"student test accuracy {acc:.3f} is below 0.90"
    assert agreement >= 0.95, f"student agrees with the teacher on only {agreement:.1%} of training images (want ≥ 95%)"

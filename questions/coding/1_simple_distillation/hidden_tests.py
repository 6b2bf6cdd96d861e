"""Hidden tests for exercise 1 (UCI digits, CPU, a few seconds).

Beyond the formulas, two behavioural tests decide whether the student really learns from its
teacher: with most labels wrong, only the teacher's signal gets a good student; and a teacher
with a deliberate, known bias (a fixed runner-up class for every image) passes that bias on only
through its soft labels, never through hard labels or its argmax."""
from functools import lru_cache

import harness
import solution
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

from solution import distillation_loss, soft_targets, train_student, train_teacher

torch.set_num_threads(1)
T, ALPHA = 4.0, 0.9
SHADOW_SHIFT = 3  # the biased teacher's runner-up for an image it calls c is class (c + 3) % 10


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


def small_net(hidden):
    return nn.Sequential(nn.Linear(64, hidden), nn.ReLU(), nn.Linear(hidden, 10))


@lru_cache(maxsize=1)
def oracle_teacher():
    """A teacher trained by the tests themselves, so the student tests do not depend on train_teacher."""
    torch.manual_seed(1)
    X, y, _, _ = digits()
    teacher = small_net(64)
    optimizer = torch.optim.Adam(teacher.parameters(), lr=0.01)
    for _ in range(120):
        optimizer.zero_grad()
        F.cross_entropy(teacher(X), y).backward()
        optimizer.step()
    return teacher.eval()


def teacher_logits(X):
    teacher = oracle_teacher()  # trained outside no_grad on first use
    with torch.no_grad():
        return teacher(X)


def biased(logits):
    """The known bias: the runner-up class is always (top + 3) % 10, 4 logits below the top."""
    out = logits.clone()
    top = logits.argmax(1)
    out[torch.arange(len(out)), (top + SHADOW_SHIFT) % 10] = logits.max(1).values - 4.0
    return out


def batch():
    g = torch.Generator().manual_seed(3)
    return torch.randn(8, 10, generator=g) * 3, torch.randn(8, 10, generator=g) * 3, torch.randint(0, 10, (8,), generator=g)


def kl(p_logits, q_logits, temperature):
    """KL(softmax(p/T) ‖ softmax(q/T)), summed over classes, averaged over the batch."""
    return F.kl_div(F.log_softmax(q_logits / temperature, -1), F.softmax(p_logits / temperature, -1), reduction="batchmean")


def oracle_loss(s, t, y, temperature, alpha):
    return alpha * temperature ** 2 * kl(t, s, temperature) + (1 - alpha) * F.cross_entropy(s, y)


def trained_student(X, y, logits, seed):
    torch.manual_seed(seed)
    student = small_net(16)
    with harness.Spy(solution, "distillation_loss") as spy:
        result = harness.model(train_student(student, logits, X, y, T=T, alpha=ALPHA, epochs=200), "train_student")
    return result, spy


def test_soft_targets_are_probabilities():
    logits = batch()[0]
    p = harness.tensor(soft_targets(logits, 4.0), "soft_targets(logits, T)", shape=(8, 10))
    assert torch.allclose(p.sum(-1), torch.ones(8), atol=1e-5), "each row of soft_targets must sum to 1 (softmax over the last dimension)"
    if torch.equal(p, F.one_hot(logits.argmax(-1), 10).to(p.dtype)):
        raise AssertionError("soft_targets returned one-hot argmax labels: the point of distillation is the teacher's "
                             "full, softened distribution, softmax(logits / T)")
    if torch.allclose(p, F.softmax(logits, -1), atol=1e-6):
        raise AssertionError("soft_targets ignores T: divide the logits by T before the softmax")
    assert torch.allclose(p, F.softmax(logits / 4.0, -1), atol=1e-6), "soft_targets(logits, T) should equal softmax(logits / T)"


def test_higher_temperature_is_softer():
    logits = batch()[0]
    entropy = lambda p: -(p * p.clamp_min(1e-30).log()).sum(-1).mean().item()
    e1, e8 = entropy(soft_targets(logits, 1.0)), entropy(soft_targets(logits, 8.0))
    assert e8 > e1, f"entropy at T=8 ({e8:.3f}) should exceed entropy at T=1 ({e1:.3f}): divide the logits by T"


def test_distillation_loss_value():
    s, t, y = batch()
    got = harness.scalar(distillation_loss(s, t, y, T=4.0, alpha=0.7), "distillation_loss")
    want = float(oracle_loss(s, t, y, 4.0, 0.7))
    hard = float(F.cross_entropy(s, y))
    if abs(got - (0.7 * float(kl(t, s, 4.0)) + 0.3 * hard)) < 1e-4:
        raise AssertionError(f"loss {got:.4f} is missing the T² factor on the KL term (expected {want:.4f}); "
                             "without it the soft term's gradients shrink like 1/T².")
    if abs(got - (0.7 * 16 * float(kl(s, t, 4.0)) + 0.3 * hard)) < 1e-4:
        raise AssertionError("you computed the reverse KL, KL(student ‖ teacher): Hinton's loss is KL(teacher ‖ student), "
                             "the teacher's probabilities weighting the student's log-probabilities")
    if abs(got - (0.7 * 16 * float(kl(t, s, 4.0)) / 10 + 0.3 * hard)) < 1e-4:
        raise AssertionError("KL must be summed over classes and averaged over the batch (reduction='batchmean'), "
                             "not averaged over every element")
    if abs(got - (0.3 * 16 * float(kl(t, s, 4.0)) + 0.7 * hard)) < 1e-4:
        raise AssertionError("alpha weights the soft (KL) term and 1 − alpha the cross-entropy: you swapped them")
    assert abs(got - want) < 1e-4, f"distillation_loss gave {got:.5f}, expected {want:.5f}"


def test_alpha_zero_is_cross_entropy():
    s, t, y = batch()
    got = harness.scalar(distillation_loss(s, t, y, T=4.0, alpha=0.0), "distillation_loss")
    assert abs(got - float(F.cross_entropy(s, y))) < 1e-5, "with alpha=0 the loss must be plain cross-entropy on the labels"


def test_gradient_reaches_student_only_and_is_right():
    s, t, y = batch()
    s, t = s.clone().requires_grad_(), t.clone().requires_grad_()
    distillation_loss(s, t, y, T=2.0, alpha=0.5).backward()
    assert s.grad is not None and s.grad.abs().sum() > 0, "no gradient reached the student logits"
    assert t.grad is None or t.grad.abs().sum() == 0, "gradient flowed into the teacher logits: detach them"
    s_ref = s.detach().clone().requires_grad_()
    oracle_loss(s_ref, t.detach(), y, 2.0, 0.5).backward()
    assert torch.allclose(s.grad, s_ref.grad, atol=1e-5), "the gradient on the student logits differs from the formula's"


def test_teacher_learns():
    torch.manual_seed(2)
    X, y, Xt, yt = digits()
    teacher = harness.model(train_teacher(small_net(64), X, y, epochs=120), "train_teacher")
    acc = accuracy(teacher, Xt, yt)
    assert acc >= 0.93, f"teacher test accuracy {acc:.3f} is below 0.93: train longer or check the loss"


def test_student_trains_with_your_loss_and_leaves_the_teacher_alone():
    X, y, _, _ = digits()
    logits = teacher_logits(X)
    kept = logits.clone()
    _, spy = trained_student(X, y, logits, seed=4)
    assert spy.calls, ("train_student never called distillation_loss: train on the loss the other tests check "
                       "(the teacher's soft targets at T, weighted by alpha, plus the hard-label term)")
    args = [dict(zip(("student_logits", "teacher_logits", "labels", "T", "alpha"), a), **k) for a, k in spy.calls]
    passed_t = {float(a.get("T", 4.0)) for a in args}
    assert passed_t == {T}, f"train_student should pass its T={T} to distillation_loss, it passed T={sorted(passed_t)}"
    assert torch.equal(logits, kept), "train_student changed teacher_logits in place: the teacher's outputs must stay fixed"


def test_student_learns_from_the_teacher_when_labels_are_noisy():
    """73 % of the labels are wrong; the teacher is right. Only a student that listens to it does well."""
    X, y, Xt, yt = digits()
    g = torch.Generator().manual_seed(7)
    noisy = y.clone()
    flip = torch.rand(len(y), generator=g) < 0.8
    noisy[flip] = torch.randint(0, 10, (int(flip.sum()),), generator=g)
    student, _ = trained_student(X, noisy, teacher_logits(X), seed=4)
    acc = accuracy(student, Xt, yt)
    assert acc >= 0.85, (f"with 73 % of the labels wrong and a correct teacher, the student reached only {acc:.1%} "
                         "test accuracy (want ≥ 85 %): with alpha=0.9 and the T² factor the teacher's soft targets "
                         "should outweigh the noisy labels. Does training use the teacher at all?")


def test_student_inherits_the_teachers_known_bias():
    """The teacher's runner-up class is always (top + 3) % 10: dark knowledge no label or argmax carries."""
    X, y, Xt, _ = digits()
    student, _ = trained_student(X, y, biased(teacher_logits(X)), seed=4)
    with torch.no_grad():
        s, t = student(Xt), biased(teacher_logits(Xt))
    runner_up = (s.topk(2, 1).indices[:, 1] == t.topk(2, 1).indices[:, 1]).float().mean().item()
    gap = float(kl(t, s, T))
    assert runner_up >= 0.45 and gap <= 0.2, (
        f"the teacher always ranks class (c + 3) % 10 second; on held-out images the student ranks the teacher's "
        f"runner-up second only {runner_up:.0%} of the time (want ≥ 45 %), KL at T={T:g} {gap:.3f} (want ≤ 0.2). "
        "Hard labels and the teacher's argmax cannot carry this: match the full softened distribution.")

"""Hidden tests for exercise 1 (UCI digits, CPU, a few seconds).

The producers call the learner's functions and hand over what came back (tensors, trained weights);
the checks run in a process without the learner's code. Beyond the formulas, two behavioural
checks decide whether the student really learns from its teacher: with most labels wrong, only the
teacher's signal gets a good student; and a teacher with a deliberate, known bias (a fixed runner-up
class for every image) passes that bias on only through its soft labels, never through hard labels
or its argmax. The checks evaluate the student's weights on test images the training never saw."""
from functools import lru_cache

import harness
import torch
import torch.nn as nn
import torch.nn.functional as F
from sklearn.datasets import load_digits

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


def noisy_labels():
    """73 % of the training labels wrong (80 % redrawn at random)."""
    _, y, _, _ = digits()
    g = torch.Generator().manual_seed(7)
    noisy = y.clone()
    flip = torch.rand(len(y), generator=g) < 0.8
    noisy[flip] = torch.randint(0, 10, (int(flip.sum()),), generator=g)
    return noisy


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


def accuracy(logits, y):
    return (logits.argmax(1) == y).float().mean().item()


def weights(result):
    """What a training function hands over: the model (its type, in the checks) and its weights."""
    return {"model": result, "state": harness.state(result) if isinstance(result, nn.Module) else None}


def trained(produced, name, function, hidden):
    """The network `function` trained, rebuilt in the checks from the weights it handed over."""
    got = produced[name]
    harness.model(got["model"], function)
    return harness.load(small_net(hidden), got["state"], function).eval()


def prepare():
    """Run by the checks' process while the learner's code runs: the teacher the checks compare with."""
    oracle_teacher()


# ---- producers: run beside the learner's code -------------------------------------------------

def produce_soft_targets(solution):
    logits = batch()[0]
    return {temperature: solution.soft_targets(logits, temperature) for temperature in (1.0, 4.0, 8.0)}


def produce_loss(solution):
    s, t, y = batch()
    return solution.distillation_loss(s, t, y, T=4.0, alpha=0.7)


def produce_loss_alpha_zero(solution):
    s, t, y = batch()
    return solution.distillation_loss(s, t, y, T=4.0, alpha=0.0)


def produce_gradients(solution):
    s, t, y = batch()
    s, t = s.clone().requires_grad_(), t.clone().requires_grad_()
    solution.distillation_loss(s, t, y, T=2.0, alpha=0.5).backward()
    return {"student": s.grad, "teacher": t.grad}


def produce_teacher(solution):
    torch.manual_seed(2)
    X, y, _, _ = digits()
    return weights(solution.train_teacher(small_net(64), X, y, epochs=120))


def student_run(solution, y, logits):
    """train_student on `y` and `logits`: its weights, the temperatures it passed to distillation_loss
    and the teacher logits as they were afterwards."""
    torch.manual_seed(4)
    X = digits()[0]
    with harness.Spy(solution, "distillation_loss") as spy:
        result = solution.train_student(small_net(16), logits, X, y, T=T, alpha=ALPHA, epochs=200)
    args = [dict(zip(("student_logits", "teacher_logits", "labels", "T", "alpha"), a), **k) for a, k in spy.calls]
    return {**weights(result), "temperatures": sorted({float(a.get("T", 4.0)) for a in args}), "teacher_after": logits}


def produce_student(solution):
    return student_run(solution, digits()[1], teacher_logits(digits()[0]))


def produce_student_noisy_labels(solution):
    return student_run(solution, noisy_labels(), teacher_logits(digits()[0]))


def produce_student_biased_teacher(solution):
    return student_run(solution, digits()[1], biased(teacher_logits(digits()[0])))


# ---- checks: run in a process without the learner's code ------------------------------------

def test_soft_targets_are_probabilities(produced):
    logits = batch()[0]
    p = harness.tensor(produced["soft_targets"]["4.0"], "soft_targets", shape=(8, 10))
    harness.check(torch.allclose(p.sum(-1), torch.ones(8), atol=1e-5), "rows_not_normalised", function="soft_targets")
    harness.check(not torch.equal(p, F.one_hot(logits.argmax(-1), 10).to(p.dtype)), "soft_targets_one_hot")
    harness.check(not torch.allclose(p, F.softmax(logits, -1), atol=1e-6), "soft_targets_ignore_t")
    harness.check(torch.allclose(p, F.softmax(logits / 4.0, -1), atol=1e-6), "soft_targets_value")


def test_higher_temperature_is_softer(produced):
    got = produced["soft_targets"]
    p1, p8 = (harness.tensor(got[t], "soft_targets", shape=(8, 10)) for t in ("1.0", "8.0"))
    entropy = lambda p: -(p * p.clamp_min(1e-30).log()).sum(-1).mean().item()
    e1, e8 = entropy(p1), entropy(p8)
    harness.check(e8 > e1, "entropy_not_higher", e1=e1, e8=e8)


def test_distillation_loss_value(produced):
    s, t, y = batch()
    got = harness.scalar(produced["loss"], "distillation_loss")
    want = float(oracle_loss(s, t, y, 4.0, 0.7))
    hard = float(F.cross_entropy(s, y))
    harness.check(abs(got - (0.7 * float(kl(t, s, 4.0)) + 0.3 * hard)) >= 1e-4, "missing_t_squared", got=got, want=want)
    harness.check(abs(got - (0.7 * 16 * float(kl(s, t, 4.0)) + 0.3 * hard)) >= 1e-4, "reverse_kl")
    harness.check(abs(got - (0.7 * 16 * float(kl(t, s, 4.0)) / 10 + 0.3 * hard)) >= 1e-4, "kl_not_batchmean")
    harness.check(abs(got - (0.3 * 16 * float(kl(t, s, 4.0)) + 0.7 * hard)) >= 1e-4, "alpha_swapped")
    harness.check(abs(got - want) < 1e-4, "loss_value", function="distillation_loss", got=got, want=want)


def test_alpha_zero_is_cross_entropy(produced):
    s, _, y = batch()
    got = harness.scalar(produced["loss_alpha_zero"], "distillation_loss")
    want = float(F.cross_entropy(s, y))
    harness.check(abs(got - want) < 1e-5, "alpha_zero_not_cross_entropy", got=got, want=want)


def test_gradient_reaches_student_only_and_is_right(produced):
    got = produced["gradients"]
    s_grad, t_grad = got["student"], got["teacher"]
    harness.check(s_grad is not None and s_grad.abs().sum() > 0, "no_gradient_to_student_logits")
    harness.check(t_grad is None or t_grad.abs().sum() == 0, "gradient_into_teacher_logits")
    s, t, y = batch()
    s = s.clone().requires_grad_()
    oracle_loss(s, t, y, 2.0, 0.5).backward()
    harness.check(s_grad.shape == s.shape and torch.allclose(s_grad, s.grad, atol=1e-5), "student_gradient_wrong")


def test_teacher_learns(produced):
    _, _, Xt, yt = digits()
    teacher = trained(produced, "teacher", "train_teacher", 64)
    with torch.no_grad():
        acc = accuracy(teacher(Xt), yt)
    harness.check(acc >= 0.93, "teacher_accuracy_low", acc=acc, want=0.93)


def test_student_trains_with_your_loss_and_leaves_the_teacher_alone(produced):
    got = produced["student"]
    harness.check(got["temperatures"], "loss_never_called", function="train_student", loss="distillation_loss")
    harness.check(got["temperatures"] == [T], "wrong_temperature", function="train_student", loss="distillation_loss",
                  want=T, got=got["temperatures"])
    harness.check(torch.equal(got["teacher_after"], teacher_logits(digits()[0])), "teacher_logits_modified",
                  function="train_student")


def test_student_learns_from_the_teacher_when_labels_are_noisy(produced):
    """73 % of the labels are wrong; the teacher is right. Only a student that listens to it does well."""
    _, _, Xt, yt = digits()
    student = trained(produced, "student_noisy_labels", "train_student", 16)
    with torch.no_grad():
        acc = accuracy(student(Xt), yt)
    harness.check(acc >= 0.85, "noisy_labels_accuracy", acc=acc, want=0.85)


def test_student_inherits_the_teachers_known_bias(produced):
    """The teacher's runner-up class is always (top + 3) % 10: dark knowledge no label or argmax carries."""
    _, _, Xt, _ = digits()
    student = trained(produced, "student_biased_teacher", "train_student", 16)
    with torch.no_grad():
        s, t = student(Xt), biased(teacher_logits(Xt))
    runner_up = (s.topk(2, 1).indices[:, 1] == t.topk(2, 1).indices[:, 1]).float().mean().item()
    gap = float(kl(t, s, T))
    harness.check(runner_up >= 0.45 and gap <= 0.2, "bias_not_inherited", runner_up=runner_up, gap=gap, T=T)

"""Hidden tests for exercise 3: a character-level teacher LM distilled into a small student.

The teacher carries a deliberate, known bias that the text does not: its output layer is scaled
down (it is unsure, spreading mass over several next characters) and it over-predicts vowels. A
student that learns the text's next characters instead of the teacher ends up far from it, so only
real distillation passes. The teacher object handed to the solution is checked for being unchanged."""
import copy
from functools import lru_cache

import harness
import solution
import torch
import torch.nn as nn
import torch.nn.functional as F

from solution import distill_language_model, token_kd_loss

torch.set_num_threads(1)
CONTEXT = 3
TEXT = ("knowledge distillation trains a small student network to imitate a large teacher. the teacher's "
        "softened probabilities carry dark knowledge about which answers are similar, and the student learns "
        "more from them than from hard labels alone. a higher temperature spreads the probability mass, and "
        "the loss is scaled by the square of the temperature so that its gradients keep their size. "
        "transfer learning carries features learned in one domain to another, and fine-tuning adapts them. ") * 3
VOCAB = sorted(set(TEXT))
VOWELS = [VOCAB.index(c) for c in "aeiou"]


class CharLM(nn.Module):
    """Next character from the previous CONTEXT characters: embed, concatenate, MLP."""

    def __init__(self, hidden: int, embed: int = 16):
        super().__init__()
        self.embed = nn.Embedding(len(VOCAB), embed)
        self.mlp = nn.Sequential(nn.Linear(CONTEXT * embed, hidden), nn.Tanh(), nn.Linear(hidden, len(VOCAB)))

    def forward(self, contexts):  # (N, CONTEXT) long -> (N, V)
        return self.mlp(self.embed(contexts).flatten(1))


@lru_cache(maxsize=1)
def data():
    ids = torch.tensor([VOCAB.index(c) for c in TEXT])
    contexts = ids.unfold(0, CONTEXT, 1)[:-1]  # (N, CONTEXT)
    targets = ids[CONTEXT:]
    split = int(0.8 * len(targets))
    return contexts[:split], targets[:split], contexts[split:]


@lru_cache(maxsize=1)
def teacher_state():
    torch.manual_seed(0)
    contexts, targets, _ = data()
    teacher = CharLM(hidden=128)
    optimizer = torch.optim.Adam(teacher.parameters(), lr=0.01)
    for _ in range(120):
        optimizer.zero_grad()
        F.cross_entropy(teacher(contexts), targets).backward()
        optimizer.step()
    with torch.no_grad():  # the known bias: an unsure teacher that favours vowels
        teacher.mlp[-1].weight.mul_(0.3)
        teacher.mlp[-1].bias.mul_(0.3)
        teacher.mlp[-1].bias[VOWELS] += 1.0
    return teacher.state_dict()


def teacher():
    model = CharLM(hidden=128)
    model.load_state_dict(teacher_state())
    return model.eval()


def kl_to_teacher(student, contexts) -> float:
    with torch.no_grad():
        t = F.log_softmax(teacher()(contexts), -1)
        s = F.log_softmax(student(contexts), -1)
        return (t.exp() * (t - s)).sum(-1).mean().item()


def logits():
    g = torch.Generator().manual_seed(5)
    return torch.randn(2, 4, 7, generator=g) * 2, torch.randn(2, 4, 7, generator=g) * 2


def oracle(s, t, T, mask):
    per_position = F.kl_div(F.log_softmax(s / T, -1), F.softmax(t / T, -1), reduction="none").sum(-1)
    return T * T * per_position[mask].mean()


@lru_cache(maxsize=1)
def distilled():
    """Run the learner's distillation once: (student, before, after, teacher calls, loss calls, teacher changes)."""
    contexts, _, held_out = data()
    torch.manual_seed(1)
    student = CharLM(hidden=24)
    given = teacher()
    frozen = copy.deepcopy(given.state_dict())
    calls = []
    given.register_forward_hook(lambda module, inputs, output: calls.append(1))
    before = kl_to_teacher(student, held_out)
    with harness.Spy(solution, "token_kd_loss") as spy:
        result = harness.model(distill_language_model(given, student, contexts, T=2.0, steps=300), "distill_language_model")
    changed = [k for k, v in given.state_dict().items() if not torch.equal(v, frozen[k])]
    grads = [name for name, p in given.named_parameters() if p.grad is not None and p.grad.abs().sum() > 0]
    return result, before, kl_to_teacher(result, held_out), len(calls), spy.calls, changed, grads


def test_loss_value():
    s, t = logits()
    mask = torch.ones(2, 4, dtype=torch.bool)
    got = harness.scalar(token_kd_loss(s, t, T=2.0), "token_kd_loss")
    want = float(oracle(s, t, 2.0, mask))
    harness.check(abs(got - want / 4) >= 1e-4, "missing_t_squared", got=got, want=want)
    harness.check(abs(got - want / 7) >= 1e-4, "kl_averaged_over_vocabulary")
    harness.check(abs(got - float(oracle(t, s, 2.0, mask))) >= 1e-4, "reverse_kl")
    harness.check(abs(got - want) < 1e-4, "loss_value", function="token_kd_loss", got=got, want=want)


def test_mask_ignores_padding():
    s, t = logits()
    mask = torch.tensor([[True, True, True, False], [True, True, False, False]])
    want = float(oracle(s, t, 2.0, mask))
    got = harness.scalar(token_kd_loss(s, t, T=2.0, mask=mask), "token_kd_loss")
    harness.check(abs(got - want) < 1e-4, "padding_counted", want=want, got=got, real=int(mask.sum()))
    s2 = s.clone()
    s2[~mask] = 100.0  # garbage at padded positions must not matter
    harness.check(abs(float(token_kd_loss(s2, t, T=2.0, mask=mask)) - want) < 1e-4, "padding_changes_loss")


def test_no_gradient_into_the_teacher_logits():
    s, t = logits()
    s, t = s.clone().requires_grad_(), t.clone().requires_grad_()
    token_kd_loss(s, t, T=2.0).backward()
    harness.check(s.grad is not None and s.grad.abs().sum() > 0, "no_gradient_to_student_logits")
    harness.check(t.grad is None or t.grad.abs().sum() == 0, "gradient_into_teacher_logits")


def test_distillation_uses_the_teacher_and_your_loss():
    _, _, _, teacher_calls, loss_calls, _, _ = distilled()
    harness.check(teacher_calls, "teacher_never_run", function="distill_language_model")
    harness.check(loss_calls, "loss_never_called", function="distill_language_model", loss="token_kd_loss")
    temperatures = sorted({float(dict(zip(("student_logits", "teacher_logits", "T", "mask"), a), **k).get("T", 2.0))
                           for a, k in loss_calls})
    harness.check(temperatures == [2.0], "wrong_temperature", function="distill_language_model", loss="token_kd_loss",
                  want=2.0, got=temperatures)


def test_teacher_is_untouched():
    *_, changed, grads = distilled()
    harness.check(not changed, "teacher_weights_changed", names=", ".join(changed))
    harness.check(not grads, "teacher_got_gradients", names=", ".join(grads))


def test_distillation_moves_student_to_the_biased_teacher():
    _, before, after, *_ = distilled()
    harness.check(after < 0.5 * before and after < 0.3, "student_not_close_to_teacher", before=before, after=after,
                  want=0.3)

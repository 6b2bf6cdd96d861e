"""Hidden tests for exercise 3: a character-level teacher LM distilled into a small student.

The teacher carries a deliberate, known bias that the text does not: its output layer is scaled
down (it is unsure, spreading mass over several next characters) and it over-predicts vowels. A
student that learns the text's next characters instead of the teacher ends up far from it, so only
real distillation passes. The teacher object handed to the solution is checked for being unchanged.

The producers call the learner's functions and hand over losses, gradients, the student's weights
and the teacher's weights as they were afterwards; the checks run in a process without the
learner's code and measure the student against the teacher themselves."""
from functools import lru_cache

import harness
import torch
import torch.nn as nn
import torch.nn.functional as F

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


def fresh_student():
    torch.manual_seed(1)
    return CharLM(hidden=24)


def prepare():
    """Run by the checks' process while the learner's code runs: the teacher the checks compare with."""
    teacher_state()


# ---- producers: run beside the learner's code -------------------------------------------------

def produce_loss(solution):
    s, t = logits()
    return solution.token_kd_loss(s, t, T=2.0)


def produce_masked_loss(solution):
    s, t = logits()
    mask = torch.tensor([[True, True, True, False], [True, True, False, False]])
    garbage = s.clone()
    garbage[~mask] = 100.0  # garbage at padded positions must not matter
    return {"loss": solution.token_kd_loss(s, t, T=2.0, mask=mask),
            "garbage": solution.token_kd_loss(garbage, t, T=2.0, mask=mask)}


def produce_gradients(solution):
    s, t = logits()
    s, t = s.clone().requires_grad_(), t.clone().requires_grad_()
    solution.token_kd_loss(s, t, T=2.0).backward()
    return {"student": s.grad, "teacher": t.grad}


def produce_distilled(solution):
    """The learner's distillation, once: the student's weights, how often the teacher ran, the
    temperatures passed to token_kd_loss, and the teacher's weights and gradients afterwards."""
    contexts, _, _ = data()
    student, given, calls = fresh_student(), teacher(), []
    given.register_forward_hook(lambda module, inputs, output: calls.append(1))
    with harness.Spy(solution, "token_kd_loss") as spy:
        result = harness.model(solution.distill_language_model(given, student, contexts, T=2.0, steps=300),
                               "distill_language_model")
    temperatures = sorted({float(dict(zip(("student_logits", "teacher_logits", "T", "mask"), a), **k).get("T", 2.0))
                           for a, k in spy.calls})
    return {"student": harness.state(result), "teacher_calls": len(calls),
            "temperatures": temperatures, "teacher_after": harness.state(given),
            "teacher_grads": {name: p.grad for name, p in given.named_parameters() if p.grad is not None}}


# ---- checks: run in a process without the learner's code ------------------------------------

def test_loss_value(produced):
    s, t = logits()
    mask = torch.ones(2, 4, dtype=torch.bool)
    got = harness.scalar(produced["loss"], "token_kd_loss")
    want = float(oracle(s, t, 2.0, mask))
    harness.check(abs(got - want / 4) >= 1e-4, "missing_t_squared", got=got, want=want)
    harness.check(abs(got - want / 7) >= 1e-4, "kl_averaged_over_vocabulary")
    harness.check(abs(got - float(oracle(t, s, 2.0, mask))) >= 1e-4, "reverse_kl")
    harness.check(abs(got - want) < 1e-4, "loss_value", function="token_kd_loss", got=got, want=want)


def test_mask_ignores_padding(produced):
    s, t = logits()
    mask = torch.tensor([[True, True, True, False], [True, True, False, False]])
    want = float(oracle(s, t, 2.0, mask))
    got = harness.scalar(produced["masked_loss"]["loss"], "token_kd_loss")
    harness.check(abs(got - want) < 1e-4, "padding_counted", want=want, got=got, real=int(mask.sum()))
    garbage = harness.scalar(produced["masked_loss"]["garbage"], "token_kd_loss")
    harness.check(abs(garbage - want) < 1e-4, "padding_changes_loss")


def test_no_gradient_into_the_teacher_logits(produced):
    got = produced["gradients"]
    harness.check(got["student"] is not None and got["student"].abs().sum() > 0, "no_gradient_to_student_logits")
    harness.check(got["teacher"] is None or got["teacher"].abs().sum() == 0, "gradient_into_teacher_logits")


def test_distillation_uses_the_teacher_and_your_loss(produced):
    got = produced["distilled"]
    harness.check(got["teacher_calls"], "teacher_never_run", function="distill_language_model")
    harness.check(got["temperatures"], "loss_never_called", function="distill_language_model", loss="token_kd_loss")
    harness.check(got["temperatures"] == [2.0], "wrong_temperature", function="distill_language_model",
                  loss="token_kd_loss", want=2.0, got=got["temperatures"])


def test_teacher_is_untouched(produced):
    got, frozen = produced["distilled"], teacher_state()
    changed = [k for k, v in frozen.items() if not (k in got["teacher_after"] and torch.equal(got["teacher_after"][k], v))]
    harness.check(not changed, "teacher_weights_changed", names=", ".join(changed))
    grads = [name for name, g in got["teacher_grads"].items() if g is not None and g.abs().sum() > 0]
    harness.check(not grads, "teacher_got_gradients", names=", ".join(grads))


def test_distillation_moves_student_to_the_biased_teacher(produced):
    _, _, held_out = data()
    student = harness.load(CharLM(hidden=24), produced["distilled"]["student"], "distill_language_model")
    before, after = kl_to_teacher(fresh_student(), held_out), kl_to_teacher(student, held_out)
    harness.check(after < 0.5 * before and after < 0.3, "student_not_close_to_teacher", before=before, after=after,
                  want=0.3)

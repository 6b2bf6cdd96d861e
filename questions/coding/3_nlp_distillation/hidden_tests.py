"""Hidden tests for exercise 3: a character-level teacher LM distilled into a small student."""
import copy
from functools import lru_cache

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


def test_loss_value():
    s, t = logits()
    mask = torch.ones(2, 4, dtype=torch.bool)
    got, want = float(token_kd_loss(s, t, T=2.0)), float(oracle(s, t, 2.0, mask))
    if abs(got - want / 4) < 1e-4:
        raise AssertionError(f"loss {got:.4f} is missing the T² factor (expected {want:.4f})")
    if abs(got - want / 7) < 1e-4:
        raise AssertionError("sum the KL over the vocabulary; do not average over it (reduction='none' then .sum(-1))")
    assert abs(got - want) < 1e-4, f"token_kd_loss gave {got:.5f}, expected {want:.5f}"


def test_mask_ignores_padding():
    s, t = logits()
    mask = torch.tensor([[True, True, True, False], [True, True, False, False]])
    want = float(oracle(s, t, 2.0, mask))
    got = float(token_kd_loss(s, t, T=2.0, mask=mask))
    assert abs(got - want) < 1e-4, (f"with padding masked the loss should be {want:.5f} (mean over the 5 real "
                                    f"positions), got {got:.5f}")
    s2 = s.clone()
    s2[~mask] = 100.0  # garbage at padded positions must not matter
    assert abs(float(token_kd_loss(s2, t, T=2.0, mask=mask)) - want) < 1e-4, "padded positions changed the loss"


def test_distillation_moves_student_to_teacher():
    contexts, _, held_out = data()
    torch.manual_seed(1)
    student = CharLM(hidden=24)
    frozen = copy.deepcopy(teacher_state())
    before = kl_to_teacher(student, held_out)
    student = distill_language_model(teacher(), student, contexts, T=2.0, steps=300)
    after = kl_to_teacher(student, held_out)
    assert after < 0.5 * before, (f"held-out KL(teacher ‖ student) went from {before:.3f} to {after:.3f} nats; "
                                  "it should fall below half. Does the student's optimiser step on your loss?")
    assert after < 0.6, f"held-out KL to the teacher is still {after:.3f} nats per character (want < 0.6)"
    assert all(torch.equal(v, frozen[k]) for k, v in teacher_state().items()), "the teacher's weights changed"

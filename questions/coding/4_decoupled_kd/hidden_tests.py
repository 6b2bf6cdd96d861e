"""Hidden tests for exercise 4: DKD's two terms against a per-sample loop written from the
definitions, the identity KD = TCKD + (1 − p_target) · NCKD, and the behaviour of each term.
The producers hand over the learner's terms, losses and gradients; the checks run in a process
without the learner's code."""
import math

import harness
import torch
import torch.nn.functional as F

torch.set_num_threads(1)


def batch(scale=3.0):
    g = torch.Generator().manual_seed(11)
    return (torch.randn(6, 5, generator=g, dtype=torch.float64) * scale,
            torch.randn(6, 5, generator=g, dtype=torch.float64) * scale, torch.randint(0, 5, (6,), generator=g))


def kl(p, q):
    return sum(pi * (math.log(pi) - math.log(qi)) for pi, qi in zip(p, q) if pi > 0)


def softmax(z):
    m = max(z)
    e = [math.exp(v - m) for v in z]
    return [v / sum(e) for v in e]


def oracle_terms(s, t, y, T):
    """Per-sample loop over plain Python floats, straight from the definitions."""
    tckd = nckd = 0.0
    for si, ti, yi in zip(s.tolist(), t.tolist(), y.tolist()):
        ps, pt = softmax([v / T for v in si]), softmax([v / T for v in ti])
        tckd += kl([pt[yi], 1 - pt[yi]], [ps[yi], 1 - ps[yi]])
        others = [j for j in range(len(si)) if j != yi]
        nckd += kl(softmax([ti[j] / T for j in others]), softmax([si[j] / T for j in others]))
    return tckd / len(y), nckd / len(y)


def shifted_inputs(t, y):
    """Two students: one differing from the teacher only in the target logit (so NCKD is 0), one only
    in how the non-target mass is spread (so TCKD at T = 4 is 0)."""
    rows = torch.arange(len(y))
    shifted = t.clone()
    shifted[rows, y] += 2.5  # only the target logit moves: the non-target distribution is unchanged
    others = t.clone()
    target_logit = others[rows, y].clone()
    others += torch.linspace(-1, 1, 5, dtype=torch.float64)  # reshuffle non-target mass ...
    lse = lambda z: 4.0 * torch.logsumexp(z.masked_fill(F.one_hot(y, 5).bool(), float("-inf")) / 4.0, -1)
    others[rows, y] = target_logit + (lse(others) - lse(t))  # ... keeping p_target at T = 4 the same
    return shifted, others


# ---- producers: run beside the learner's code -------------------------------------------------

def produce_terms(solution):
    s, t, y = batch()
    return solution.dkd_terms(s, t, y, 2.0)


def produce_per_sample_terms(solution):
    s, t, y = batch()
    return [solution.dkd_terms(s[i:i + 1], t[i:i + 1], y[i:i + 1], 4.0) for i in range(len(y))]


def produce_one_part_differs(solution):
    _, t, y = batch()
    shifted, others = shifted_inputs(t, y)
    return {"target_only": solution.dkd_terms(shifted, t, y, 4.0), "non_target_only": solution.dkd_terms(others, t, y, 4.0)}


def produce_loss(solution):
    s, t, y = batch()
    return solution.dkd_loss(s, t, y, alpha=0.5, beta=3.0, T=4.0)


def produce_gradients(solution):
    s, t, y = batch()
    s, t = s.clone().requires_grad_(), t.clone().requires_grad_()
    solution.dkd_loss(s, t, y).backward()
    return {"student": s.grad, "teacher": t.grad}


def produce_large_logits(solution):
    s, t, y = batch(scale=1000.0)
    s = s.float().requires_grad_()
    loss = solution.dkd_loss(s, t.float(), y)
    if isinstance(loss, torch.Tensor) and loss.requires_grad:
        loss.backward()
    return {"loss": loss, "gradient": s.grad}


# ---- checks: run in a process without the learner's code ------------------------------------

def terms(pair):
    tckd, nckd = pair
    return harness.scalar(tckd, "dkd_terms (TCKD)"), harness.scalar(nckd, "dkd_terms (NCKD)")


def test_terms_match_the_definitions(produced):
    s, t, y = batch()
    (tckd, nckd), (want_t, want_n) = terms(produced["terms"]), oracle_terms(s, t, y, 2.0)
    full = F.kl_div(F.log_softmax(s / 2, -1), F.softmax(t / 2, -1), reduction="none").sum(-1)
    harness.check(abs(nckd - float(full.mean())) >= 1e-6, "nckd_over_all_classes")
    harness.check(abs(tckd - want_t) < 1e-6, "tckd_value", got=tckd, want=want_t)
    harness.check(abs(nckd - want_n) < 1e-6, "nckd_value", got=nckd, want=want_n)


def test_classic_kd_decomposes_into_the_two_terms(produced):
    s, t, y = batch()
    for i, pair in enumerate(produced["per_sample_terms"]):
        tckd, nckd = terms(pair)
        kd = float(F.kl_div(F.log_softmax(s[i] / 4, -1), F.softmax(t[i] / 4, -1), reduction="sum"))
        p_target = float(F.softmax(t[i] / 4, -1)[y[i]])
        harness.check(abs(kd - (tckd + (1 - p_target) * nckd)) < 1e-6, "decomposition_broken", sample=i, kd=kd,
                      got=tckd + (1 - p_target) * nckd)


def test_each_term_vanishes_when_only_the_other_part_differs(produced):
    got = produced["one_part_differs"]
    harness.check(abs(terms(got["target_only"])[1]) < 1e-6, "nckd_not_zero")
    harness.check(abs(terms(got["non_target_only"])[0]) < 1e-6, "tckd_not_zero")


def test_weights_and_temperature_squared(produced):
    s, t, y = batch()
    want_t, want_n = oracle_terms(s, t, y, 4.0)
    got = harness.scalar(produced["loss"], "dkd_loss")
    want = 16 * (0.5 * want_t + 3.0 * want_n)
    harness.check(abs(got - want / 16) >= 1e-6, "missing_t_squared", got=got, want=want)
    harness.check(abs(got - 16 * (3.0 * want_t + 0.5 * want_n)) >= 1e-6, "alpha_beta_swapped")
    harness.check(abs(got - want) < 1e-5, "loss_value", function="dkd_loss", got=got, want=want)


def test_gradient_reaches_the_student_only(produced):
    got = produced["gradients"]
    harness.check(got["student"] is not None and got["student"].abs().sum() > 0, "no_gradient_to_student_logits")
    harness.check(got["teacher"] is None or got["teacher"].abs().sum() == 0, "gradient_into_teacher_logits")


def test_large_logits_stay_finite(produced):
    got = produced["large_logits"]
    harness.scalar(got["loss"], "dkd_loss")
    harness.check(got["gradient"] is not None and torch.isfinite(got["gradient"]).all(), "large_logits_gradient")

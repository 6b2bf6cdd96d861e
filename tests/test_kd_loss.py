"""Oracle tests for Hinton et al.'s KD loss: hand-computed values, the definition, the T² gradient scaling."""
import math

import pytest
import torch

from kdcore import methods
from kdcore.errors import ConfigError
from kdcore.methods.kd import softened_kl


def softmax(values, T):
    exps = [math.exp(v / T) for v in values]
    return [e / sum(exps) for e in exps]


def test_softened_kl_matches_hand_computed_value():
    student, teacher, T = [1.0, 2.0, 0.0], [2.0, 1.0, 0.0], 2.0
    p, q = softmax(teacher, T), softmax(student, T)
    expected = sum(pi * math.log(pi / qi) for pi, qi in zip(p, q))
    # by hand: p = (.5065, .3072, .1863), q = (.3072, .5065, .1863); log(p1/q1) = −log(p2/q2) = 0.5
    assert expected == pytest.approx((0.50648 - 0.30720) * 0.5, abs=1e-4)
    got = softened_kl(torch.tensor([student]), torch.tensor([teacher]), T)
    assert got.item() == pytest.approx(expected, rel=1e-5)


def test_kd_terms_match_definition_on_a_batch():
    torch.manual_seed(0)
    zs, zt = torch.randn(5, 10), torch.randn(5, 10) * 3
    y = torch.randint(0, 10, (5,))
    labelled = torch.tensor([True, False, True, True, False])
    T, alpha = 4.0, 0.7
    terms = methods.get("kd", temperature=T, alpha=alpha)({"logits": zs}, {"logits": zt}, y, labelled)
    p_t = torch.softmax(zt / T, 1)
    kl = (p_t * (p_t.log() - torch.log_softmax(zs / T, 1))).sum(1).mean()
    ce = -torch.log_softmax(zs, 1)[labelled].gather(1, y[labelled, None]).mean()
    assert terms["kd"].item() == pytest.approx(alpha * T * T * kl.item(), rel=1e-5)
    assert terms["hard"].item() == pytest.approx((1 - alpha) * ce.item(), rel=1e-5)


def test_kd_gradient_is_alpha_T_times_probability_difference():
    """d/dz_s of α T² KL(p_T^t ‖ p_T^s) = α T (p_T^s − p_T^t) / B: the T² factor cancels the 1/T² shrinkage."""
    torch.manual_seed(1)
    zs, zt = torch.randn(4, 10, requires_grad=True), torch.randn(4, 10)
    for T in (1.0, 4.0, 16.0):
        zs.grad = None
        kd = methods.get("kd", temperature=T, alpha=0.5)
        kd({"logits": zs}, {"logits": zt}, torch.zeros(4, dtype=torch.long), torch.zeros(4, dtype=torch.bool))["kd"].backward()
        expected = 0.5 * T * (torch.softmax(zs.detach() / T, 1) - torch.softmax(zt / T, 1)) / 4
        assert torch.allclose(zs.grad, expected, atol=1e-6)


def test_T_squared_keeps_gradient_size_comparable_across_temperatures():
    torch.manual_seed(2)
    zt = torch.randn(64, 10) * 2
    zs = torch.randn(64, 10, requires_grad=True)
    norms = {}
    for T in (2.0, 8.0):
        zs.grad = None
        softened_kl(zs, zt, T).mul(T * T).backward()
        norms[T] = zs.grad.norm().item()
    # without T² the T=8 gradient would be ~16× smaller than at T=2; with it they stay within 4×
    assert 0.25 < norms[8.0] / norms[2.0] < 4


def test_alpha_extremes_and_zero_loss_when_student_equals_teacher():
    z = torch.randn(3, 10)
    y = z.argmax(1)
    all_labelled = torch.ones(3, dtype=torch.bool)
    soft_only = methods.get("kd", temperature=3.0, alpha=1.0)({"logits": z}, {"logits": z}, y, all_labelled)
    assert soft_only["kd"].item() == pytest.approx(0.0, abs=1e-6) and soft_only["hard"].item() == 0.0
    hard_only = methods.get("kd", temperature=3.0, alpha=0.0)({"logits": z}, {"logits": -z}, y, all_labelled)
    assert hard_only["kd"].item() == 0.0 and hard_only["hard"].item() > 0


def test_hard_term_ignores_unlabelled_rows():
    z = torch.randn(4, 10, requires_grad=True)
    terms = methods.get("hard")({"logits": z}, None, torch.zeros(4, dtype=torch.long), torch.zeros(4, dtype=torch.bool))
    terms["hard"].backward()
    assert terms["hard"].item() == 0.0 and torch.count_nonzero(z.grad) == 0


@pytest.mark.parametrize("hyper", [{"temperature": 0}, {"temperature": -1}, {"alpha": 1.5}, {"alpha": -0.1}])
def test_bad_hyper_parameters_raise_clear_errors(hyper):
    with pytest.raises(ConfigError, match="must be in"):
        methods.get("kd", **hyper)


def test_unknown_method_lists_valid_names():
    with pytest.raises(ConfigError, match="choose one of hard, kd"):
        methods.get("no-such-method")

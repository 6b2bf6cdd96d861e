"""kdcore.soft against closed forms: softened distributions, entropy, the dark-knowledge matrix."""
import math

import pytest
import torch

from kdcore import soft
from kdcore.errors import ConfigError

torch.set_num_threads(1)
LOGITS = torch.tensor([[4.0, 1.0, 0.0, -2.0], [0.5, 0.4, 3.0, 0.0]])  # (2, 4), distinct entries


def test_temperature_one_is_the_softmax_and_closed_form_at_any_t():
    assert torch.allclose(soft.soften(LOGITS, 1.0), torch.softmax(LOGITS, 1))
    z = LOGITS[0]
    expected = torch.exp(z / 3) / torch.exp(z / 3).sum()
    assert torch.allclose(soft.soften(LOGITS, 3.0)[0], expected)


def test_limits_uniform_at_high_t_and_one_hot_at_low_t():
    uniform = soft.soften(LOGITS, 100.0)
    assert torch.allclose(uniform, torch.full_like(uniform, 0.25), atol=0.02)
    one_hot = soft.soften(LOGITS, 0.05)
    assert torch.equal(one_hot.round(), torch.nn.functional.one_hot(LOGITS.argmax(1), 4).float())


def test_entropy_closed_forms_in_bits():
    assert soft.entropy(torch.full((8,), 1 / 8)).item() == pytest.approx(3.0)
    assert soft.entropy(torch.tensor([0.0, 1.0, 0.0])).item() == pytest.approx(0.0, abs=1e-6)
    p = 0.2
    assert soft.entropy(torch.tensor([p, 1 - p])).item() == pytest.approx(-p * math.log2(p) - (1 - p) * math.log2(1 - p))


def test_entropy_curve_rises_with_t_towards_log2_c():
    curve = soft.entropy_curve(LOGITS, soft.log_temperatures(0.5, 50.0, 20))
    assert all(b > a for a, b in zip(curve, curve[1:]))
    assert curve[-1] == pytest.approx(2.0, abs=0.01)


def test_similarity_matrix_rows_sum_to_one_and_average_per_class():
    logits = torch.randn(50, 5, generator=torch.Generator().manual_seed(0))
    labels = torch.arange(50) % 5
    matrix = soft.similarity_matrix(logits, labels, 2.0)
    assert matrix.shape == (5, 5)
    assert torch.allclose(matrix.sum(1), torch.ones(5))
    assert torch.allclose(matrix[3], soft.soften(logits[labels == 3], 2.0).mean(0))


def test_top_lookalikes_finds_the_planted_pair_and_spells_it():
    matrix = torch.eye(3) * 0.8 + 0.05
    matrix[1, 2], matrix[1, 1] = 0.3, 0.6  # an average "1" is 30 % a "2"
    best = soft.top_lookalikes(matrix, ("0", "1", "2"), k=2)[0]
    assert (best["true"], best["looks_like"]) == ("1", "2") and best["share"] == pytest.approx(0.3)


def test_most_confusing_puts_the_near_tie_first():
    logits = torch.tensor([[5.0, 0.0], [1.0, 0.9], [3.0, 0.0]])
    assert soft.most_confusing(logits, 2).tolist() == [1, 2]


def test_explain_gives_everything_the_page_redraws():
    labels = torch.tensor([0, 1])
    view = soft.explain(LOGITS, labels, torch.tensor([1]), 4.0)
    assert view["probs"].shape == (1, 4) and view["entropy"].shape == (1,) and view["matrix"].shape == (4, 4)
    assert view["lookalikes"][0]["share"] == view["matrix"].fill_diagonal_(-1).max().item()


@pytest.mark.parametrize("bad", [0.0, -1.0, 1e6])
def test_out_of_range_temperature_is_a_config_error(bad):
    with pytest.raises(ConfigError):
        soft.soften(LOGITS, bad)


def test_entropy_axis_ticks_are_plain_numbers_covering_the_range():
    from kdcore.plots.soft import log_ticks

    ticks = log_ticks(soft.log_temperatures(0.5, 20.0, 60))
    assert ticks["ticktext"] == ["0.5", "1", "2", "5", "10", "20"]  # both ends shown, no "5 1 2 5 10 2"
    assert log_ticks([0.01, 1.0])["tickvals"] == pytest.approx([0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0])

"""DANN on the real MNIST-M beside the repository (skipped when absent): on a 2,000-image slice,
with the colour recipe's network and schedule and every choice made without target labels,
domain-adversarial training beats source-only by a fixed margin."""
import dataclasses

import pytest
import torch
from conftest import SHARED

from kdcore.transfer import TransferConfig, compare, load_pair

MNIST_M = SHARED / "data" / "mnist-m" / "mnist-m.npz"
MARGIN = 0.03  # DANN − source-only, target test accuracy


@pytest.mark.slow
@pytest.mark.skipif(not MNIST_M.exists(), reason=f"real MNIST-M not found at {MNIST_M} (evaluation data beside the repo)")
def test_dann_beats_source_only_on_a_slice_of_the_real_mnist_m():
    torch.set_num_threads(1)
    config = TransferConfig(target=str(MNIST_M), source_steps=300, evals=3).with_recipe(colour=True)
    source, target = load_pair("mnist5k", str(MNIST_M), size=config.size)
    assert source.in_shape == target.in_shape == (3, 32, 32)
    target = dataclasses.replace(target, x_train=target.x_train[:2000], y_train=target.y_train[:2000],
                                 x_test=target.x_test[:2000], y_test=target.y_test[:2000])
    result = list(compare(config, ["source-only", "adversarial"], [0], [0], pair=(source, target)))[-1].result
    source_only, dann = (result.row(name, 0)["mean"] for name in ("source-only", "adversarial"))
    assert dann >= source_only + MARGIN, (source_only, dann)
    assert 0.4 <= result.adversarial_curve[-1]["domain_accuracy"] <= 1.0

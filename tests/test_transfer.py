"""kdcore.transfer building blocks: gradient reversal, λ schedule, label budgets, domains and their validation."""
import io
import math

import numpy as np
import pytest
import torch

from kdcore.errors import ConfigError, DataUnavailable
from kdcore.transfer import budget, domains, mnist_m
from kdcore.transfer.adversarial import Checkpoint, annealed_lr, dann_lambda, pick, reverse_gradient

torch.set_num_threads(1)


def test_gradient_reversal_is_identity_forward_and_minus_lambda_backward():
    x = torch.randn(5, 7, requires_grad=True)
    w = torch.randn(5, 7)
    out = reverse_gradient(x, 0.3)
    assert torch.equal(out, x)
    (grad_reversed,) = torch.autograd.grad((w * out).sum(), x)
    (grad_plain,) = torch.autograd.grad((w * x).sum(), x)  # autograd's own gradient of the same function
    assert torch.allclose(grad_reversed, -0.3 * grad_plain)
    assert torch.allclose(grad_plain, w)


def test_gradient_reversal_only_flips_what_flows_through_it():
    """Feature extractor params get −λ × the domain gradient; the domain classifier gets it unflipped."""
    torch.manual_seed(0)
    body, head = torch.nn.Linear(4, 3), torch.nn.Linear(3, 1)
    x = torch.randn(8, 4)
    loss_plain = head(body(x)).sum()
    plain = torch.autograd.grad(loss_plain, [*body.parameters(), *head.parameters()])
    loss_rev = head(reverse_gradient(body(x), 2.0)).sum()
    rev = torch.autograd.grad(loss_rev, [*body.parameters(), *head.parameters()])
    for g_plain, g_rev in zip(plain[:2], rev[:2]):
        assert torch.allclose(g_rev, -2.0 * g_plain)
    for g_plain, g_rev in zip(plain[2:], rev[2:]):
        assert torch.allclose(g_rev, g_plain)


def test_lambda_schedule_matches_the_paper():
    assert dann_lambda(0.0) == 0.0
    assert dann_lambda(0.5) == pytest.approx(2 / (1 + math.exp(-5)) - 1)
    assert dann_lambda(1.0) == pytest.approx(0.99991, abs=1e-5)
    values = [dann_lambda(p / 10) for p in range(11)]
    assert values == sorted(values)


def test_budget_is_stratified_seeded_and_nested():
    y = torch.arange(10).repeat_interleave(20)[torch.randperm(200, generator=torch.Generator().manual_seed(1))]
    five = budget.sample(y, 5, seed=3)
    assert torch.bincount(y[five], minlength=10).tolist() == [5] * 10
    assert torch.equal(five, budget.sample(y, 5, seed=3))
    assert not torch.equal(five, budget.sample(y, 5, seed=4))
    assert set(budget.sample(y, 1, seed=3).tolist()) <= set(five.tolist())
    assert len(budget.sample(y, "all", seed=0)) == 200


def test_budget_rejects_more_than_available():
    y = torch.tensor([0] * 3 + [1] * 10)
    with pytest.raises(ConfigError, match="class 0 has only 3"):
        budget.sample(y, 4, seed=0)
    with pytest.raises(ConfigError):
        budget.parse_k("many")
    assert budget.parse_k("ALL") == "all" and budget.parse_k("5") == 5


def test_crop_to_ink_makes_a_corner_digit_fill_the_frame():
    x = torch.zeros(2, 1, 16, 16)
    x[0, 0, :4, :4] = 1.0  # a 4×4 "digit" in the corner
    cropped = domains.crop_to_ink(x)
    assert cropped[0].mean() > 0.8  # it now covers the frame
    assert torch.equal(cropped[1], x[1])  # a blank image stays blank


def test_mnist_m_like_is_colour_digits_on_photos_with_mnist5k_labels():
    source, target = domains.load_pair("mnist5k", "mnist-m-like")
    assert source.in_shape == target.in_shape == (3, 16, 16)
    assert torch.equal(source.y_train, target.y_train)  # built from the same digits, as Ganin & Lempitsky did
    pixels = target.pixels(target.x_train[:50])
    assert (pixels[:, 0] - pixels[:, 1]).abs().mean() > 0.02  # really colour, not grey
    digit = torch.ones(1, 1, 16, 16)
    assert torch.allclose(domains.blend_with_photos(digit, 0) + domains.blend_with_photos(0 * digit, 0), torch.ones(1, 3, 16, 16))


def _npz(**arrays) -> bytes:
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def _good(n=20, classes=10, size=12, channels=None):
    shape = (n, size, size) if channels is None else (n, size, size, channels)
    rng = np.random.default_rng(0)
    return dict(train_images=rng.integers(0, 256, shape, dtype=np.uint8), train_labels=np.arange(n) % classes,
                test_images=rng.integers(0, 256, shape, dtype=np.uint8), test_labels=np.arange(n) % classes)


def test_npz_domain_loads_and_bad_files_say_what_is_wrong(tmp_path):
    raw = domains.load_npz(_npz(**_good(channels=3)))
    assert raw.x_train.shape == (20, 3, 12, 12) and 0 <= raw.x_train.min() and raw.x_train.max() <= 1
    bad = {"lacks test_labels": {k: v for k, v in _good().items() if k != "test_labels"},
           "one integer per image": {**_good(), "train_labels": np.arange(5)},
           "N×H×W": {**_good(), "train_images": np.zeros((20, 12), np.uint8)},
           "non-negative integers": {**_good(), "train_labels": np.linspace(0, 1, 20)}}
    for message, arrays in bad.items():
        with pytest.raises(ConfigError, match=message):
            domains.load_npz(_npz(**arrays))
    with pytest.raises(ConfigError, match="not a readable"):
        domains.load_npz(b"not a zip file")
    with pytest.raises(DataUnavailable, match="not found"):
        domains.load_npz(str(tmp_path / "missing.npz"))


def test_incompatible_pairs_are_refused(tmp_path):
    five_classes = tmp_path / "five.npz"
    five_classes.write_bytes(_npz(**_good(classes=5)))
    with pytest.raises(ConfigError, match="different label sets"):
        domains.load_pair("digits", str(five_classes))
    with pytest.raises(ConfigError, match="two different domains"):
        domains.load_pair("digits", "digits")
    with pytest.raises(ConfigError, match="Unknown domain"):
        domains.load_pair("mnist5k", "cifar")


def test_torchvision_domain_offline_suggests_the_embedded_pair(tmp_path):
    with pytest.raises(DataUnavailable, match="mnist5k → digits"):
        domains.load_pair("mnist5k", "usps", data_dir=tmp_path)


def test_gradient_reversal_at_the_schedules_lambda_scales_by_minus_lambda():
    x = torch.randn(3, 4, requires_grad=True)
    for p in (0.0, 0.3, 1.0):
        (grad,) = torch.autograd.grad(reverse_gradient(x, dann_lambda(p)).sum(), x)
        assert torch.allclose(grad, torch.full_like(x, -dann_lambda(p)))


def test_lr_annealing_matches_the_paper_by_hand():
    assert annealed_lr(0.0) == 1.0
    assert annealed_lr(0.5) == pytest.approx(6 ** -0.75)  # 1 / (1 + 10 · 0.5)^0.75 = 0.2609
    assert annealed_lr(1.0) == pytest.approx(0.16560, abs=1e-4)  # 11^-0.75
    assert dann_lambda(0.1) == pytest.approx(0.46212, abs=1e-5)  # 2 / (1 + e^-1) − 1


def test_pick_uses_source_validation_and_the_oracle_uses_target_labels():
    checkpoints = [Checkpoint(10, 0.90, 0.70), Checkpoint(20, 0.95, 0.50), Checkpoint(30, 0.95, 0.60)]
    assert pick(checkpoints).step == 30  # best source validation, the later one on a tie
    assert pick(checkpoints, oracle=True).step == 10


def test_colour_pairs_replicate_grey_to_three_channels_normalised_per_domain():
    source, target = domains.load_pair("mnist5k", "mnist-m-like", size=32)
    assert source.in_shape == target.in_shape == (3, 32, 32)
    assert torch.equal(source.x_train[:, 0], source.x_train[:, 1]) and torch.equal(source.x_train[:, 0], source.x_train[:, 2])
    for d in (source, target):
        assert torch.allclose(d.x_train.mean(dim=(0, 2, 3)), torch.zeros(3), atol=1e-3)
        assert torch.allclose(d.x_train.std(dim=(0, 2, 3)), torch.ones(3), atol=1e-3)


def test_real_mnist_m_missing_says_where_to_put_it(tmp_path, monkeypatch):
    monkeypatch.setattr(mnist_m, "BESIDE_REPO", tmp_path / "absent.npz")
    with pytest.raises(DataUnavailable, match="mnist-m-like"):
        domains.load_pair("mnist5k", "mnist-m", data_dir=tmp_path)
    (tmp_path / "mnist-m.npz").write_bytes(_npz(**_good(channels=3)))
    assert mnist_m.mnist_m_file(tmp_path) == tmp_path / "mnist-m.npz"


def test_bad_domain_files_name_the_key_and_the_rule():
    nan = _good()
    nan["train_images"] = nan["train_images"].astype(np.float32)
    nan["train_images"][0, 0, 0] = np.nan
    bad = {"NaN": nan,
           r"\[0, 1\] or \[0, 255\]": {**_good(), "test_images": np.full((20, 12, 12), 300.0, np.float32)},
           "digits 0–9": {**_good(), "train_labels": np.arange(20)},
           "single class": {**_good(), "train_labels": np.zeros(20, np.int64)},
           "N×H×W×C": {**_good(), "train_images": np.zeros((20, 1, 12, 12), np.uint8)}}
    for message, arrays in bad.items():
        with pytest.raises(ConfigError, match=message):
            domains.load_npz(_npz(**arrays))
    floats = {**_good(), "train_images": np.random.default_rng(0).random((20, 12, 12)).astype(np.float32)}
    assert domains.load_npz(_npz(**floats)).x_train.max() <= 1  # floats in [0, 1] are kept as they are


def test_a_domain_file_over_the_limit_is_refused_before_reading(monkeypatch):
    monkeypatch.setattr(domains, "MAX_NPZ_BYTES", 100)
    with pytest.raises(ConfigError, match="limited to"):
        domains.load_npz(_npz(**_good()))


def test_the_public_release_folder_is_converted_once(tmp_path, monkeypatch):
    from PIL import Image

    monkeypatch.setattr(mnist_m, "BESIDE_REPO", tmp_path / "absent.npz")
    release = tmp_path / "mnist_m"
    rng = np.random.default_rng(0)
    for split, n in (("train", 12), ("test", 3)):
        (release / f"mnist_m_{split}").mkdir(parents=True)
        lines = []
        for i in range(n):
            Image.fromarray(rng.integers(0, 256, (32, 32, 3), dtype=np.uint8)).save(release / f"mnist_m_{split}" / f"{i:08d}.png")
            lines.append(f"{i:08d}.png {i % 10}")
        (release / f"mnist_m_{split}_labels.txt").write_text("\n".join(lines) + "\n")
    assert mnist_m.mnist_m_present(tmp_path) and not (tmp_path / "mnist-m" / "mnist-m.npz").exists()  # nothing read yet
    path = mnist_m.mnist_m_file(tmp_path)
    assert path == tmp_path / "mnist-m" / "mnist-m.npz"
    raw = domains.raw("mnist-m", data_dir=tmp_path)
    assert raw.x_train.shape == (12, 3, 32, 32) and raw.y_test.tolist() == [0, 1, 2]
    (release / "mnist_m_test_labels.txt").write_text("../../etc/passwd 3\n")
    path.unlink()
    with pytest.raises(ConfigError, match="line 1"):
        mnist_m.mnist_m_file(tmp_path)

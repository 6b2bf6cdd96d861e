"""Models' contract and costs, the training generator, augmentation, the teacher cache."""
import time

import pytest
import torch

from kdcore import augment, cache, data, methods, models, profile, train
from kdcore.config import RunConfig
from kdcore.errors import ConfigError
from kdcore.events import Epoch, Step, collect
from kdcore.teacher import TeacherConfig, cache_key, get_teacher, train_teacher

SHAPES = [(1, 28, 28), (1, 8, 8), (3, 32, 32)]


@pytest.mark.parametrize("family", list(models.FAMILIES))
@pytest.mark.parametrize("shape", SHAPES)
def test_models_return_logits_or_features_and_logits(family, shape):
    model = models.build(family, shape, 10)
    x = torch.randn(2, *shape)
    logits = model(x)
    features, same = model(x, features=True)
    assert logits.shape == (2, 10) and torch.equal(model.eval()(x), model(x))
    assert features[-1].ndim == 2 and features[-1].shape[0] == 2
    assert all(f.shape[0] == 2 for f in features)


def test_profile_counts_match_formulas():
    mlp = models.build("mlp", (1, 28, 28), 10, width=32)
    assert profile.parameters(mlp) == 784 * 32 + 32 + 32 * 10 + 10
    assert profile.flops(mlp, (1, 28, 28)) == 2 * (784 * 32 + 32 * 10)
    assert profile.parameters(models.build("teacher-cnn", (1, 28, 28))) == 9 * 16 + 16 + 9 * 16 * 32 + 32 + 32 * 7 * 7 * 128 + 128 + 128 * 10 + 10
    assert profile.latency_ms(mlp, (1, 28, 28), repeats=5) > 0


@pytest.mark.parametrize("width", [0, -3])
def test_bad_width(width):
    with pytest.raises(ConfigError, match="width must be a whole number in"):
        models.build("mlp", (1, 28, 28), 10, width=width)


def test_random_shift_moves_pixels_by_whole_steps():
    x = torch.zeros(64, 1, 9, 9)
    x[:, 0, 4, 4] = 1.0
    shifted = augment.random_shift(x, 2, torch.Generator().manual_seed(0))
    positions = shifted[:, 0].flatten(1).argmax(1)
    rows, cols = positions // 9, positions % 9
    assert shifted.sum(dim=(1, 2, 3)).eq(1).all()  # nothing lost, nothing added
    assert rows.sub(4).abs().le(2).all() and cols.sub(4).abs().le(2).all()
    assert len(set(zip(rows.tolist(), cols.tolist()))) > 10  # each image gets its own shift


def small_data():
    d = data.load("digits")
    return d.x_train[:300], d.y_train[:300], d


def test_fit_is_deterministic_with_a_seed_and_reports_terms():
    x, y, d = small_data()
    finals = []
    for _ in range(2):
        torch.manual_seed(0)
        model = models.build("mlp", d.in_shape, 10, 16)
        events, returned = collect(train.fit(model, x, y, epochs=2, seed=5, x_eval=d.x_test, y_eval=d.y_test))
        assert returned is model
        finals.append((model.head.weight.clone(), events))
    assert torch.equal(finals[0][0], finals[1][0])
    events = finals[0][1]
    steps, epochs = [e for e in events if isinstance(e, Step)], [e for e in events if isinstance(e, Epoch)]
    assert len(steps) == 2 * 3 and [e.epoch for e in epochs] == [1, 2] and events[-1] is epochs[-1]
    assert steps[-1].progress == 1.0 and steps[-1].step == steps[-1].steps == 6
    assert set(steps[-1].loss_terms) == {"hard"} and steps[-1].loss == pytest.approx(steps[-1].loss_terms["hard"])
    assert 0 <= epochs[-1].metrics["accuracy"] <= 1


def test_precomputed_teacher_logits_equal_running_the_teacher():
    x, y, d = small_data()
    torch.manual_seed(0)
    teacher = models.build("mlp", d.in_shape, 10, 64)
    logits = train.predict_logits(teacher, x)
    kd = methods.get("kd", temperature=4.0, alpha=0.9)
    weights = []
    for kwargs in ({"teacher_logits": logits}, {"teacher": teacher}):
        torch.manual_seed(1)
        student = models.build("mlp", d.in_shape, 10, 8)
        collect(train.fit(student, x, y, epochs=2, method=kd, seed=3, **kwargs))
        weights.append(student.head.weight.detach().clone())
    assert torch.allclose(weights[0], weights[1], atol=1e-6)


def test_a_run_with_zero_epochs_is_refused_before_training():
    with pytest.raises(ConfigError, match="epochs must be a whole number in"):
        RunConfig().replace(**{"teacher.epochs": 0}).validate()


def test_teacher_is_cached_on_disk_and_second_run_is_instant():
    d = data.load("digits")
    config = TeacherConfig(epochs=8, seed=11)
    first = get_teacher(config, d)
    assert not first.cached and first.test_accuracy > 0.5
    start = time.perf_counter()
    second = get_teacher(config, d)
    assert second.cached and time.perf_counter() - start < 1.0
    assert torch.equal(first.train_logits, second.train_logits)
    assert torch.allclose(train.predict_logits(second.model, d.x_test), first.test_logits, atol=1e-5)


def test_interrupted_teacher_leaves_no_cache_entry():
    d = data.load("digits")
    config = TeacherConfig(epochs=3, seed=12)
    records = train_teacher(config, d)
    next(records), next(records)
    records.close()  # the learner stopped the run
    assert cache.load(cache_key(config, d)) == (None, None)
    assert not list(cache.path_for("x").parent.glob(".tmp-*"))

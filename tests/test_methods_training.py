"""Every registered method takes a real training step on every model family (or refuses the pair
with a message naming what is valid); gradients reach the student and the method's projections,
never the teacher; the training schemes run and match their definitions."""
import copy

import pytest
import torch
import torch.nn.functional as F

from kdcore import methods, models, schemes
from kdcore.data import load
from kdcore.errors import ConfigError
from kdcore.lab import labelled_mask
from kdcore.methods.kd import softened_kl
from kdcore.teacher import TeacherConfig, get_teacher
from kdcore.train import fit, predict_logits, run

torch.set_num_threads(1)
SHAPE = (1, 12, 12)
WIDTHS = {"teacher-cnn": 6, "mlp": 16, "cnn": 4}
RECORD_KEYS = {"step", "steps", "epoch", "progress", "loss", "elapsed", "final"}


def snapshot(module):
    return [p.detach().clone() for p in module.parameters()]


def changed(before, module):
    return [not torch.equal(a, b) for a, b in zip(before, module.parameters())]


@pytest.mark.parametrize("teacher_family", ["teacher-cnn", "mlp"])
@pytest.mark.parametrize("family", list(models.FAMILIES))
@pytest.mark.parametrize("name", list(methods.METHODS))
def test_one_step_on_every_family(name, family, teacher_family):
    torch.manual_seed(0)
    teacher = models.build(teacher_family, SHAPE, 10, WIDTHS[teacher_family] * 2).eval()
    student = models.build(family, SHAPE, 10, WIDTHS[family])  # widths differ from the teacher's
    x, y = torch.randn(24, *SHAPE), torch.arange(24) % 10
    try:
        method = methods.build(name, student, teacher, SHAPE)
    except ConfigError as err:  # only spatial methods may refuse, and only a model without a map
        assert name == "at" and "mlp" in (family, teacher_family)
        assert "compatible models: teacher-cnn, cnn" in str(err)
        return
    teacher_before, student_before, method_before = snapshot(teacher), snapshot(student), snapshot(method)
    last = run(fit(student, x, y, epochs=1, method=method, teacher=teacher, teacher_logits=predict_logits(teacher, x),
                   labelled=torch.arange(24) < 12, batch_size=24))
    assert torch.isfinite(torch.tensor(last["loss"]))
    terms = {k: v for k, v in last.items() if k not in RECORD_KEYS}
    assert terms and last["loss"] == pytest.approx(sum(terms.values()), rel=1e-5)  # loss = Σ named terms
    assert not any(changed(teacher_before, teacher)) and all(p.grad is None for p in teacher.parameters())
    assert all(changed(student_before, student))
    assert all(changed(method_before, method))  # projections (FitNets, CRD) are trained with the student


def test_feature_method_must_be_bound_first():
    with pytest.raises(ConfigError, match="bind"):
        methods.get("fitnet")({"logits": torch.zeros(1, 3), "features": [torch.zeros(1, 2)]},
                              {"logits": torch.zeros(1, 3), "features": [torch.zeros(1, 2)]},
                              torch.zeros(1, dtype=torch.long), torch.ones(1, dtype=torch.bool))


def test_mutual_learning_terms_and_gradient_isolation():
    za = torch.tensor([[1.0, 0.0, -1.0], [0.2, 0.1, 0.0]], requires_grad=True)
    zb = torch.tensor([[0.0, 2.0, 0.0], [0.5, -0.5, 1.0]], requires_grad=True)
    target, labelled = torch.tensor([0, 2]), torch.tensor([True, False])
    method = schemes.MutualLearning(temperature=2.0, alpha=0.5)
    out = method({"logits": za, "features": [za, zb]}, None, target, labelled)
    expected_hard = F.cross_entropy(za[:1], target[:1]) + F.cross_entropy(zb[:1], target[:1])
    assert out["hard"].item() == pytest.approx(expected_hard.item(), rel=1e-6)
    expected_mutual = 0.5 * 4 * (softened_kl(za, zb, 2.0) + softened_kl(zb, za, 2.0))
    assert out["mutual"].item() == pytest.approx(expected_mutual.item(), rel=1e-6)
    (grad_a,) = torch.autograd.grad(out["mutual"], za, retain_graph=True)
    (only_own,) = torch.autograd.grad(0.5 * 4 * softened_kl(za, zb.detach(), 2.0), za)
    assert torch.allclose(grad_a, only_own)  # a's gradient comes from its own KL term only


@pytest.fixture(scope="module")
def digits_run():
    data = load("digits")
    config = TeacherConfig(epochs=1)
    teacher = get_teacher(config, data)
    return schemes.Run(data, teacher, config, labelled_mask(data.y_train, 0.2, 0), seed=0, student="mlp",
                       student_width=16, epochs=2)


@pytest.mark.parametrize("name, hyper", [("born-again", {"generations": 1}), ("ensemble", {"teachers": 2}),
                                         ("assistant", {}), ("mutual", {})])
def test_schemes_train_a_student(digits_run, name, hyper):
    records = list(schemes.train_entry(digits_run, name, **hyper))
    progress = [r["progress"] for r in records]
    assert progress == sorted(progress) and progress[-1] == 1.0 and records[-1]["final"]
    stages = {r["stage"] for r in records[:-1]}
    assert len(stages) == {"born-again": 2, "ensemble": 2, "assistant": 2, "mutual": 1}[name]
    student = records[-1]["model"]
    assert sum(p.numel() for p in student.parameters()) == sum(
        p.numel() for p in models.build("mlp", digits_run.data.in_shape, 10, 16).parameters())


def test_one_teacher_ensemble_is_plain_kd(digits_run):
    """An 'ensemble' of the run's teacher alone must train exactly the KD student."""
    ensemble = list(schemes.ensemble(digits_run, teachers=1))[-1]["model"]
    kd = list(schemes.distil(digits_run, "kd"))[-1]["model"]
    assert all(torch.equal(a, b) for a, b in zip(ensemble.parameters(), kd.parameters()))


def test_scheme_bad_settings_are_clear(digits_run):
    with pytest.raises(ConfigError, match="Generations must be between 1 and 10"):
        list(schemes.train_entry(digits_run, "born-again", generations=0))
    with pytest.raises(ConfigError, match="Bad hyper-parameters"):
        schemes.train_entry(digits_run, "mutual", beta=2.0)
    with pytest.raises(ConfigError, match="training schemes: born-again, ensemble, assistant, mutual"):
        schemes.train_entry(digits_run, "nope")


def test_cohort_evaluates_first_student():
    first, second = models.build("mlp", SHAPE, 10, 8), models.build("mlp", SHAPE, 10, 8)
    cohort = schemes.Cohort(first, copy.deepcopy(second))
    x = torch.randn(3, *SHAPE)
    assert torch.equal(cohort(x), first(x))
    features, logits = cohort(x, features=True)
    assert torch.equal(features[1], second(x)) and torch.equal(logits, first(x))

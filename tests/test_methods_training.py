"""Every registered method takes a real training step on every model family (or refuses the pair
with a message naming what is valid); gradients reach the student and the method's projections,
never the teacher; `fit` passes the training progress to the method; the training schemes run and
match their definitions."""
import copy

import pytest
import torch
import torch.nn.functional as F

from kdcore import methods, models, registry, schemes
from kdcore.config import MethodConfig, RunConfig, StudentConfig, TeacherConfig
from kdcore.core import open_run
from kdcore.errors import ConfigError
from kdcore.events import Step, collect
from kdcore.methods.base import HardLabels
from kdcore.methods.kd import softened_kl
from kdcore.train import fit, predict_logits

torch.set_num_threads(1)
SHAPE = (1, 12, 12)
WIDTHS = {"teacher-cnn": 6, "teacher-vgg": 4, "mlp": 16, "cnn": 4}


def snapshot(module):
    return [p.detach().clone() for p in module.parameters()]


def changed(before, module):
    return [not torch.equal(a, b) for a, b in zip(before, module.parameters())]


# teacher-vgg is a teacher only: as a student, one step need not move its batch-norm scales
@pytest.mark.parametrize("teacher_family", ["teacher-cnn", "teacher-vgg", "mlp"])
@pytest.mark.parametrize("family", [f for f in models.FAMILIES if f != "teacher-vgg"])
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
        assert "compatible models: teacher-cnn, teacher-vgg, cnn" in str(err)
        return
    teacher_before, student_before, method_before = snapshot(teacher), snapshot(student), snapshot(method)
    events, _ = collect(fit(student, x, y, epochs=1, method=method, teacher=teacher,
                            teacher_logits=predict_logits(teacher, x), labelled=torch.arange(24) < 12, batch_size=24))
    (last,) = [e for e in events if isinstance(e, Step)]
    assert last.loss_terms and torch.isfinite(torch.tensor(last.loss))
    assert last.loss == pytest.approx(sum(last.loss_terms.values()), rel=1e-5)  # loss = Σ named terms
    assert not any(changed(teacher_before, teacher)) and all(p.grad is None for p in teacher.parameters())
    assert all(changed(student_before, student))
    assert all(changed(method_before, method))  # projections (FitNets, CRD) are trained with the student


def test_feature_method_must_be_bound_first():
    with pytest.raises(ConfigError, match="fitnet: call method.bind"):
        methods.get("fitnet")({"logits": torch.zeros(1, 3), "features": [torch.zeros(1, 2)]},
                              {"logits": torch.zeros(1, 3), "features": [torch.zeros(1, 2)]},
                              torch.zeros(1, dtype=torch.long), torch.ones(1, dtype=torch.bool))


class Recording(HardLabels):
    """Hard labels that remember the progress `fit` passes at each step."""

    def __init__(self):
        super().__init__()
        self.seen = []

    def forward(self, student, teacher, target, labelled, progress=0.0):
        self.seen.append(progress)
        return super().forward(student, teacher, target, labelled, progress)


def test_fit_passes_the_share_of_training_done():
    method = Recording()
    x, y = torch.randn(24, *SHAPE), torch.arange(24) % 10
    collect(fit(models.build("mlp", SHAPE, 10, 8), x, y, epochs=2, method=method, batch_size=8))
    assert method.seen == [step / 6 for step in range(6)]  # 2 epochs × 3 steps, progress before each step


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
def core():
    config = RunConfig(teacher=TeacherConfig(epochs=1), student=StudentConfig(width=16, epochs=2, labelled_fraction=0.2),
                       device="cpu").replace(**{"data.dataset": "digits"})
    _, (run_core, _) = collect(open_run(config, None, runs=1, teacher_weight=0.5))
    return run_core


def fit_runs(events) -> int:
    return sum(isinstance(e, Step) and e.step == 1 for e in events)


@pytest.mark.parametrize("name, hyper", [("born-again", {"generations": 1}), ("ensemble", {"teachers": 2}),
                                         ("assistant", {}), ("mutual", {})])
def test_schemes_train_a_student(core, name, hyper):
    events, student = collect(registry.train(core, MethodConfig(name, tuple(hyper.items())), seed=0))
    progress = [e.progress for e in events]
    assert progress == sorted(progress) and progress[-1] == pytest.approx(1.0)
    assert fit_runs(events) == {"born-again": 2, "ensemble": 2, "assistant": 2, "mutual": 1}[name]
    assert sum(p.numel() for p in student.parameters()) == sum(
        p.numel() for p in models.build("mlp", core.data.in_shape, 10, 16).parameters())


def test_one_teacher_ensemble_is_plain_kd(core):
    """An 'ensemble' of the run's teacher alone must train exactly the KD student."""
    _, ensemble = collect(schemes.Ensemble(teachers=1).train(core, 0))
    _, kd = collect(registry.train(core, MethodConfig("kd"), seed=0, evaluate=False))
    assert all(torch.equal(a, b) for a, b in zip(ensemble.parameters(), kd.parameters()))


@pytest.mark.parametrize("name, hyper, fragment", [
    ("born-again", {"generations": 0}, "generations must be a whole number in [1, 10], got 0."),
    ("mutual", {"beta": 2.0}, "'mutual' has no hyper-parameter 'beta'; it has: temperature, alpha."),
])
def test_scheme_bad_settings_are_clear(name, hyper, fragment):
    with pytest.raises(ConfigError) as err:
        registry.check_entry(name, hyper)
    assert fragment in str(err.value)


def test_unknown_entry_lists_methods_and_schemes():
    with pytest.raises(ConfigError, match="choose one of hard, kd, .*, born-again, ensemble, assistant, mutual"):
        registry.get("nope")


def test_cohort_evaluates_first_student():
    first, second = models.build("mlp", SHAPE, 10, 8), models.build("mlp", SHAPE, 10, 8)
    cohort = schemes.Cohort(first, copy.deepcopy(second))
    x = torch.randn(3, *SHAPE)
    assert torch.equal(cohort(x), first(x))
    features, logits = cohort(x, features=True)
    assert torch.equal(features[1], second(x)) and torch.equal(logits, first(x))

"""The coding exercises' hidden tests prove the lesson: each reference passes, and each plausible
wrong solution fails with the message that says what is wrong, worded in English and Chinese.

Wrong solutions are the reference with one function redefined at the end (the later definition
wins). They run in this process through the grader's own harness (fast: no sandbox start-up per
solution, and only the test each one must fail); tests/test_drills_grader.py grades every reference in
the real sandbox and requires it to pass every hidden test."""
import ast
import json
import shutil
import string
import sys
import types

from pathlib import Path

import pytest

from kdapp import coding_view
from kdapp.i18n import LANGUAGES, catalogue
from kdcore.drills import _harness, grader
from kdcore.errors import DataUnavailable

EXERCISES = {ex.id: ex for ex in grader.load_exercises()}


def run_hidden(exercise, code: str, only: str | None = None, tests: str | None = None) -> dict[str, dict]:
    """Run `exercise`'s hidden tests (or just the check `only`, or the module `tests`) against `code`:
    {name: {"passed", "key", ...}}. Producers run when a check first asks for their value, and what
    they produce goes through the same JSON encoding as between the two sandbox runs."""
    solution = types.ModuleType("solution")
    exec(compile(code, "solution.py", "exec"), solution.__dict__)
    saved = sys.modules.get("harness")
    sys.modules["harness"] = _harness
    try:
        module = types.ModuleType("hidden_tests")
        exec(compile(exercise.tests if tests is None else tests, "hidden_tests.py", "exec"), module.__dict__)

        class Lazy(dict):
            def get(self, name, default=None):
                producer = getattr(module, f"produce_{name}", None)
                if name not in self and callable(producer):
                    one = types.SimpleNamespace(**{f"produce_{name}": producer})
                    self.update(json.loads(json.dumps(_harness.produce(one, solution))))
                return super().get(name, default)

        checks = module if only is None else types.SimpleNamespace(**{only: getattr(module, only)})
        return {r["name"]: r for r in _harness.judge(checks, Lazy())}
    finally:
        if saved is None:
            sys.modules.pop("harness", None)
        else:
            sys.modules["harness"] = saved


WRONG = {  # exercise -> [(what is wrong, code appended to the reference, failing test, its message's key)]
    "1_simple_distillation": [
        ("no teacher", "def train_student(student, teacher_logits, X, y, T=4.0, alpha=0.9, epochs=300, lr=0.01):\n"
         "    opt = torch.optim.Adam(student.parameters(), lr=lr)\n    for _ in range(epochs):\n"
         "        opt.zero_grad(); F.cross_entropy(student(X), y).backward(); opt.step()\n    return student.eval()\n",
         "test_student_learns_from_the_teacher_when_labels_are_noisy", "noisy_labels_accuracy"),
        ("no teacher (never calls the loss)", "def train_student(student, teacher_logits, X, y, T=4.0, alpha=0.9, epochs=300, lr=0.01):\n"
         "    opt = torch.optim.Adam(student.parameters(), lr=lr)\n    for _ in range(epochs):\n"
         "        opt.zero_grad(); F.cross_entropy(student(X), y).backward(); opt.step()\n    return student.eval()\n",
         "test_student_trains_with_your_loss_and_leaves_the_teacher_alone", "loss_never_called"),
        ("teacher argmax", "def train_student(student, teacher_logits, X, y, T=4.0, alpha=0.9, epochs=300, lr=0.01):\n"
         "    opt = torch.optim.Adam(student.parameters(), lr=lr)\n    for _ in range(epochs):\n"
         "        opt.zero_grad(); F.cross_entropy(student(X), teacher_logits.argmax(1)).backward(); opt.step()\n"
         "    return student.eval()\n", "test_student_inherits_the_teachers_known_bias", "bias_not_inherited"),
        ("teacher argmax as soft targets", "def soft_targets(logits, T):\n    return F.one_hot(logits.argmax(-1), logits.shape[-1]).float()\n",
         "test_soft_targets_are_probabilities", "soft_targets_one_hot"),
        ("temperature ignored", "def soft_targets(logits, T):\n    return F.softmax(logits, dim=-1)\n",
         "test_soft_targets_are_probabilities", "soft_targets_ignore_t"),
        ("reverse KL", "def distillation_loss(student_logits, teacher_logits, labels, T=4.0, alpha=0.9):\n"
         "    kl = F.kl_div(F.log_softmax(teacher_logits.detach() / T, -1), F.softmax(student_logits / T, -1), reduction='batchmean')\n"
         "    return alpha * T * T * kl + (1 - alpha) * F.cross_entropy(student_logits, labels)\n",
         "test_distillation_loss_value", "reverse_kl"),
        ("missing T²", "def distillation_loss(student_logits, teacher_logits, labels, T=4.0, alpha=0.9):\n"
         "    kl = F.kl_div(F.log_softmax(student_logits / T, -1), F.softmax(teacher_logits.detach() / T, -1), reduction='batchmean')\n"
         "    return alpha * kl + (1 - alpha) * F.cross_entropy(student_logits, labels)\n",
         "test_distillation_loss_value", "missing_t_squared"),
        ("reverse KL without T² inside the training loop",
         "def train_student(student, teacher_logits, X, y, T=4.0, alpha=0.9, epochs=300, lr=0.01):\n"
         "    opt = torch.optim.Adam(student.parameters(), lr=lr)\n    for _ in range(epochs):\n"
         "        opt.zero_grad(); s = student(X)\n"
         "        kl = F.kl_div(F.log_softmax(teacher_logits / T, -1), F.softmax(s / T, -1), reduction='batchmean')\n"
         "        (alpha * kl + (1 - alpha) * F.cross_entropy(s, y)).backward(); opt.step()\n    return student.eval()\n",
         "test_student_trains_with_your_loss_and_leaves_the_teacher_alone", "loss_never_called"),
        ("mean over every element", "def distillation_loss(student_logits, teacher_logits, labels, T=4.0, alpha=0.9):\n"
         "    kl = F.kl_div(F.log_softmax(student_logits / T, -1), F.softmax(teacher_logits.detach() / T, -1), reduction='mean')\n"
         "    return alpha * T * T * kl + (1 - alpha) * F.cross_entropy(student_logits, labels)\n",
         "test_distillation_loss_value", "kl_not_batchmean"),
        ("teacher not detached", "def distillation_loss(student_logits, teacher_logits, labels, T=4.0, alpha=0.9):\n"
         "    kl = F.kl_div(F.log_softmax(student_logits / T, -1), F.softmax(teacher_logits / T, -1), reduction='batchmean')\n"
         "    return alpha * T * T * kl + (1 - alpha) * F.cross_entropy(student_logits, labels)\n",
         "test_gradient_reaches_student_only_and_is_right", "gradient_into_teacher_logits"),
        ("teacher logits modified", "_train = train_student\n"
         "def train_student(student, teacher_logits, X, y, T=4.0, alpha=0.9, epochs=300, lr=0.01):\n"
         "    teacher_logits /= T\n    return _train(student, teacher_logits, X, y, 1.0 * T, alpha, epochs, lr)\n",
         "test_student_trains_with_your_loss_and_leaves_the_teacher_alone", "teacher_logits_modified"),
        ("student never trained", "def train_student(student, teacher_logits, X, y, T=4.0, alpha=0.9, epochs=300, lr=0.01):\n"
         "    distillation_loss(student(X), teacher_logits, y, T, alpha)\n    return student\n",
         "test_student_learns_from_the_teacher_when_labels_are_noisy", "noisy_labels_accuracy"),
        ("returns a list", "def soft_targets(logits, T):\n    return F.softmax(logits / T, -1).tolist()\n",
         "test_soft_targets_are_probabilities", "not_tensor"),
        ("returns NaN", "def distillation_loss(student_logits, teacher_logits, labels, T=4.0, alpha=0.9):\n"
         "    return (student_logits * float('nan')).sum()\n", "test_distillation_loss_value", "not_finite"),
        ("returns nothing", "def train_student(student, teacher_logits, X, y, T=4.0, alpha=0.9, epochs=300, lr=0.01):\n"
         "    pass\n", "test_student_learns_from_the_teacher_when_labels_are_noisy", "not_module"),
    ],
    "2_transfer_image": [
        ("no transfer: head on raw pixels", "class Pixels(nn.Module):\n    def __init__(self, n):\n        super().__init__()\n"
         "        self.features = nn.Identity()\n        self.head = nn.Linear(64, n)\n    def forward(self, x):\n"
         "        return self.head(x)\n\ndef build_transfer_model(source_model, num_classes):\n    return Pixels(num_classes)\n",
         "test_model_reuses_the_source_features", "features_not_source"),
        ("no transfer: re-initialised features", "def build_transfer_model(source_model, num_classes):\n"
         "    import copy\n    features = copy.deepcopy(source_model.features)\n"
         "    for layer in features:\n        if hasattr(layer, 'reset_parameters'):\n            layer.reset_parameters()\n"
         "    return TransferModel(features, num_classes)\n",
         "test_transfer_beats_learning_without_it", "transfer_not_better"),
        ("untrained head", "def fine_tune(model, X, y, epochs=300, lr=0.01):\n    return model.eval()\n",
         "test_fine_tune_trains_the_head_and_keeps_features_fixed", "head_not_trained"),
        ("copied source head, no training", "def build_transfer_model(source_model, num_classes):\n"
         "    model = TransferModel(source_model.features, num_classes)\n    model.head = source_model.head\n    return model\n",
         "test_features_are_frozen_and_head_is_new", "head_reused"),
        ("features not frozen", "class Unfrozen(TransferModel):\n    def __init__(self, features, n):\n"
         "        super().__init__(features, n)\n        for p in self.features.parameters():\n            p.requires_grad_(True)\n\n"
         "def build_transfer_model(source_model, num_classes):\n    return Unfrozen(source_model.features, num_classes)\n",
         "test_features_are_frozen_and_head_is_new", "features_still_train"),
        ("source network modified", "_build = build_transfer_model\n\ndef build_transfer_model(source_model, num_classes):\n"
         "    source_model.head.reset_parameters()\n    return _build(source_model, num_classes)\n",
         "test_source_network_is_not_modified", "source_modified"),
        ("fine-tunes everything", "def fine_tune(model, X, y, epochs=300, lr=0.01):\n"
         "    for p in model.parameters():\n        p.requires_grad_(True)\n"
         "    opt = torch.optim.Adam(model.parameters(), lr=lr)\n    for _ in range(epochs):\n"
         "        opt.zero_grad(); F.cross_entropy(model(X), y).backward(); opt.step()\n    return model.eval()\n",
         "test_fine_tune_trains_the_head_and_keeps_features_fixed", "frozen_weights_changed"),
        ("wrong output shape", "def build_transfer_model(source_model, num_classes):\n"
         "    return TransferModel(source_model.features, num_classes + 1)\n",
         "test_features_are_frozen_and_head_is_new", "wrong_shape"),
    ],
    "3_nlp_distillation": [
        ("no teacher: learns the text", "def distill_language_model(teacher, student, contexts, T=2.0, steps=300, lr=0.01):\n"
         "    targets = torch.cat([contexts[1:, -1], contexts[-1:, -1]])\n"
         "    opt = torch.optim.Adam(student.parameters(), lr=lr)\n    for _ in range(steps):\n"
         "        opt.zero_grad(); F.cross_entropy(student(contexts), targets).backward(); opt.step()\n    return student.eval()\n",
         "test_distillation_moves_student_to_the_biased_teacher", "student_not_close_to_teacher"),
        ("no teacher (never run)", "def distill_language_model(teacher, student, contexts, T=2.0, steps=300, lr=0.01):\n"
         "    targets = torch.cat([contexts[1:, -1], contexts[-1:, -1]])\n"
         "    opt = torch.optim.Adam(student.parameters(), lr=lr)\n    for _ in range(steps):\n"
         "        opt.zero_grad(); F.cross_entropy(student(contexts), targets).backward(); opt.step()\n    return student.eval()\n",
         "test_distillation_uses_the_teacher_and_your_loss", "teacher_never_run"),
        ("teacher argmax", "def distill_language_model(teacher, student, contexts, T=2.0, steps=300, lr=0.01):\n"
         "    with torch.no_grad():\n        targets = teacher(contexts).argmax(-1)\n"
         "    opt = torch.optim.Adam(student.parameters(), lr=lr)\n    for _ in range(steps):\n"
         "        opt.zero_grad(); F.cross_entropy(student(contexts), targets).backward(); opt.step()\n    return student.eval()\n",
         "test_distillation_uses_the_teacher_and_your_loss", "loss_never_called"),
        ("reverse KL", "def token_kd_loss(student_logits, teacher_logits, T=2.0, mask=None):\n"
         "    s = F.log_softmax(student_logits / T, -1); t = F.log_softmax(teacher_logits.detach() / T, -1)\n"
         "    per = (s.exp() * (s - t)).sum(-1)\n    mask = torch.ones(per.shape, dtype=torch.bool) if mask is None else mask\n"
         "    return T * T * per[mask].mean()\n", "test_loss_value", "reverse_kl"),
        ("missing T²", "def token_kd_loss(student_logits, teacher_logits, T=2.0, mask=None):\n"
         "    per = F.kl_div(F.log_softmax(student_logits / T, -1), F.softmax(teacher_logits.detach() / T, -1), reduction='none').sum(-1)\n"
         "    mask = torch.ones(per.shape, dtype=torch.bool) if mask is None else mask\n    return per[mask].mean()\n",
         "test_loss_value", "missing_t_squared"),
        ("padding counted", "def token_kd_loss(student_logits, teacher_logits, T=2.0, mask=None):\n"
         "    per = F.kl_div(F.log_softmax(student_logits / T, -1), F.softmax(teacher_logits.detach() / T, -1), reduction='none').sum(-1)\n"
         "    return T * T * per.mean()\n", "test_mask_ignores_padding", "padding_counted"),
        ("teacher modified", "_distil = distill_language_model\n\n"
         "def distill_language_model(teacher, student, contexts, T=2.0, steps=300, lr=0.01):\n"
         "    result = _distil(teacher, student, contexts, T, steps, lr)\n    with torch.no_grad():\n"
         "        for p in teacher.parameters():\n            p.zero_()\n    return result\n",
         "test_teacher_is_untouched", "teacher_weights_changed"),
        ("teacher not detached", "def token_kd_loss(student_logits, teacher_logits, T=2.0, mask=None):\n"
         "    per = F.kl_div(F.log_softmax(student_logits / T, -1), F.softmax(teacher_logits / T, -1), reduction='none').sum(-1)\n"
         "    mask = torch.ones(per.shape, dtype=torch.bool) if mask is None else mask\n    return T * T * per[mask].mean()\n",
         "test_no_gradient_into_the_teacher_logits", "gradient_into_teacher_logits"),
        ("ignores T", "_distil = distill_language_model\n\n"
         "def distill_language_model(teacher, student, contexts, T=2.0, steps=300, lr=0.01):\n"
         "    return _distil(teacher, student, contexts, 1.0, steps, lr)\n",
         "test_distillation_uses_the_teacher_and_your_loss", "wrong_temperature"),
    ],
    "4_decoupled_kd": [
        ("NCKD over all classes", "def dkd_terms(student_logits, teacher_logits, labels, T=4.0):\n"
         "    tckd, _ = _terms(student_logits, teacher_logits, labels, T)\n"
         "    nckd = F.kl_div(F.log_softmax(student_logits / T, -1), F.softmax(teacher_logits.detach() / T, -1), reduction='batchmean')\n"
         "    return tckd, nckd\n", "test_terms_match_the_definitions", "nckd_over_all_classes"),
        ("NCKD weighted by 1 − p_target (that is plain KD)", "def dkd_terms(student_logits, teacher_logits, labels, T=4.0):\n"
         "    tckd, nckd = _terms(student_logits, teacher_logits, labels, T)\n"
         "    p = F.softmax(teacher_logits / T, -1).gather(1, labels[:, None]).mean()\n    return tckd, (1 - p) * nckd\n",
         "test_terms_match_the_definitions", "nckd_value"),
        ("missing T²", "def dkd_loss(student_logits, teacher_logits, labels, alpha=1.0, beta=8.0, T=4.0):\n"
         "    tckd, nckd = dkd_terms(student_logits, teacher_logits, labels, T)\n    return alpha * tckd + beta * nckd\n",
         "test_weights_and_temperature_squared", "missing_t_squared"),
        ("alpha and beta swapped", "def dkd_loss(student_logits, teacher_logits, labels, alpha=1.0, beta=8.0, T=4.0):\n"
         "    tckd, nckd = dkd_terms(student_logits, teacher_logits, labels, T)\n    return T * T * (beta * tckd + alpha * nckd)\n",
         "test_weights_and_temperature_squared", "alpha_beta_swapped"),
        ("log of a zeroed probability", "def dkd_terms(student_logits, teacher_logits, labels, T=4.0):\n"
         "    tckd, _ = _terms(student_logits, teacher_logits, labels, T)\n    keep = 1 - F.one_hot(labels, student_logits.shape[-1])\n"
         "    ps = F.softmax(student_logits / T, -1) * keep; pt = F.softmax(teacher_logits.detach() / T, -1) * keep\n"
         "    ps, pt = ps / ps.sum(-1, keepdim=True), pt / pt.sum(-1, keepdim=True)\n"
         "    nckd = (pt * (torch.log(pt + 1e-30) - torch.log(ps))).sum(-1).mean()\n    return tckd, nckd\n",
         "test_large_logits_stay_finite", "not_finite"),
        ("teacher not detached", "def dkd_terms(student_logits, teacher_logits, labels, T=4.0):\n"
         "    s, t = student_logits / T, teacher_logits / T\n    target = F.one_hot(labels, s.shape[-1]).bool()\n"
         "    ls = F.log_softmax(s.masked_fill(target, -1e9), -1); lt = F.log_softmax(t.masked_fill(target, -1e9), -1)\n"
         "    nckd = (lt.exp() * (lt - ls)).masked_fill(target, 0.0).sum(-1).mean()\n"
         "    return _terms(student_logits, teacher_logits, labels, T)[0], nckd\n",
         "test_gradient_reaches_the_student_only", "gradient_into_teacher_logits"),
    ],
    "5_gradient_reversal": [
        ("no reversal", "class GradReverse(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x, lambd):\n"
         "        return x.view_as(x)\n    @staticmethod\n    def backward(ctx, grad):\n        return grad, None\n",
         "test_backward_multiplies_the_gradient_by_minus_lambda", "gradient_unchanged"),
        ("no reversal (adversarial training fails)", "class GradReverse(torch.autograd.Function):\n    @staticmethod\n"
         "    def forward(ctx, x, lambd):\n        return x.view_as(x)\n    @staticmethod\n    def backward(ctx, grad):\n        return grad, None\n",
         "test_training_with_reversal_removes_the_domain_signal", "domain_signal_kept"),
        ("reversal in the forward pass", "def grad_reverse(x, lambd=1.0):\n    return -lambd * x\n",
         "test_forward_is_the_identity", "reversal_in_forward"),
        ("lambda ignored", "class GradReverse(torch.autograd.Function):\n    @staticmethod\n    def forward(ctx, x, lambd):\n"
         "        return x.view_as(x)\n    @staticmethod\n    def backward(ctx, grad):\n        return -grad, None\n",
         "test_backward_multiplies_the_gradient_by_minus_lambda", "lambda_ignored"),
        ("features detached", "def grad_reverse(x, lambd=1.0):\n    return x.detach()\n",
         "test_backward_multiplies_the_gradient_by_minus_lambda", "input_detached"),
        ("discriminator reversed too", "def dann_loss(features, domains, discriminator, lambd=1.0):\n"
         "    return -lambd * F.binary_cross_entropy_with_logits(discriminator(features).squeeze(-1), domains.float())\n",
         "test_discriminator_gets_its_ordinary_gradient_and_features_the_reversed_one", "loss_value"),
    ],
    "6_hint_loss": [
        ("projection built in forward", "class HintLoss(nn.Module):\n    def __init__(self, student_channels, teacher_channels):\n"
         "        super().__init__()\n        self.channels = (student_channels, teacher_channels)\n        self.proj = nn.Identity()\n"
         "    def forward(self, s, t):\n        return F.mse_loss(nn.Conv2d(*self.channels, 1)(s), t.detach())\n",
         "test_projection_is_registered_and_maps_student_to_teacher", "hint_no_parameters"),
        ("teacher projected instead of the student", "class HintLoss(nn.Module):\n"
         "    def __init__(self, student_channels, teacher_channels):\n        super().__init__()\n"
         "        self.proj = nn.Conv2d(teacher_channels, student_channels, 1)\n"
         "    def forward(self, s, t):\n        return F.mse_loss(s, self.proj(t.detach()))\n",
         "test_projection_is_registered_and_maps_student_to_teacher", "projection_reversed"),
        ("no projection", "class HintLoss(nn.Module):\n    def __init__(self, student_channels, teacher_channels):\n"
         "        super().__init__()\n        self.proj = nn.Identity()\n    def forward(self, s, t):\n"
         "        return F.mse_loss(s, t.detach()[:, :s.shape[1]])\n",
         "test_projection_is_registered_and_maps_student_to_teacher", "hint_no_parameters"),
        ("sum instead of mean", "_forward = HintLoss.forward\n"
         "def _summed(self, s, t):\n    return _forward(self, s, t) * t.numel()\nHintLoss.forward = _summed\n",
         "test_value_matches_the_formula_and_is_stable_across_calls", "hint_summed"),
        ("no resizing", "def _crop(self, s, t):\n    p = self.proj(s)[..., :t.shape[-2], :t.shape[-1]]\n"
         "    return F.mse_loss(p, t.detach())\nHintLoss.forward = _crop\n",
         "test_different_sizes_are_resized_bilinearly", "hint_not_resized"),
        ("teacher not detached", "def _attached(self, s, t):\n    return F.mse_loss(self.proj(s), t)\nHintLoss.forward = _attached\n",
         "test_gradients_reach_the_student_and_the_projection_not_the_teacher", "gradient_into_teacher_features"),
        ("absolute error", "def _l1(self, s, t):\n    return (self.proj(s) - t.detach()).abs().mean()\nHintLoss.forward = _l1\n",
         "test_value_matches_the_formula_and_is_stable_across_calls", "hint_absolute_error"),
    ],
}
CASES = [(ex_id, *case) for ex_id, cases in WRONG.items() for case in cases]


def test_every_exercise_has_a_wrong_solution_set():
    assert set(WRONG) == set(EXERCISES) and len(EXERCISES) >= 6
    assert all(len(cases) >= 5 for cases in WRONG.values())


def keyed_checks(source: str):
    """(key, value names) of every harness.check(condition, key, ...) and Fail(key, ...) in `source`."""
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) in ("check", "Fail"):
            key = node.args[1 if getattr(node.func, "attr", getattr(node.func, "id", None)) == "check" else 0]
            if isinstance(key, ast.Constant):
                yield key.value, {kw.arg for kw in node.keywords}


def test_every_check_message_is_worded_in_every_language_with_the_values_it_names():
    sources = [ex.tests for ex in EXERCISES.values()] + [(Path(_harness.__file__)).read_text(encoding="utf-8")]
    checks = [check for source in sources for check in keyed_checks(source)]
    assert len(checks) > 80
    for key, names in checks:
        entry = catalogue()[f"coding_messages.{key}"]
        for language in LANGUAGES:
            fields = {field for _, field, _, _ in string.Formatter().parse(entry[language]) if field}
            assert fields <= names, (key, language, fields - names)


@pytest.mark.parametrize("broken", [{"hints": [{"en": "only English"}]}, {"examples": {"cases": [{"call": "f(1)"}]}}])
def test_an_exercise_with_a_hint_in_one_language_or_an_example_without_its_result_is_refused(tmp_path, broken):
    folder = tmp_path / "broken"
    shutil.copytree(grader.EXERCISES_DIR / "1_simple_distillation", folder)
    meta = json.loads((folder / "exercise.json").read_text(encoding="utf-8"))
    (folder / "exercise.json").write_text(json.dumps({**meta, **broken}), encoding="utf-8")
    with pytest.raises(DataUnavailable, match="broken"):
        grader.load_exercise(folder)


def test_every_exercise_has_two_or_three_hints_that_do_not_give_the_code():
    for exercise in EXERCISES.values():
        assert 2 <= len(exercise.hints) <= 3, exercise.id
        lines = [line.strip() for line in exercise.reference.splitlines() if len(line.strip()) > 15]
        assert not [line for hint in exercise.hints for text in hint.values() for line in lines if line in text]


@pytest.mark.parametrize("exercise_id", EXERCISES)
def test_visible_examples_hold_for_the_reference_and_not_the_starter(exercise_id):
    exercise = EXERCISES[exercise_id]
    examples = grader.examples_module(exercise)
    assert 3 <= len(exercise.examples) <= 5
    assert all(r["passed"] for r in run_hidden(exercise, exercise.reference, tests=examples).values())
    assert not any(r["passed"] for r in run_hidden(exercise, exercise.starter, tests=examples).values())


@pytest.mark.slow
@pytest.mark.parametrize("exercise_id, wrong, code, failing, key", CASES, ids=[f"{c[0][:1]}-{c[1]}" for c in CASES])
def test_wrong_solution_fails_with_a_message_that_teaches(exercise_id, wrong, code, failing, key):
    exercise = EXERCISES[exercise_id]
    prelude = "\n\n_terms = dkd_terms\n\n" if exercise_id == "4_decoupled_kd" else "\n\n"
    result = run_hidden(exercise, exercise.reference + prelude + code, only=failing)[failing]
    assert not result["passed"], f"{wrong}: {failing} passed"
    assert result["key"] == key, result
    outcome = grader.TestOutcome(failing, False, result["key"], result["values"], result["where"], result["seconds"])
    english, chinese = (coding_view.message(outcome, language) for language in ("en", "zh"))
    assert english != chinese and not english.startswith(f"{key}:")  # worded in both, its values fit the wording

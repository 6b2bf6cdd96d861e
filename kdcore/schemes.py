"""Training schemes: who teaches whom, built from the run core and the loss methods.

Each scheme is a class that describes itself like a method (`paper`, `formula_tex`, `hyper`) and
whose `train(core, seed)` is a generator of training events over the whole scheme that returns
the trained student, so the comparison runner treats methods and schemes alike.
"""
import dataclasses
import inspect

import torch
from torch import nn

from . import methods, models
from .events import Stages
from .methods.base import Distiller, labelled_cross_entropy
from .methods.kd import KD, softened_kl
from .schema import Range, apply_hyper
from .teacher import train_teacher
from .train import predict_logits


class Scheme:
    """Base class: hyper-parameters validated from `hyper`; `train(core, seed)` returns the student."""
    name = ""
    paper = ""
    formula_tex = ""
    hyper: dict[str, Range] = {}

    def __init__(self, **hyper):
        apply_hyper(self, hyper)

    @classmethod
    def defaults(cls) -> dict:
        return {key: rule.default for key, rule in cls.hyper.items()}

    def kd(self):
        return methods.get("kd", temperature=self.temperature, alpha=self.alpha)

    def train(self, core, seed: int):
        raise NotImplementedError


class BornAgain(Scheme):
    """Self-distillation without the big teacher: generation 0 learns from the labels, generation
    k learns with KD from generation k − 1, same architecture every time."""
    name = "born-again"
    paper = "Furlanello, Lipton, Tschannen, Itti & Anandkumar (2018), \"Born-Again Neural Networks\", ICML"
    formula_tex = (r"\begin{gathered}\theta_k = \arg\min\,(1-\alpha)\,\mathrm{CE}(y, p_k) \\ +\ \alpha\,T^2\,"
                   r"\mathrm{KL}(p_{k-1}^{T}\|p_k^{T}),\quad k = 1..K\end{gathered}")
    hyper = {"generations": Range(1, 10, 2, "number of student generations after the first", integer=True),
             **KD.hyper}

    def train(self, core, seed):
        stages, labelled = Stages([1.0] * (self.generations + 1)), core.labelled(seed)
        model = core.new_student(seed)
        yield from stages.run(0, core.fit(model, methods.get("hard"), seed, labelled=labelled, evaluate=False))
        for generation in range(1, self.generations + 1):
            previous_logits = predict_logits(model, core.data.x_train)
            model = core.new_student(seed)
            yield from stages.run(generation, core.fit(model, self.kd(), seed, labelled=labelled,
                                                       teacher_logits=previous_logits, evaluate=False))
        return model


class Ensemble(Scheme):
    """KD from the mean logits of `teachers` teachers that differ only in their seed (the first
    is the run's teacher; the others are trained once and cached like it)."""
    name = "ensemble"
    paper = ('Hinton, Vinyals & Dean (2015), "Distilling the Knowledge in a Neural Network", §1; '
             'You, Xu, Xu & Tao (2017), "Learning from Multiple Teacher Networks", KDD')
    formula_tex = (r"\begin{gathered}z_t = \tfrac{1}{M}\sum_{m=1}^{M} z_t^{(m)} \\ \mathcal{L} = (1-\alpha)\,"
                   r"\mathrm{CE}(y,p_s) + \alpha\,T^2\,\mathrm{KL}(p_t^T\|p_s^T)\end{gathered}")
    hyper = {"teachers": Range(1, 8, 3, "number of teachers M", integer=True), **KD.hyper}

    def train(self, core, seed):
        stages = Stages([1.0] * (self.teachers + 1))
        logits = [core.teacher.train_logits]
        for k in range(1, self.teachers):
            config = dataclasses.replace(core.config.teacher, seed=core.config.teacher.seed + k)
            teacher = yield from stages.run(k - 1, train_teacher(config, core.data, core.device))
            logits.append(teacher.train_logits)
        mean_logits = torch.stack(logits).mean(0)  # (N, C): a geometric mean of the teachers' probabilities
        student = core.new_student(seed)
        return (yield from stages.run(self.teachers, core.fit(student, self.kd(), seed, labelled=core.labelled(seed),
                                                              teacher_logits=mean_logits, evaluate=False)))


class Assistant(Scheme):
    """Teacher → assistant → student: the assistant is the student's family at `width_factor`×
    its width, distilled from the teacher; the student is then distilled from the assistant."""
    name = "assistant"
    paper = "Mirzadeh, Farajtabar, Li, Levine, Matsukawa & Ghasemzadeh (2020), \"Improved Knowledge Distillation via Teacher Assistant\", AAAI"
    formula_tex = r"\text{teacher} \xrightarrow{\ \mathrm{KD}\ } \text{assistant} \xrightarrow{\ \mathrm{KD}\ } \text{student}"
    hyper = {"width_factor": Range(2, 64, 4, "assistant width = factor × student width", integer=True),
             **KD.hyper}

    def train(self, core, seed):
        stages, labelled, family = Stages([1.0, 1.0]), core.labelled(seed), core.config.student.family
        student = core.new_student(seed)
        base_width = core.config.student.width or inspect.signature(models.FAMILIES[family]).parameters["width"].default
        helper = core.new_student(seed, family, base_width * self.width_factor)
        yield from stages.run(0, core.fit(helper, self.kd(), seed, labelled=labelled, evaluate=False))
        helper_logits = predict_logits(helper, core.data.x_train)
        return (yield from stages.run(1, core.fit(student, self.kd(), seed, labelled=labelled,
                                                  teacher_logits=helper_logits, evaluate=False)))


class Cohort(nn.Module):
    """Two students trained as one module so `fit` trains them jointly: `cohort(x)` gives the first
    student's logits (what fit evaluates); with features=True the "features" are both students'
    logits [z_a, z_b] (B, C) each, which is all mutual learning compares."""

    def __init__(self, first: nn.Module, second: nn.Module):
        super().__init__()
        self.first, self.second = first, second

    def forward(self, x, features=False):
        logits = self.first(x)
        return ([logits, self.second(x)], logits) if features else logits


class MutualLearning(Distiller):
    """Deep mutual learning for a Cohort of two students, each also learning from the other:

    L = Σ_{k ∈ {a, b}} CE(y, z_k) + α · T² · KL( softmax(z_other / T) ‖ softmax(z_k / T) )

    The peer's distribution is a fixed target in each term (detached), so each KL trains only its
    own student; the paper alternates updates, this updates both at once from the same batch."""

    name = "mutual"
    consumes = frozenset({"logits", "features"})
    hyper = {"temperature": Range(0, 100, 1.0, "temperature T: softens both distributions", low_open=True),
             "alpha": Range(0, 100, 1.0, "α: weight of the mutual term")}

    def forward(self, student, teacher, target, labelled, progress=0.0):
        a, b = student["features"]
        scale = self.alpha * self.temperature**2
        return {"hard": labelled_cross_entropy(a, target, labelled) + labelled_cross_entropy(b, target, labelled),
                "mutual": scale * (softened_kl(a, b.detach(), self.temperature)
                                   + softened_kl(b, a.detach(), self.temperature))}


class Mutual(Scheme):
    """Two students from different seeds learn together from the labels and from each other; no
    teacher. The first student is the result."""
    name = "mutual"
    paper = "Zhang, Xiang, Hospedales & Lu (2018), \"Deep Mutual Learning\", CVPR"
    formula_tex = (r"\begin{gathered}\mathcal{L} = \sum_{k\in\{a,b\}} \mathrm{CE}(y, p_k) \\ +\ \alpha\,T^2\,"
                   r"\mathrm{KL}(p_{\bar k}^{T}\|p_k^{T})\end{gathered}")
    hyper = MutualLearning.hyper

    def train(self, core, seed):
        first = core.new_student(seed)
        second = core.new_student(seed + 10_000)
        method = MutualLearning(temperature=self.temperature, alpha=self.alpha)
        yield from core.fit(Cohort(first, second), method, seed, labelled=core.labelled(seed), evaluate=False)
        return first


SCHEMES = {cls.name: cls for cls in (BornAgain, Ensemble, Assistant, Mutual)}

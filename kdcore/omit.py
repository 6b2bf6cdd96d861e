"""The omitted-class experiment of Hinton, Vinyals & Dean (2015), §3.

Every image of one digit is removed from the student's transfer set; the teacher saw all ten digits.
A student trained on hard labels never hears of the digit and cannot recognise it. A distilled
student hears of it through the teacher's soft labels on the other digits ("this 8 is a little like
a 3") and recognises many test images of the digit it never saw. Its bias for that class stays too
low, since no training image ever asked for that digit first; the paper adds a constant to it.

Here the constant is chosen without any label: the smallest bias for which the student predicts the
digit on a share of the (unlabelled) training images equal to the digit's prior, 1 / classes.
"""
import dataclasses
import statistics
import time
from dataclasses import dataclass

import torch

from .config import MethodConfig, RunConfig, StudentConfig
from .core import open_run, train_student
from .events import Done
from .lab import HARD
from .schema import Range
from .train import predict_logits

OMIT_BASE = RunConfig(
    student=StudentConfig(width=256,  # a wider MLP than the Lab's: more room to carry the teacher's similarities
                          epochs=40,
                          labelled_fraction=1.0),  # every remaining image is labelled (only the omitted digit is missing)
    method=MethodConfig("kd", (("temperature", 20.0),  # a high T brings out the small "looks a bit like a 3" probabilities (paper: 20)
                               ("alpha", 1.0))))  # soft labels only: the hard labels of the other digits only teach "never 3"


@dataclass(frozen=True)
class OmitConfig:
    digit: int = 3  # the class left out of the transfer set (3, as in the paper)
    base: RunConfig = OMIT_BASE  # seeds: one hard-label and one KD student per seed

    def validate(self) -> "OmitConfig":
        self.base.validate()
        return self


def prior_matching_bias(logits: torch.Tensor, digit: int, prior: float) -> float:
    """Smallest bias b added to column `digit` of logits (N, C) such that a share `prior` of the rows
    predict `digit`. Row i predicts it once b > max_{j≠digit} z_ij − z_i,digit (its "gap"), so b is the
    k-th smallest gap, k = round(prior · N). Uses no labels."""
    others = logits.clone()
    others[:, digit] = float("-inf")
    gaps = (others.max(1).values - logits[:, digit]).sort().values  # (N,)
    k = max(1, round(prior * len(gaps)))
    return max(0.0, gaps[k - 1].item() + 1e-4)


def _scores(logits: torch.Tensor, y: torch.Tensor, digit: int, bias: float) -> dict:
    predicted = logits.clone()
    predicted[:, digit] += bias
    correct = predicted.argmax(1) == y
    return {"on_digit": correct[y == digit].float().mean().item(), "overall": correct.float().mean().item()}


def run_omit(config: OmitConfig, data=None):
    """Generator of events (phase "hard"/"kd" per seed); Done carries a dict: means over seeds and a
    per_seed list (see the keys below)."""
    config.validate()
    base, digit = config.base, config.digit
    start = time.perf_counter()
    runs = [(seed, phase) for seed in base.seeds for phase in ("hard", "kd")]

    def check(data):
        Range(0, data.num_classes - 1, integer=True).check("omitted class", digit)

    core, stages = yield from open_run(base, data, len(runs), teacher_weight=0.0, check=check)
    data, teacher = core.data, core.teacher
    keep = data.y_train != digit  # (N,) the transfer set: every image but the omitted digit's
    prior = 1 / data.num_classes
    per_seed = []
    for i, (seed, phase) in enumerate(runs):
        method = HARD if phase == "hard" else base.method
        student = yield from stages.run(i + 1, train_student(core, method, seed, keep=keep, evaluate=False),
                                        phase=phase, seed=seed)
        bias = prior_matching_bias(predict_logits(student, data.x_train), digit, prior)  # labels unused
        logits = core.test_logits(student)
        raw, corrected = _scores(logits, data.y_test, digit, 0.0), _scores(logits, data.y_test, digit, bias)
        if phase == "hard":
            per_seed.append({"seed": seed})
        per_seed[-1].update({f"{phase}_accuracy_on_digit": raw["on_digit"], f"{phase}_accuracy_overall": raw["overall"],
                             f"{phase}_accuracy_on_digit_bias_corrected": corrected["on_digit"],
                             f"{phase}_accuracy_overall_bias_corrected": corrected["overall"], f"{phase}_bias": bias})
    means = {key: statistics.fmean(row[key] for row in per_seed) for key in per_seed[0] if key != "seed"}
    result = {"digit": digit, **means, "teacher_accuracy_on_digit": _scores(teacher.test_logits, data.y_test, digit, 0.0)["on_digit"],
              "digit_test_images": int((data.y_test == digit).sum()), "transfer_set_size": int(keep.sum()),
              "test_set": data.test_set.to_dict(), "per_seed": per_seed, "seconds": time.perf_counter() - start,
              "config": dataclasses.asdict(config)}
    yield Done(result=result)

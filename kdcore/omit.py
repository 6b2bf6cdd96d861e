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
from dataclasses import dataclass, field

import torch

from . import data as datasets
from .device import resolve
from .errors import ConfigError
from .lab import LabConfig, train_student
from .teacher import train_teacher
from .train import predict_logits


@dataclass(frozen=True)
class OmitConfig:
    digit: int = 3  # the class left out of the transfer set (3, as in the paper)
    seeds: tuple[int, ...] = (0,)  # one hard-label and one KD student per seed
    base: LabConfig = field(default_factory=lambda: LabConfig(
        student_width=256,  # a wider MLP than the Lab's: more room to carry the teacher's similarities
        temperature=20.0,  # a high T brings out the small "looks a bit like a 3" probabilities (paper: 20)
        alpha=1.0,  # soft labels only: the hard labels of the other digits only teach "never 3"
        epochs=40,
        labelled_fraction=1.0))  # every remaining image is labelled (only the omitted digit is missing)

    def validate(self) -> "OmitConfig":
        self.base.validate()
        if not self.seeds:
            raise ConfigError("Give at least one seed.")
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


def run_omit(config: OmitConfig, data: datasets.Dataset | None = None):
    """Generator of records (phase teacher/hard/kd with "overall" progress 0–1); the last (final=True)
    has "result": means over seeds and a per_seed list (see the keys below)."""
    config.validate()
    base, digit = config.base, config.digit
    device = resolve(base.device)
    start = time.perf_counter()
    if data is None:
        data = datasets.load(base.dataset, data_dir=base.data_dir, test_idx=base.test_idx, subset=base.subset)
    if not 0 <= digit < data.num_classes:
        raise ConfigError(f"The omitted class must be between 0 and {data.num_classes - 1}, got {digit}.")
    teacher = None
    for record in train_teacher(base.teacher, data, device):
        teacher = record.get("teacher")
        yield {**record, "overall": 0.0, "final": False}

    keep = data.y_train != digit  # (N,) the transfer set: every image but the omitted digit's
    x, y, soft = data.x_train[keep], data.y_train[keep], teacher.train_logits[keep]
    prior = 1 / data.num_classes
    runs = [(seed, phase) for seed in config.seeds for phase in ("hard", "kd")]
    per_seed = []
    for i, (seed, phase) in enumerate(runs):
        student, records, _ = train_student(base, "baseline" if phase == "hard" else "kd", seed, x, y, soft,
                                            device=device)
        for record in records:
            yield {**record, "phase": phase, "seed": seed, "final": False, "overall": (i + record["progress"]) / len(runs)}
        bias = prior_matching_bias(predict_logits(student, data.x_train), digit, prior)  # labels unused
        logits = predict_logits(student, data.x_test)
        raw, corrected = _scores(logits, data.y_test, digit, 0.0), _scores(logits, data.y_test, digit, bias)
        if phase == "hard":
            per_seed.append({"seed": seed})
        per_seed[-1].update({f"{phase}_accuracy_on_digit": raw["on_digit"], f"{phase}_accuracy_overall": raw["overall"],
                             f"{phase}_accuracy_on_digit_bias_corrected": corrected["on_digit"],
                             f"{phase}_accuracy_overall_bias_corrected": corrected["overall"], f"{phase}_bias": bias})
    means = {key: statistics.fmean(row[key] for row in per_seed) for key in per_seed[0] if key != "seed"}
    result = {"digit": digit, **means, "teacher_accuracy_on_digit": _scores(teacher.test_logits, data.y_test, digit, 0.0)["on_digit"],
              "digit_test_images": int((data.y_test == digit).sum()), "transfer_set_size": int(keep.sum()),
              "test_set": data.test_description, "per_seed": per_seed, "seconds": time.perf_counter() - start,
              "config": dataclasses.asdict(config)}
    yield {"phase": "done", "overall": 1.0, "final": True, "result": result}

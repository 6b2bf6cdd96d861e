"""The Distillation Lab experiment, the three steps of the source article made runnable:
1) pretrain the teacher, 2) generate soft labels, 3) train the student — twice, on hard labels only
and with distillation, with equal compute, for each seed.

The default is the setting where distillation clearly helps on real data: the student may use the
labels of only 10 % of the training images, while the teacher's soft labels cover every image (the
transfer set). Soft targets then act as a strong regulariser (Hinton et al. 2015, §3 and §6).
"""
import statistics
import time
from dataclasses import asdict, dataclass

import torch

from . import profile, readout
from .config import MethodConfig, RunConfig, student_epochs
from .core import agreement, open_run, train_student
from .data import TestSet, test_set_of
from .events import Done, Partial, Phase, recorded
from .teacher import Teacher

HARD = MethodConfig("hard", ())


@dataclass(eq=False)
class LabResult:
    config: RunConfig
    test_set: TestSet
    teacher: Teacher
    teacher_profile: dict  # params, flops, latency_ms
    student_profile: dict
    per_seed: list[dict]  # seed, labelled, baseline_accuracy, kd_accuracy, baseline_agreement, kd_agreement
    curves: list[dict]  # phase, seed, epoch, accuracy (held-out slice, per epoch)
    kd_student_state: dict  # weights of the last seed's distilled student, for export
    seconds: float

    def mean_sd(self, key: str) -> tuple[float, float]:
        values = [row[key] for row in self.per_seed]
        return statistics.fmean(values), (statistics.stdev(values) if len(values) > 1 else 0.0)

    def readout(self) -> dict:
        """The numbers the plain-words panel reads: gain in points, share of the teacher's accuracy
        the student keeps, its size relative to the teacher, and a verdict: "gain" or "loss" when
        the difference exceeds twice the noise (kdcore.readout), else "noise"."""
        kd, kd_sd = self.mean_sd("kd_accuracy")
        base, base_sd = self.mean_sd("baseline_accuracy")
        level = readout.noise(kd, len(self.teacher.test_logits) * len(self.per_seed), kd_sd, base_sd)
        return {"gain_points": 100 * (kd - base), "noise_points": 100 * level, "verdict": readout.verdict(kd - base, level),
                "kept_percent": 100 * kd / self.teacher.test_accuracy,
                "size_percent": 100 * self.student_profile["params"] / self.teacher_profile["params"]}

    def to_dict(self) -> dict:
        """JSON-ready summary (CLI `--json`)."""
        base, base_sd = self.mean_sd("baseline_accuracy")
        kd, kd_sd = self.mean_sd("kd_accuracy")
        return {"teacher_accuracy": self.teacher.test_accuracy, "baseline_accuracy": base, "baseline_sd": base_sd,
                "kd_accuracy": kd, "kd_sd": kd_sd, "per_seed": self.per_seed,
                "teacher_params": self.teacher_profile["params"], "student_params": self.student_profile["params"],
                "teacher_flops": self.teacher_profile["flops"], "student_flops": self.student_profile["flops"],
                "teacher_latency_ms": self.teacher_profile["latency_ms"],
                "student_latency_ms": self.student_profile["latency_ms"],
                "teacher_cached": self.teacher.cached, "test_set": self.test_set.to_dict(),
                "seconds": self.seconds, "config": asdict(self.config), **self.readout()}


def to_state(result: LabResult) -> dict:
    """Plain data (kdcore.saved) from which `from_state` rebuilds everything the Lab page shows:
    the teacher's test logits and the distilled student's weights, but not the teacher's model."""
    teacher = result.teacher
    return {"config": asdict(result.config), "test_set": result.test_set.to_dict(),
            "teacher": {"test_logits": teacher.test_logits.cpu(), "test_accuracy": teacher.test_accuracy,
                        "seconds": teacher.seconds, "cached": teacher.cached, "curve": teacher.curve},
            "teacher_profile": result.teacher_profile, "student_profile": result.student_profile,
            "per_seed": result.per_seed, "curves": result.curves, "kd_student_state": result.kd_student_state,
            "seconds": result.seconds}


def from_state(state: dict) -> LabResult:
    """The LabResult `to_state` saved (its teacher has no model); raises KeyError, TypeError or
    ValueError for malformed data."""
    t = state["teacher"]
    teacher = Teacher(None, torch.empty(0), t["test_logits"], float(t["test_accuracy"]), float(t["seconds"]),
                      bool(t["cached"]), list(t["curve"]))
    return LabResult(RunConfig.from_dict(state["config"]), test_set_of(state["test_set"]), teacher,
                     dict(state["teacher_profile"]), dict(state["student_profile"]), list(state["per_seed"]),
                     list(state["curves"]), dict(state["kd_student_state"]), float(state["seconds"]))


def run_lab(config: RunConfig, data=None):
    """Generator of events: data, teacher, soft labels, then per seed a hard-label student (phase
    "baseline") and a distilled one (phase "kd", the config's method), equal steps; a Partial(LabResult)
    after each complete seed (a Stop keeps those), then Done(LabResult)."""
    runs = [(seed, phase) for seed in config.seeds for phase in ("baseline", "kd")]
    start = time.perf_counter()
    core, stages = yield from open_run(config, data, len(runs), teacher_weight=0.5)
    # the result records the epochs the students trained (the images' default when the config leaves them open)
    config = config.replace(**{"student.epochs": student_epochs(config.student, core.data.in_shape[0])})
    teacher = core.teacher
    yield stages.phase(1, "soft_labels", info={"soft_labels": teacher.train_logits.shape[0]})
    per_seed, curves, profiles = [], [], None
    for i, (seed, phase) in enumerate(runs):
        method = HARD if phase == "baseline" else config.method
        student = yield from recorded(stages.run(i + 1, train_student(core, method, seed), phase=phase, seed=seed), curves)
        logits = core.test_logits(student)
        if phase == "baseline":
            per_seed.append({"seed": seed, "labelled": int(core.labelled(seed).sum())})
        per_seed[-1][f"{phase}_accuracy"] = (logits.argmax(1) == core.data.y_test).float().mean().item()
        per_seed[-1][f"{phase}_agreement"] = agreement(logits, teacher.test_logits)
        if phase == "kd":  # a seed is complete: a Stop from here on keeps it
            if profiles is None:
                yield Phase(progress=stages.at(i + 1, 1.0), phase="profile")
                profiles = profile.profile(teacher.model, core.data.in_shape), profile.profile(student, core.data.in_shape)
            result = LabResult(config, core.data.test_set, teacher, *profiles, list(per_seed), list(curves),
                               {k: v.cpu() for k, v in student.state_dict().items()}, time.perf_counter() - start)
            yield Partial(progress=stages.at(i + 1, 1.0), result=result)
    yield Done(result=result)

"""What a gallery card declares: the paper, its claim (English and Chinese), the paper's own figure
with where it stands in the paper, our scaled setup, what differs from the paper, the verdict
rule (fixed before running) and a runner built on the run core.

A card's `measure(config, seed, data)` is a generator of typed events (composed with `Stages`)
that returns a `Measurement`: one accuracy per arm for that seed, measured on `n` test predictions.
"""
import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from ..config import MethodConfig, RunConfig, TeacherConfig
from ..core import open_run, train_student
from ..teacher import train_teacher
from .verdict import Effect


@dataclass(frozen=True)
class Figure:
    """The paper's number, as data with its citation."""
    value: float | None  # the headline in our unit (points of accuracy); None where the paper gives no comparable number
    text: str  # the paper's figure as it reports it, e.g. "146 → 74 test errors of 10,000"
    source: str  # where: section, table, row


@dataclass(frozen=True)
class Measurement:
    values: dict  # {arm: accuracy in [0, 1]} for one seed
    n: int  # test predictions behind each accuracy


@dataclass(frozen=True)
class Card:
    name: str
    paper: str  # authors (year), title, venue
    claim: dict  # {"en": ..., "zh": ...}: the paper's finding in one sentence
    figure: Figure
    setup: dict  # {"en", "zh"}: our scaled setup
    differs: dict  # {"en", "zh"}: what differs from the paper, and why a small run may not show the effect
    config: RunConfig  # data, teacher, student, method and device; seeds come from the caller
    arms: tuple[str, ...]  # what each seed measures (accuracies), in display order
    rule: Effect  # the verdict rule
    measure: Callable  # (config, seed, data) -> generator of events returning a Measurement
    headline: str | None = None  # an arm shown as the headline level instead of the effect (e.g. accuracy on the omitted digit)
    share_of: str | None = None  # an arm: the effect is also reported as a share of (this arm − worse), e.g. of an ensemble's gain
    link: tuple[str, dict] = ("lab", {})  # the page where a learner varies it, and its URL settings
    version: int = 1  # bump when the runner changes: cached results of older versions are ignored
    load: Callable | None = None  # (config) -> the data every seed's runner gets, loaded once a run (default: config.load_data())


def compare_methods(arms: dict[str, MethodConfig], transfer_set: Callable | None = None):
    """A card runner that trains one student per arm with a registered method or scheme, from the
    config's teacher, and measures each on the test set. transfer_set(core, seed) may restrict the
    images the students see (an (N_train,) bool mask)."""

    def measure(config: RunConfig, seed: int, data):
        core, stages = yield from open_run(config, data, len(arms), teacher_weight=0.5)
        keep = None if transfer_set is None else transfer_set(core, seed)
        values = {}
        for i, (arm, method) in enumerate(arms.items()):
            student = yield from stages.run(i + 1, train_student(core, method, seed, keep=keep), phase=arm, seed=seed)
            values[arm] = core.accuracy(student)
        return Measurement(values, len(core.data.y_test))

    return measure


def compare_teachers(other: TeacherConfig, arms: tuple[str, str, str, str]):
    """A card runner with two teachers on the same data, the config's and `other`, and one student
    (the config's method) distilled from each. arms: (teacher, other teacher, student of the first,
    student of the other); the teachers' own accuracies are measured too."""

    def measure(config: RunConfig, seed: int, data):
        core, stages = yield from open_run(config, data, 3, teacher_weight=0.5)
        second = yield from stages.run(1, train_teacher(dataclasses.replace(other, seed=config.teacher.seed), core.data,
                                                        core.device), phase=arms[1])
        values = {arms[0]: core.teacher.test_accuracy, arms[1]: second.test_accuracy}
        for i, (arm, teacher) in enumerate(((arms[2], core.teacher), (arms[3], second))):
            student = yield from stages.run(i + 2, train_student(dataclasses.replace(core, teacher=teacher), config.method,
                                                                 seed), phase=arm, seed=seed)
            values[arm] = core.accuracy(student)
        return Measurement(values, len(core.data.y_test))

    return measure

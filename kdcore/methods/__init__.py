"""Registry of distillation methods: one file per method, one entry here per method.

Add a method: write `kdcore/methods/<name>.py` with a Distiller subclass that describes itself
(`name`, `paper`, `formula_tex`, `consumes`, `hyper = {key: Range(low, high, default, doc)}`;
construction validates from `hyper`), add it to METHODS below, and add its golden-value test.
Feature methods subclass `features.FeatureDistiller`; `build(name, student, teacher, in_shape)`
binds them to the models (learned projections, incompatible pairs refused) before `train.fit`,
which then optimises their parameters with the student. Cards, sliders and CLI flags are
generated from the class.
"""
from ..errors import ConfigError
from .at import AttentionTransfer
from .base import Distiller, HardLabels
from .crd import ContrastiveRD
from .dist import DIST
from .dkd import DKD
from .fitnet import FitNet
from .kd import KD
from .nst import NeuronSelectivityTransfer
from .pkt import ProbabilisticKT
from .rkd import RelationalKD
from .sp import SimilarityPreserving

METHODS: dict[str, type[Distiller]] = {cls.name: cls for cls in (
    HardLabels, KD, FitNet, AttentionTransfer, SimilarityPreserving, RelationalKD, ProbabilisticKT,
    NeuronSelectivityTransfer, DKD, DIST, ContrastiveRD)}


def get(name: str, **hyper) -> Distiller:
    """Instantiate a method by name; unknown names and hyper-parameters raise a ConfigError."""
    if name not in METHODS:
        raise ConfigError("not_a_choice", name="method", value=name, choices=", ".join(METHODS))
    return METHODS[name](**hyper)


def build(name: str, student, teacher, in_shape, **hyper) -> Distiller:
    """`get` then `bind`: a method ready for `fit` with this student and teacher (projections built,
    incompatible pairs refused)."""
    return get(name, **hyper).bind(student, teacher, in_shape)

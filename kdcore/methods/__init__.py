"""Registry of distillation methods: one file per method, one line here per method.

Add a method: write `kdcore/methods/<name>.py` with a Distiller subclass (paper in the docstring,
formula written out, keyword-only hyper-parameters, `consumes`), add it to METHODS below, and add
its golden-value test. Feature methods subclass `features.FeatureDistiller`; `build(name, student,
teacher, in_shape)` binds them to the models (learned projections, incompatible pairs refused)
before `train.fit`, which then optimises their parameters with the student.
"""
import inspect

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

METHODS: dict[str, type[Distiller]] = {
    "hard": HardLabels,
    "kd": KD,
    "fitnet": FitNet,
    "at": AttentionTransfer,
    "sp": SimilarityPreserving,
    "rkd": RelationalKD,
    "pkt": ProbabilisticKT,
    "nst": NeuronSelectivityTransfer,
    "dkd": DKD,
    "dist": DIST,
    "crd": ContrastiveRD,
}


def get(name: str, **hyper) -> Distiller:
    """Instantiate a method by name; unknown names and hyper-parameters raise a clear ConfigError."""
    if name not in METHODS:
        raise ConfigError(f"Unknown method {name!r}; valid methods: {', '.join(METHODS)}.")
    try:
        return METHODS[name](**hyper)
    except TypeError as err:
        raise ConfigError(f"Bad hyper-parameters for {name!r}: {err}.") from err


def build(name: str, student, teacher, in_shape, **hyper) -> Distiller:
    """`get` then `bind`: a method ready for `fit` with this student and teacher (projections built,
    incompatible pairs refused)."""
    return get(name, **hyper).bind(student, teacher, in_shape)


def hyper_parameters(name: str) -> dict:
    """{hyper-parameter: default} of a registered method, read from its signature."""
    parameters = inspect.signature(METHODS[name].__init__).parameters.values()
    return {p.name: p.default for p in parameters if p.kind is p.KEYWORD_ONLY}

"""Registry of distillation methods: one file per method, one line here per method.

Add a method: write `kdcore/methods/<name>.py` with a Distiller subclass (paper in the docstring,
formula written out, keyword-only hyper-parameters, `consumes`), add it to METHODS below, and add
its golden-value test.
"""
from ..errors import ConfigError
from .base import Distiller, HardLabels
from .kd import KD

METHODS: dict[str, type[Distiller]] = {
    "hard": HardLabels,
    "kd": KD,
}


def get(name: str, **hyper) -> Distiller:
    """Instantiate a method by name; unknown names and hyper-parameters raise a clear ConfigError."""
    if name not in METHODS:
        raise ConfigError(f"Unknown method {name!r}; valid methods: {', '.join(METHODS)}.")
    try:
        return METHODS[name](**hyper)
    except TypeError as err:
        raise ConfigError(f"Bad hyper-parameters for {name!r}: {err}.") from err

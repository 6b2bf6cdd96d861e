"""Every trainable entry by name: the loss methods (kdcore.methods, "hard" included) and the
training schemes (kdcore.schemes). `train(core, MethodConfig, seed)` trains a student with either;
nothing else in kdcore needs to know which kind a name is."""
from . import methods, schemes
from .errors import ConfigError
from .rng import seeded

ENTRIES = {**methods.METHODS, **schemes.SCHEMES}


def get(name: str):
    """The class of a registered method or scheme; an unknown name is a clear ConfigError."""
    if name not in ENTRIES:
        raise ConfigError("not_a_choice", name="method", value=name, choices=", ".join(ENTRIES))
    return ENTRIES[name]


def check_entry(name: str, hyper: dict) -> None:
    """Validate a name and its hyper-parameters from the class's own `hyper` declaration."""
    get(name)(**hyper)


def train(core, method, seed: int, keep=None, evaluate: bool = True):
    """Generator: one student for `seed` with `method` (a MethodConfig); returns the student."""
    cls = get(method.name)
    if method.name in schemes.SCHEMES:
        return (yield from cls(**method.params).train(core, seed))
    labelled = core.labelled(seed, None if keep is None else core.data.y_train[keep])
    with seeded(seed):  # the student's weights, then the method's own (regressors, projections)
        student = core.new_student(seed)
        distiller = methods.build(method.name, student, core.teacher.model, core.data.in_shape, **method.params)
    return (yield from core.fit(student, distiller, seed, labelled=labelled, keep=keep, evaluate=evaluate))

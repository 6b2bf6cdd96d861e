"""Errors a learner can cause, as data: a code and its parameters. kdcore writes the English message
(CLI, logs); kdapp translates the code for the interface (`kdapp/strings/errors.json`). Anything
that is not a KDLabError is a bug.

Add an error: a line in MESSAGES, its Chinese text in `kdapp/strings/errors.json` (a test checks
that every code has one, with the same placeholders), then `raise ConfigError("code", name=...)`.
"""

MESSAGES = {
    # settings
    "out_of_range": "{name} must be in {interval}, got {value}.",
    "not_a_choice": "Unknown {name} {value!r}; choose one of {choices}.",
    "unknown_hyper": "{method!r} has no hyper-parameter {key!r}; it has: {known}.",
    "no_seeds": "Give at least one seed.",
    "no_values": "A sweep needs at least one value and one seed.",
    "set_syntax": "--set expects METHOD.PARAMETER=NUMBER (e.g. at.beta=500), got {item!r}.",
    "needs_teacher": "{method} needs the teacher model (or its precomputed logits without augmentation).",
    "needs_spatial": "{method} compares spatial feature maps, which this student or teacher does not have; "
                     "compatible models: {families}.",
    "not_bound": "{method}: call method.bind(student, teacher, in_shape) before training.",
}


class KDLabError(Exception):
    """Base class. `KDLabError(code, **params)`: the message is MESSAGES[code] filled with params.
    A plain sentence instead of a code is accepted (code "message") for errors not yet catalogued."""

    def __init__(self, code: str, **params):
        self.code, self.params = (code, params) if code in MESSAGES else ("message", {"text": code})
        super().__init__(MESSAGES[code].format(**params) if code in MESSAGES else code)


class ConfigError(KDLabError, ValueError):
    """A setting is out of range or unknown (bad slider value, bad CLI option, bad method name)."""


class DataUnavailable(KDLabError):
    """A dataset's files are missing or unreadable; the message names the files and where to put them."""

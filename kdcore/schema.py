"""Declared settings: each bound or list of choices is written once, next to its default, and every
check and message comes from it. Methods declare `hyper = {name: Range(...)}`; config dataclasses
declare `field(default=..., metadata=bounded(Range(...)))`; pages and the CLI read the same
declarations to build sliders and flags.
"""
import dataclasses
import math
from dataclasses import dataclass

from .errors import ConfigError


@dataclass(frozen=True)
class Range:
    """A number in [low, high] (or (low, high] when low_open); integer=True asks for a whole number."""
    low: float
    high: float
    default: float | None = None
    doc: str = ""  # one line in English; the interface translates it by the setting's name
    low_open: bool = False
    integer: bool = False

    @property
    def interval(self) -> str:
        return f"{'(' if self.low_open else '['}{self.low:g}, {self.high:g}]"

    def check(self, name: str, value):
        """The value, as int or float, or a ConfigError("out_of_range" or "out_of_range_int") naming the setting."""
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = math.nan
        above_low = self.low < number if self.low_open else self.low <= number
        whole = not self.integer or number == int(number)
        if not (above_low and number <= self.high and whole):
            raise ConfigError("out_of_range_int" if self.integer else "out_of_range", name=name,
                              interval=self.interval, value=value)
        return int(number) if self.integer else number


@dataclass(frozen=True)
class Choice:
    """One of a fixed set of names (a dataset, a model family)."""
    options: tuple
    doc: str = ""

    def check(self, name: str, value):
        if value not in self.options:
            raise ConfigError("not_a_choice", name=name, value=value, choices=", ".join(map(str, self.options)))
        return value


MAX_SEEDS = 20  # seeds of one run, values of one sweep: a cap on what one request may ask of a shared server
SEED = Range(0, 2**31 - 1, integer=True)


def check_seeds(seeds) -> None:
    """At least one and at most MAX_SEEDS seeds, each a whole number in SEED's range."""
    if not seeds:
        raise ConfigError("no_seeds")
    if len(seeds) > MAX_SEEDS:
        raise ConfigError("too_many_seeds", count=len(seeds), limit=MAX_SEEDS)
    for seed in seeds:
        SEED.check("seed", seed)


def bounded(rule: Range | Choice, optional: bool = False) -> dict:
    """Field metadata: `field(default=30, metadata=bounded(Range(1, 1000, integer=True)))`."""
    return {"rule": rule, "optional": optional}


def check_fields(config) -> None:
    """Check every declared field of a dataclass instance (None passes where declared optional), and
    recurse into nested config dataclasses."""
    for f in dataclasses.fields(config):
        value = getattr(config, f.name)
        if dataclasses.is_dataclass(value):
            check_fields(value)
        rule = f.metadata.get("rule")
        if rule is not None and not (value is None and f.metadata.get("optional")):
            rule.check(f.name.replace("_", " "), value)


def apply_hyper(obj, given: dict) -> None:
    """Check `given` hyper-parameters against `obj.hyper` ({name: Range}) and set each one (or its
    default) as an attribute; an unknown name is a ConfigError listing the known ones."""
    for key in given:
        if key not in obj.hyper:
            raise ConfigError("unknown_hyper", method=getattr(obj, "name", type(obj).__name__), key=key,
                              known=", ".join(obj.hyper) or "none")
    for key, rule in obj.hyper.items():
        setattr(obj, key, rule.check(key, given.get(key, rule.default)))

"""The gallery's result cache: one signed entry (kdcore.cache) per card, config and seed, so a
second visit is instant and a stopped run keeps its finished seeds. An entry is used only when its
signature checks out (an edited accuracy is refused) and it is exactly what `save` writes (its
card, version, seed and arms; accuracies in [0, 1]); otherwise the seed runs again."""
import dataclasses
import math
from pathlib import Path

from .. import cache
from .card import Card, Measurement

FORMAT = "kdlab-gallery-seed"
KEYS = {"format", "card", "version", "seed", "values", "n", "seconds"}


def key(card: Card, config, seed: int) -> str:
    settings = dataclasses.asdict(dataclasses.replace(config, seeds=(seed,), device="any"))
    return cache.config_key(f"gallery-{card.name}", {"card": card.name, "version": card.version, "config": settings})


def _valid(entry, card: Card, seed: int) -> bool:
    if not isinstance(entry, dict) or set(entry) != KEYS or entry["format"] != FORMAT:
        return False
    values, n, seconds = entry["values"], entry["n"], entry["seconds"]
    return (entry["card"] == card.name and entry["version"] == card.version
            and type(entry["seed"]) is int and entry["seed"] == seed
            and isinstance(values, dict) and set(values) == set(card.arms)
            and all(type(v) is float and 0.0 <= v <= 1.0 for v in values.values())
            and type(n) is int and n > 0
            and type(seconds) is float and math.isfinite(seconds) and seconds >= 0)


def entry(card: Card, seed: int, measurement: Measurement, seconds: float) -> dict:
    """One seed's result as plain data: what the cache holds, and a saved gallery view too."""
    return {"format": FORMAT, "card": card.name, "version": card.version, "seed": seed,
            "values": {arm: float(measurement.values[arm]) for arm in card.arms}, "n": int(measurement.n),
            "seconds": float(seconds)}


def parse(data, card: Card, seed: int) -> tuple[Measurement, float] | None:
    """(measurement, seconds it took) from an entry, or None when it is not exactly what `entry` writes."""
    if not _valid(data, card, seed):
        return None
    return Measurement(dict(data["values"]), data["n"]), data["seconds"]


def load(card: Card, config, seed: int) -> tuple[Measurement, float] | None:
    """(measurement, seconds it took) from the cache, or None when absent or refused."""
    return parse(cache.load(key(card, config, seed))[0], card, seed)


def save(card: Card, config, seed: int, measurement: Measurement, seconds: float) -> Path:
    """Write atomically (a stopped run never leaves half an entry); returns the entry's path."""
    return cache.save(key(card, config, seed), entry(card, seed, measurement, seconds))

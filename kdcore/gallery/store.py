"""The gallery's result cache: one plain JSON file per card, config and seed, so a second visit
is instant and a stopped run keeps its finished seeds. Files are read as hostile: anything that
is not exactly what `save` writes (too big, not JSON, other keys, wrong types, accuracies outside
[0, 1], other arms) is refused and the seed runs again."""
import dataclasses
import json
import math
import os
import tempfile
from pathlib import Path

from ..cache import config_key
from ..paths import cache_dir
from .card import Card, Measurement

FORMAT = "kdlab-gallery-seed"
MAX_BYTES = 64 * 1024
KEYS = {"format", "card", "version", "seed", "values", "n", "seconds"}


def key(card: Card, config, seed: int) -> str:
    settings = dataclasses.asdict(dataclasses.replace(config, seeds=(seed,), device="any"))
    return config_key(f"gallery-{card.name}", {"card": card.name, "version": card.version, "config": settings})


def path_for(card: Card, config, seed: int) -> Path:
    folder = cache_dir() / "gallery"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{key(card, config, seed)}.json"


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


def load(card: Card, config, seed: int) -> tuple[Measurement, float] | None:
    """(measurement, seconds it took) from the cache, or None when absent or refused."""
    path = path_for(card, config, seed)
    try:
        if not path.is_file() or path.stat().st_size > MAX_BYTES:
            return None
        entry = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):  # unreadable, not UTF-8, not JSON (json rejects nothing else)
        return None
    if not _valid(entry, card, seed):
        return None
    return Measurement(dict(entry["values"]), entry["n"]), entry["seconds"]


def save(card: Card, config, seed: int, measurement: Measurement, seconds: float) -> Path:
    """Write atomically (temporary file + rename): a stopped run never leaves half a file."""
    path = path_for(card, config, seed)
    entry = {"format": FORMAT, "card": card.name, "version": card.version, "seed": seed,
             "values": {arm: float(measurement.values[arm]) for arm in card.arms}, "n": int(measurement.n),
             "seconds": float(seconds)}
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".json")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(entry, out, allow_nan=False)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path

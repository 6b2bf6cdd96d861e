"""Published results: a finished run is kept on this server under its exact settings and data, so a
learner who opens a link with the same settings sees that run at once instead of training it again.

Seeded runs give the same result under any load (kdcore.rng), so the published run is the one the
learner's own Train would produce here. Entries are signed cache entries (kdcore.cache): plain data
only, checked before use. Only runs on built-in datasets are published (`publishable`): a learner's
own images, and anything computed from them, never reach another learner.

    published.publish(("lab", config, data.fingerprint), lab.to_state(result))
    found = published.find(("lab", config, data.fingerprint))   # (state, finished at) or None
"""
import time

from . import cache
from .data import LOADERS


def publishable(config) -> bool:
    """A run on a built-in dataset (not a learner's upload or folder)."""
    return config.data.dataset in LOADERS


def _key(share) -> str:
    return cache.config_key("published", {"share": share})


def publish(share, state: dict) -> None:
    cache.save(_key(share), {"state": state, "at": time.time()})


def find(share) -> tuple[dict, float] | None:
    """(the published state, when it was published) for exactly these settings and data, or None
    (none, or an entry that failed its check: the cache moves that one aside)."""
    entry, _ = cache.load(_key(share))
    if not isinstance(entry, dict) or not isinstance(entry.get("state"), dict):
        return None
    return entry["state"], float(entry.get("at", 0.0))

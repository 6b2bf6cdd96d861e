"""Disk cache for trained artefacts, keyed by a hash of the config that produced them.

Writes are atomic (temporary file + rename): an interrupted or failed run never leaves a partial
entry behind, so the next run either finds a whole artefact or trains afresh.
"""
import dataclasses
import hashlib
import json
import os
import tempfile
from pathlib import Path

import torch

from .paths import cache_dir


def config_key(kind: str, config) -> str:
    """Stable short hash of a (data)class or dict config, prefixed by the artefact kind."""
    payload = dataclasses.asdict(config) if dataclasses.is_dataclass(config) else dict(config)
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
    return f"{kind}-{digest[:16]}"


def path_for(key: str) -> Path:
    return cache_dir() / f"{key}.pt"


def load(key: str):
    """The cached object, or None when absent or unreadable (a corrupt entry is removed)."""
    path = path_for(key)
    if not path.exists():
        return None
    try:
        return torch.load(path, map_location="cpu", weights_only=True)
    except Exception:
        path.unlink(missing_ok=True)
        return None


def save(key: str, obj) -> Path:
    path = path_for(key)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pt")
    os.close(fd)
    try:
        torch.save(obj, tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path

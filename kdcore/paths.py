"""Where KD Lab keeps its files: caches (trained models), user data (progress) and datasets.

Each location can be overridden by an environment variable so tests and classrooms can point
KD Lab at a scratch or shared folder.
"""
import os
from pathlib import Path

import platformdirs


def _dir(env: str, default: str) -> Path:
    path = Path(os.environ.get(env) or default).expanduser()
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """Trained teachers and other reproducible artefacts (safe to delete)."""
    return _dir("KDLAB_CACHE_DIR", platformdirs.user_cache_dir("kdlab"))


def user_data_dir() -> Path:
    """A learner's own state, e.g. drill progress (not safe to delete)."""
    return _dir("KDLAB_USER_DIR", platformdirs.user_data_dir("kdlab"))


def data_dir() -> Path:
    """Downloaded or hand-copied datasets (torchvision layout)."""
    return _dir("KDLAB_DATA_DIR", str(Path(platformdirs.user_cache_dir("kdlab")) / "data"))

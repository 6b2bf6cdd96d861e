"""Saved views: a learner's finished results kept on disk, so a browser reload loses nothing.

One browser holds one random token (the interface keeps it in a cookie). Its views live in
`<user data>/views/<sha256(token)[:32]>/<name>.pt`; the token itself is never written, so knowing a
folder's name gives nobody else its contents, and a link carries no token at all.

A view is plain data — dicts, lists, tuples, strings, numbers, booleans, None and tensors — written
with `torch.save` and read back with `torch.load(weights_only=True)`, which builds nothing but such
data: a tampered file cannot run code. A file that is unreadable, too large or not a dict raises
`SavedCorrupt`; the caller skips it with a notice. Folders untouched for `KEEP_DAYS` are pruned.
"""
import hashlib
import os
import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path

import torch

from .errors import KDLabError
from .paths import user_data_dir

TOKEN = re.compile(r"[A-Za-z0-9_-]{32,64}")
NAME = re.compile(r"[a-z0-9_]{1,48}")
MAX_BYTES = 64 * 2**20  # one view; the largest is an NLP run with its teacher's weights (≈4 MB)
KEEP_DAYS = 30


class SavedCorrupt(KDLabError):
    """A saved view cannot be read back (it is skipped and removed, the page starts without it), or
    cannot be written (the page shows its result all the same)."""


def new_token() -> str:
    return secrets.token_urlsafe(24)  # 32 characters, 192 random bits


def valid_token(value) -> bool:
    return isinstance(value, str) and TOKEN.fullmatch(value) is not None


def default_root() -> Path:
    return user_data_dir() / "views"


class SavedViews:
    """The views of the browser holding `token`."""

    def __init__(self, token: str, root: Path | None = None):
        if not valid_token(token):
            raise ValueError("not a view token")
        self.root = Path(root or default_root())
        self.folder = self.root / hashlib.sha256(token.encode()).hexdigest()[:32]

    def _path(self, name: str) -> Path:
        if NAME.fullmatch(name) is None:
            raise ValueError(f"not a view name: {name!r}")
        return self.folder / f"{name}.pt"

    def save(self, name: str, data: dict) -> None:
        """Write atomically (a crash leaves the previous version)."""
        path = self._path(name)
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                torch.save(data, out)
            os.replace(temporary, path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)

    def load(self, name: str) -> dict | None:
        """The view, or None when there is none; raises SavedCorrupt (and removes the file) when it
        cannot be read as plain data."""
        path = self._path(name)
        if not path.is_file():
            return None
        try:
            if path.stat().st_size > MAX_BYTES:
                raise ValueError(f"larger than {MAX_BYTES:,} bytes")
            data = torch.load(path, map_location="cpu", weights_only=True)
            if not isinstance(data, dict):
                raise ValueError("not a dict")
        except Exception as err:  # any unreadable file: pickle errors, truncation, foreign types
            path.unlink(missing_ok=True)
            raise SavedCorrupt("saved_corrupt", name=name, reason=str(err)[:200]) from err
        os.utime(self.folder)  # in use: not pruned
        return data

    def delete(self, name: str) -> None:
        self._path(name).unlink(missing_ok=True)

    def names(self) -> dict[str, float]:
        """{view name: when it was saved (seconds since the epoch)}, newest first."""
        files = sorted(self.folder.glob("*.pt"), key=lambda p: -p.stat().st_mtime) if self.folder.is_dir() else []
        return {p.stem: p.stat().st_mtime for p in files}


def prune(root: Path | None = None, days: float = KEEP_DAYS, now: float | None = None) -> int:
    """Remove view folders untouched for `days`; returns how many."""
    root, now = Path(root or default_root()), time.time() if now is None else now
    removed = 0
    for folder in root.glob("*") if root.is_dir() else ():
        if folder.is_dir() and now - folder.stat().st_mtime > days * 86400:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed

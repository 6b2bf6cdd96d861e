"""Disk cache for trained artefacts, keyed by a hash of the config that produced them.

Entries are verified, not trusted. Each file is an HMAC-SHA256 signature line followed by a
`torch.save` payload of tensors and plain data; the signing key lives in the user-data folder
(mode 0600), not beside the entries, so whoever can write the cache folder can neither change an
entry (flipped bytes, an edited accuracy) nor plant one. A payload is read with
`torch.load(weights_only=True)` only after its signature checks out. An entry that is too large,
unsigned, mismatching or unreadable is moved aside to `discarded/` and reported as a `Notice`; the
caller retrains.

Writes are atomic (temporary file + rename). `claim(key)` makes one run compute a key while others
wait for it (single flight), across threads and processes: a file lock per key.
"""
import dataclasses
import fcntl
import hashlib
import hmac
import io
import json
import os
import secrets
import tempfile
import time
from pathlib import Path

import torch

from .events import Notice, Waiting
from .paths import cache_dir, user_data_dir

SUFFIX = ".kdc"
MAX_BYTES = 2**30  # the largest entry, an NLP teacher's output table, is tens of MB
POLL_SECONDS = 0.5


def config_key(kind: str, config) -> str:
    """Stable short hash of a (data)class or dict config, prefixed by the artefact kind."""
    payload = dataclasses.asdict(config) if dataclasses.is_dataclass(config) else dict(config)
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()
    return f"{kind}-{digest[:16]}"


def path_for(key: str) -> Path:
    return cache_dir() / f"{key}{SUFFIX}"


def exists(key: str) -> bool:
    return path_for(key).is_file()


def _signing_key() -> bytes:
    path = user_data_dir() / "cache-signing.key"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_bytes()
    with os.fdopen(fd, "wb") as out:
        secret = secrets.token_bytes(32)
        out.write(secret)
    return secret


def _sign(payload: bytes) -> bytes:
    return hmac.new(_signing_key(), payload, hashlib.sha256).hexdigest().encode()


class _Unusable(Exception):
    def __init__(self, code: str, **params):
        self.code, self.params = code, params


def _read(path: Path):
    """The verified entry at `path`; _Unusable(message code) saying why it cannot be used."""
    try:
        if path.stat().st_size > MAX_BYTES:
            raise _Unusable("cache_too_large", limit=MAX_BYTES)
        with path.open("rb") as f:
            signature, payload = f.readline().rstrip(b"\n"), f.read()
    except OSError as err:
        raise _Unusable("cache_unreadable") from err
    if not hmac.compare_digest(signature, _sign(payload)):
        raise _Unusable("cache_signature")
    try:
        return torch.load(io.BytesIO(payload), map_location="cpu", weights_only=True)
    except Exception as err:  # signed by us yet unreadable: e.g. written by a torch that stores it differently
        raise _Unusable("cache_unreadable") from err


def load(key: str) -> tuple[object | None, Notice | None]:
    """(the cached object, None); (None, None) when absent; (None, Notice) when the entry could not be
    verified: it is moved to `discarded/` and the caller computes it again."""
    path = path_for(key)
    if not path.is_file():
        return None, None
    try:
        return _read(path), None
    except _Unusable as err:
        aside = cache_dir() / "discarded" / f"{key}-{time.time_ns()}{SUFFIX}"
        aside.parent.mkdir(exist_ok=True)
        os.replace(path, aside)
        return None, Notice(code=err.code, params={**err.params, "key": key, "moved": str(aside)})


def save(key: str, obj) -> Path:
    buffer = io.BytesIO()
    torch.save(obj, buffer)
    payload = buffer.getvalue()
    path = path_for(key)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=SUFFIX)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(_sign(payload) + b"\n" + payload)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return path


class Claim:
    """The right to compute one key: an exclusive lock on its lock file until `release`."""

    def __init__(self, handle):
        self.handle = handle

    def release(self) -> None:
        if not self.handle.closed:
            fcntl.flock(self.handle, fcntl.LOCK_UN)
            self.handle.close()


def claim(key: str):
    """Generator: wait until no other run (thread or process) is computing `key`, yielding a
    Waiting event every POLL_SECONDS meanwhile; returns a Claim. Load, compute and save under it,
    then `release()`: the runs that waited find the entry and load it."""
    folder = cache_dir() / "locks"
    folder.mkdir(exist_ok=True)
    handle = open(folder / f"{key}.lock", "a")
    try:
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return Claim(handle)
            except BlockingIOError:
                yield Waiting(reason="same_run")
                time.sleep(POLL_SECONDS)
    except BaseException:
        handle.close()
        raise


def once(key: str, compute):
    """Generator: the entry under `key` — loaded when a verified one is there, else made by
    `compute()` (a generator of events that returns it) and saved — with one run at a time per key
    (the others wait, then load it). Yields compute's events, Waiting while another run holds the
    key and a Notice when an entry had to be discarded; returns (entry, whether it was cached)."""
    held = yield from claim(key)
    try:
        entry, notice = load(key)
        if notice is not None:
            yield notice
        if entry is not None:
            return entry, True
        entry = yield from compute()
        save(key, entry)
        return entry, False
    finally:
        held.release()

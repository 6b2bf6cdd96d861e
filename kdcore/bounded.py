"""Reading untrusted files within limits, before anything large is allocated.

- `read_capped`: at most `limit` bytes of a file (a device such as /dev/zero, a fifo or a huge file
  is refused after `limit + 1` bytes, never read whole).
- `npz_members`: the arrays of an .npz archive as (shape, dtype) read from each member's .npy header
  only, with the bytes they would take once loaded checked against a cap: a zip bomb or a header
  claiming terabytes is refused before a byte of array data is decompressed.
"""
import io
import zipfile
from pathlib import Path

import numpy as np

from .errors import ConfigError

MAX_NPZ_MEMBERS = 16
HEADER_READERS = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}


def read_capped(path, limit: int) -> bytes:
    """The file's bytes; ConfigError("file_too_big") past `limit`. OSError propagates (missing, unreadable)."""
    with open(path, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise ConfigError("file_too_big", file=Path(path).name, limit=limit)
    return data


def npz_members(source, label: str, max_bytes: int) -> dict[str, tuple[tuple, np.dtype]]:
    """name -> (shape, dtype) of every array in the .npz at `source` (a path or bytes), from headers only.
    ConfigError for anything that is not a small, plain .npz: not a zip, truncated, too many members,
    a member that is not .npy, object arrays, or more than `max_bytes` once loaded."""
    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, bytes) else source) as archive:
            infos = archive.infolist()
            if len(infos) > MAX_NPZ_MEMBERS:
                raise ConfigError("npz_unreadable", file=label, reason=f"{len(infos)} members, at most {MAX_NPZ_MEMBERS}")
            members, total = {}, 0
            for info in infos:
                if not info.filename.endswith(".npy"):
                    raise ConfigError("npz_unreadable", file=label, reason=f"member {info.filename[:60]!r} is not a .npy array")
                with archive.open(info) as stream:
                    version = np.lib.format.read_magic(stream)
                    if version not in HEADER_READERS:
                        raise ValueError(f"unsupported .npy format version {version}")
                    shape, _, dtype = HEADER_READERS[version](stream)
                if dtype.hasobject:
                    raise ConfigError("npz_unreadable", file=label, reason=f"{info.filename[:60]} holds Python objects")
                total += int(np.prod(shape, dtype=object)) * dtype.itemsize
                members[info.filename[:-4]] = (tuple(shape), dtype)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, KeyError) as err:
        raise ConfigError("npz_unreadable", file=label, reason=f"{type(err).__name__}: {err}"[:200]) from err
    if total > max_bytes:
        raise ConfigError("npz_arrays_too_big", file=label, size=total, limit=max_bytes)
    return members


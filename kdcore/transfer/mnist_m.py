"""Where the real MNIST-M (Ganin & Lempitsky 2015) is on this machine: an .npz with the four arrays in the data
dir (`mnist-m/mnist-m.npz` or `mnist-m.npz`) or beside the repository, or the public release's folder layout
(`mnist_m/mnist_m_train/*.png`, `mnist_m/mnist_m_train_labels.txt`, same for test), converted once to the .npz.
Nothing here reads the images until a conversion is needed; `domains` loads the .npz."""
from pathlib import Path

import numpy as np

from ..errors import ConfigError
from ..paths import data_dir as default_data_dir

MNIST_M_FILES = ("mnist-m/mnist-m.npz", "mnist-m.npz")  # looked for in the data dir, in this order
RELEASE_FOLDER = "mnist_m"  # or the public release: mnist_m_train/, mnist_m_train_labels.txt, mnist_m_test/, …
BESIDE_REPO = Path(__file__).resolve().parents[2] / ".." / "shared" / "data" / "mnist-m" / "mnist-m.npz"


def _release_split(folder: Path, split: str) -> tuple[np.ndarray, np.ndarray]:
    """One split of the public release: mnist_m_<split>/ PNGs listed with their labels in
    mnist_m_<split>_labels.txt ("00000000.png 5" per line)."""
    from PIL import Image

    listing = folder / f"mnist_m_{split}_labels.txt"
    images, labels = [], []
    for number, line in enumerate(listing.read_text(encoding="utf-8").splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 2 or Path(parts[0]).name != parts[0] or not parts[1].isdigit():
            raise ConfigError("mnist_m_listing", file=listing.name, line=number)
        with Image.open(folder / f"mnist_m_{split}" / parts[0]) as image:
            images.append(np.asarray(image.convert("RGB")))
        labels.append(int(parts[1]))
    if len({i.shape for i in images}) > 1:
        raise ConfigError("mnist_m_sizes", file=listing.name)
    return np.stack(images), np.asarray(labels, dtype=np.int64)


def convert_release(folder: Path, out: Path) -> Path:
    """The public release's folder layout → one .npz with the four arrays, written once to `out`."""
    (x_train, y_train), (x_test, y_test) = (_release_split(folder, split) for split in ("train", "test"))
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez(out, train_images=x_train, train_labels=y_train, test_images=x_test, test_labels=y_test)
    return out


def _places(data_dir) -> tuple[Path | None, Path]:
    """(the .npz found, or None; the release folder to convert from)."""
    root = Path(data_dir) if data_dir else default_data_dir()
    return next((p for p in [*(root / f for f in MNIST_M_FILES), BESIDE_REPO] if p.is_file()), None), root / RELEASE_FOLDER


def mnist_m_present(data_dir=None) -> bool:
    """Whether the real MNIST-M is here, as an .npz or the release's folder (nothing is read)."""
    found, release = _places(data_dir)
    return found is not None or (release / "mnist_m_train_labels.txt").is_file()


def mnist_m_file(data_dir=None) -> Path | None:
    """Where the real MNIST-M .npz is (converted once from the release's folder layout, mnist_m/ in
    the data dir, if that is what is there), or None."""
    found, release = _places(data_dir)
    if found is None and (release / "mnist_m_train_labels.txt").is_file():
        found = convert_release(release, release.parent / MNIST_M_FILES[0])
    return found

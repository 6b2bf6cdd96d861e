"""Hostile domain files are refused from their headers before their arrays are decompressed."""
import io
import zipfile

import numpy as np
import pytest

from kdcore import bounded
from kdcore.errors import ConfigError
from kdcore.transfer import domains


def _npy_header(shape, dtype="|u1") -> bytes:
    out = io.BytesIO()
    np.lib.format.write_array_header_1_0(out, {"descr": dtype, "fortran_order": False, "shape": shape})
    return out.getvalue()


def test_a_header_claiming_terabytes_is_refused_before_reading():
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("train_images.npy", _npy_header((10**6, 1000, 1000)) + b"\0" * 1000)
        for key in ("train_labels", "test_images", "test_labels"):
            archive.writestr(f"{key}.npy", _npy_header((4,)) + b"\0" * 4)
    with pytest.raises(ConfigError, match="once loaded"):
        domains.load_npz(raw.getvalue())


def test_a_real_zip_bomb_is_refused_from_its_headers(monkeypatch):
    monkeypatch.setattr(domains, "MAX_NPZ_ARRAY_BYTES", 1 << 20)
    raw = io.BytesIO()
    np.savez_compressed(raw, train_images=np.zeros((400, 64, 64), np.uint8), train_labels=np.zeros(400, np.int64),
                        test_images=np.zeros((4, 64, 64), np.uint8), test_labels=np.zeros(4, np.int64))
    assert len(raw.getvalue()) < 20_000  # 1.6 MB of arrays in a few kB
    with pytest.raises(ConfigError, match="once loaded"):
        domains.load_npz(raw.getvalue())


def test_huge_images_object_arrays_and_huge_labels_are_refused():
    def npz(**arrays):
        out = io.BytesIO()
        np.savez(out, **arrays)
        return out.getvalue()
    good = dict(train_images=np.zeros((20, 8, 8), np.uint8), train_labels=np.arange(20) % 2,
                test_images=np.zeros((4, 8, 8), np.uint8), test_labels=np.arange(4) % 2)
    with pytest.raises(ConfigError, match="pixels per image"):
        domains.load_npz(npz(**{**good, "train_images": np.zeros((20, 300, 300), np.uint8)}))
    with pytest.raises(ConfigError, match="0–9"):
        domains.load_npz(npz(**{**good, "train_labels": np.full(20, 2**40)}))
    with pytest.raises(ConfigError):
        domains.load_npz(b"PK\x03\x04" + b"\0" * 40)


def test_read_capped_stops_at_the_limit_on_an_endless_device():
    with pytest.raises(ConfigError, match="not read further"):
        bounded.read_capped("/dev/zero", 1 << 16)


def test_an_upload_is_stored_by_content_hash_only(tmp_path, monkeypatch):
    monkeypatch.setenv("KDLAB_USER_DIR", str(tmp_path))
    out = io.BytesIO()
    np.savez(out, train_images=np.zeros((20, 8, 8), np.uint8), train_labels=np.arange(20) % 2,
             test_images=np.zeros((4, 8, 8), np.uint8), test_labels=np.arange(4) % 2)
    path = domains.store_upload(out.getvalue())
    assert path.startswith(str(tmp_path)) and len(path.rsplit("/", 1)[-1]) == len("0123456789abcdef.npz")

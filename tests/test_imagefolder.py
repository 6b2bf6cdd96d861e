"""Image-folder datasets from folders and zips the tests write: layout, class order, colour and size
handling, split determinism, the content-hash cache, and every refused input (a clear error naming the
file and the rule, nothing cached, nothing written outside the cache)."""
import io
import json
import os
import zipfile
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from kdcore import data, imagefolder
from kdcore.cli import main
from kdcore.errors import ConfigError
from kdcore.paths import cache_dir


def image_bytes(size=(8, 8), mode="RGB", fmt="PNG", value=100) -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, size, value if mode in ("L", "I;16") else (value, 0, 255 - value)).save(buffer, fmt)
    return buffer.getvalue()


def grey(value=50, size=(8, 8)):
    return image_bytes(size, "L", "PNG", value)


def write_zip(path: Path, files: dict, compression=zipfile.ZIP_STORED) -> Path:
    with zipfile.ZipFile(path, "w", compression) as z:
        for name, raw in files.items():
            if raw is None:
                z.writestr(zipfile.ZipInfo(name), b"")  # a directory entry (name ends with "/")
            else:
                z.writestr(name, raw)
    return path


def write_folder(root: Path, files: dict) -> Path:
    for name, raw in files.items():
        target = root / name
        if raw is None:
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(raw)
    return root


def classes_with(n_per_class: int, classes=("cat", "dog", "ant"), part="train", **kw) -> dict:
    return {f"{part}/{c}/{i}.png": image_bytes(value=10 * k + i, **kw) for k, c in enumerate(classes)
            for i in range(n_per_class)}


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("KDLAB_CACHE_DIR", str(folder))
    return folder


def cached_entries():
    return sorted(p.name for p in cache_dir().iterdir())


def test_folder_with_test_split_mixed_formats_sizes_and_junk(tmp_path, fresh_cache):
    files = {
        "train/cat/a.png": image_bytes((8, 8)),
        "train/cat/b.jpg": image_bytes((8, 8), fmt="JPEG"),
        "train/cat/nested/c.png": grey(200, (12, 6)),  # odd size, grey, one folder deeper
        "train/dog/a.PNG": grey(30),
        "train/dog/b.png": image_bytes((8, 8), "RGBA"),
        "test/cat/t.png": grey(60),
        "test/dog/t.png": image_bytes((16, 16)),
        "__MACOSX/train/cat/._a.png": b"junk", "train/.DS_Store": b"junk", "README.txt": b"read me",
        "train/dog/Thumbs.db": b"junk",
    }
    d = imagefolder.read(str(write_folder(tmp_path / "pets", files)))
    assert d["classes"] == ["cat", "dog"] and d["name"] == "pets"
    assert tuple(d["x_train"].shape) == (5, 8, 8, 3) and tuple(d["x_test"].shape) == (2, 8, 8, 3)
    assert d["y_train"].tolist() == [0, 0, 0, 1, 1] and d["y_test"].tolist() == [0, 1]
    grey_dog = d["x_train"][3].numpy()  # train/dog/a.PNG: grey 30 repeated on the three channels
    assert (grey_dog == 30).all()
    assert tuple(d["x_train"][0, 0, 0].tolist()) == (100, 0, 155)


def test_grey_only_data_stays_one_channel_and_classes_sort_by_name(tmp_path, fresh_cache):
    files = {f"{c}/{i}.png": grey(i) for c in ("zebra", "apple", "mango") for i in range(5)}
    path = write_zip(tmp_path / "fruit.zip", files, zipfile.ZIP_DEFLATED)
    ds = data.load(str(path))
    assert ds.classes == ("apple", "mango", "zebra") and ds.in_shape == (1, 8, 8)
    assert ds.test_set.kind == "held-out" and ds.test_set.n == 3 and len(ds.y_train) == 12
    assert sorted(np.bincount(ds.y_test.numpy()).tolist()) == [1, 1, 1]  # stratified


def test_split_is_deterministic_and_a_wrapper_folder_is_stripped(tmp_path, fresh_cache):
    files = {f"mydata/{k}": v for k, v in classes_with(10).items()}
    path = write_zip(tmp_path / "wrapped.zip", files)
    first, second = data.load(str(path)), data.load(str(path))
    assert first.classes == ("ant", "cat", "dog")
    assert first.x_test.equal(second.x_test) and first.y_train.equal(second.y_train)


def test_a_wrapper_around_class_folders_is_stripped(tmp_path, fresh_cache):
    files = {f"pets/{c}/{i}.png": grey(i) for c in ("cat", "dog") for i in range(5)}  # a zipped folder
    assert data.load(str(write_zip(tmp_path / "pets.zip", files))).classes == ("cat", "dog")


def test_second_load_is_a_cache_hit_by_content(tmp_path, fresh_cache, monkeypatch):
    path = write_zip(tmp_path / "a.zip", classes_with(3))
    imagefolder.read(str(path))
    assert len(cached_entries()) == 1
    copy = tmp_path / "renamed.zip"
    copy.write_bytes(path.read_bytes())
    monkeypatch.setattr(imagefolder, "_decode_all", lambda source: pytest.fail("decoded again"))
    assert imagefolder.read(str(copy))["classes"] == ["ant", "cat", "dog"]  # same bytes, other name: a hit
    changed = write_zip(tmp_path / "b.zip", classes_with(4))
    with pytest.raises(pytest.fail.Exception):
        imagefolder.read(str(changed))  # other content: decoded afresh


def test_cli_trains_on_a_zip(tmp_path, fresh_cache, capsys):
    path = write_zip(tmp_path / "tiny.zip", classes_with(12, size=(8, 8)))
    code = main(["distill", "--dataset", str(path), "--teacher-epochs", "1", "--epochs", "1", "--device", "cpu",
                 "--json"])
    result = json.loads(capsys.readouterr().out)
    assert code == 0 and result["test_set"]["name"] == "tiny" and 0 <= result["kd_accuracy"] <= 1


def cmyk_jpeg():
    buffer = io.BytesIO()
    Image.new("CMYK", (8, 8), (0, 50, 100, 0)).save(buffer, "JPEG")
    return buffer.getvalue()


def sixteen_bit_png():
    buffer = io.BytesIO()
    Image.fromarray(np.full((8, 8), 40000, dtype=np.uint16)).save(buffer, "PNG")
    return buffer.getvalue()


BAD = {  # case: (files, error code, text the message must contain)
    "no class folders": ({"a.png": grey(), "b.png": grey()}, "imagefolder_no_classes", "train/<class>/"),
    "one class": (classes_with(3, classes=("cat",)), "imagefolder_one_class", "cat"),
    "empty class": ({**classes_with(2), "train/emu/": None}, "imagefolder_empty_class", "train/emu/"),
    "non-image": ({**classes_with(2), "train/cat/notes.txt": b"hello"}, "imagefolder_not_image", "train/cat/notes.txt"),
    "corrupt JPEG": ({**classes_with(2), "train/dog/bad.jpg": image_bytes(fmt="JPEG")[:40]}, "imagefolder_corrupt",
                     "train/dog/bad.jpg"),
    "not an image at all": ({**classes_with(2), "train/dog/x.png": b"\x89PNG garbage"}, "imagefolder_corrupt",
                            "train/dog/x.png"),
    "16-bit PNG": ({**classes_with(2), "train/dog/deep.png": sixteen_bit_png()}, "imagefolder_mode", "train/dog/deep.png"),
    "CMYK JPEG": ({**classes_with(2), "train/cat/print.jpg": cmyk_jpeg()}, "imagefolder_mode", "CMYK"),
    "test class unknown": ({**classes_with(2), "test/yak/1.png": grey()}, "imagefolder_test_classes", "yak"),
}


@pytest.mark.parametrize("case", list(BAD))
@pytest.mark.parametrize("kind", ["zip", "folder"])
def test_bad_input_is_refused_naming_file_and_rule(case, kind, tmp_path, fresh_cache):
    files, code, text = BAD[case]
    path = write_zip(tmp_path / "bad.zip", files) if kind == "zip" else write_folder(tmp_path / "bad", files)
    before = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*"))
    with pytest.raises(ConfigError) as err:
        data.load(str(path))
    assert err.value.code == code and text in str(err.value), str(err.value)
    assert not fresh_cache.exists() or cached_entries() == []  # nothing cached, not even half
    after = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if "cache" not in p.parts)
    assert after == [p for p in before if "cache" not in p.split("/")]  # nothing written beside the source


def test_paths_escaping_the_archive_are_refused(tmp_path, fresh_cache):
    path = write_zip(tmp_path / "escape.zip", {**classes_with(2), "train/cat/../../../evil.png": grey()})
    with pytest.raises(ConfigError, match="evil.png.*inside the archive") as err:
        data.load(str(path))
    assert err.value.code == "imagefolder_unsafe" and not (tmp_path.parent / "evil.png").exists()


def test_links_in_a_folder_are_refused(tmp_path, fresh_cache):
    root = write_folder(tmp_path / "linked", classes_with(2))
    os.symlink(tmp_path / "elsewhere.png", root / "train" / "cat" / "link.png")
    with pytest.raises(ConfigError, match="links are not followed"):
        data.load(str(root))


def test_zip_bomb_is_refused_before_unpacking(tmp_path, fresh_cache):
    path = write_zip(tmp_path / "bomb.zip", {**classes_with(2), "train/cat/huge.bmp": bytes(64 << 20)},
                     zipfile.ZIP_DEFLATED)
    assert path.stat().st_size < 1 << 20  # 64 MiB of zeros packed into well under 1 MiB
    with pytest.raises(ConfigError, match="huge.bmp.*zip bomb") as err:
        data.load(str(path))
    assert err.value.code == "imagefolder_bomb"


def test_a_two_gigabyte_upload_is_refused_unread(tmp_path, fresh_cache):
    path = tmp_path / "big.zip"
    with path.open("wb") as f:
        f.truncate(2 << 30)  # sparse: 2 GiB on paper, nothing on disk
    with pytest.raises(ConfigError, match="2,147,483,648 bytes") as err:
        data.load(str(path))
    assert err.value.code == "imagefolder_too_big"


def test_cli_bad_dataset_exits_2_with_one_line(tmp_path, fresh_cache, capsys):
    path = write_zip(tmp_path / "one.zip", classes_with(2, classes=("cat",)))
    assert main(["distill", "--dataset", str(path), "--json"]) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "only one class folder (cat)" in err
    assert main(["distill", "--dataset", str(tmp_path / "missing.zip")]) == 2
    assert "neither a folder nor a .zip" in capsys.readouterr().err

"""Saved views (kdcore.saved) and the reload restore (kdapp.keep): plain data round-trips, hostile
files and tokens are refused, a corrupt view is skipped with a notice, another browser sees nothing."""
import os
import pickle

import pytest
import torch

from kdcore import lab, saved, sweeps
from kdcore.config import RunConfig
from kdcore.data import TestSet
from kdcore.sweeps import SweepConfig, SweepResult
from kdcore.teacher import Teacher

TOKEN = "A" * 32


def test_plain_data_round_trips(tmp_path):
    views = saved.SavedViews(TOKEN, tmp_path)
    data = {"runs": [{"x": 1.5, "name": "kd", "t": torch.arange(6.0).reshape(2, 3), "seeds": (0, 1), "none": None}]}
    views.save("lab", data)
    back = views.load("lab")
    assert back["runs"][0]["name"] == "kd" and back["runs"][0]["seeds"] == (0, 1) and back["runs"][0]["none"] is None
    assert torch.equal(back["runs"][0]["t"], data["runs"][0]["t"])
    assert list(views.names()) == ["lab"] and views.load("missing") is None


def test_token_is_hashed_and_never_written(tmp_path):
    views = saved.SavedViews(TOKEN, tmp_path)
    views.save("lab", {"a": 1})
    assert TOKEN not in str(views.folder) and len(views.folder.name) == 32
    assert all(TOKEN not in p.read_bytes().decode("latin-1") for p in views.folder.iterdir())
    assert saved.SavedViews("B" * 32, tmp_path).load("lab") is None  # another browser: nothing of this one's


@pytest.mark.parametrize("token", [None, "", "short", "../../etc/passwd" * 3, "A" * 65, "é" * 40, 12345])
def test_hostile_tokens_are_refused(token):
    assert not saved.valid_token(token)
    with pytest.raises(ValueError):
        saved.SavedViews(token)


@pytest.mark.parametrize("name", ["../x", "a/b", "", "A", "x" * 49, "lab.pt"])
def test_hostile_view_names_are_refused(tmp_path, name):
    with pytest.raises(ValueError):
        saved.SavedViews(TOKEN, tmp_path).save(name, {})


class Boom:
    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return (os.system, (f"touch {self.marker}",))


@pytest.mark.parametrize("kind", ["garbage", "code", "empty"])
def test_corrupt_or_code_carrying_files_are_skipped_and_removed(tmp_path, kind):
    marker = tmp_path / "ran"
    content = {"garbage": b"not a torch file", "code": pickle.dumps(Boom(marker), protocol=2), "empty": b""}[kind]
    views = saved.SavedViews(TOKEN, tmp_path)
    views.save("lab", {"a": 1})
    (views.folder / "lab.pt").write_bytes(content)
    with pytest.raises(saved.SavedCorrupt) as err:
        views.load("lab")
    assert err.value.code == "saved_corrupt" and not (views.folder / "lab.pt").exists()
    assert not marker.exists()  # weights_only: the pickle's code never ran


def test_a_tensor_object_that_is_not_a_dict_is_refused(tmp_path):
    views = saved.SavedViews(TOKEN, tmp_path)
    views.folder.mkdir(parents=True)
    torch.save([1, 2], views.folder / "lab.pt")
    with pytest.raises(saved.SavedCorrupt):
        views.load("lab")


def test_old_folders_are_pruned(tmp_path):
    old, new = saved.SavedViews(TOKEN, tmp_path), saved.SavedViews("C" * 32, tmp_path)
    old.save("a", {}), new.save("a", {})
    os.utime(old.folder, (0, 0))
    assert saved.prune(tmp_path, days=30) == 1 and not old.folder.exists() and new.folder.exists()


def test_run_config_round_trips():
    from dataclasses import asdict

    config = RunConfig().replace(**{"method.temperature": 8.0, "seeds": (0, 1, 2), "student.epochs": 7})
    assert RunConfig.from_dict(asdict(config)) == config


def test_lab_result_round_trips_through_plain_data(tmp_path):
    teacher = Teacher(None, torch.empty(0), torch.randn(50, 10), 0.97, 3.0, True, [{"phase": "teacher", "epoch": 1}])
    result = lab.LabResult(RunConfig(), TestSet("held-out", "mnist5k digits", 50), teacher, {"params": 9, "flops": 1, "latency_ms": 0.1},
                           {"params": 3, "flops": 1, "latency_ms": 0.01},
                           [{"seed": 0, "labelled": 5, "baseline_accuracy": 0.8, "kd_accuracy": 0.9,
                             "baseline_agreement": 0.8, "kd_agreement": 0.9}], [], {"w": torch.ones(2)}, 4.0)
    views = saved.SavedViews(TOKEN, tmp_path)
    views.save("lab", lab.to_state(result))
    back = lab.from_state(views.load("lab"))
    assert back.readout() == result.readout() and back.config == result.config and back.test_set == result.test_set
    assert torch.equal(back.teacher.test_logits, teacher.test_logits) and torch.equal(back.kd_student_state["w"], torch.ones(2))


def test_sweep_result_round_trips_through_plain_data(tmp_path):
    result = SweepResult(SweepConfig(values=(1.0, 4.0), seeds=(0,)), [{"x": 1.0, "mean": 0.9, "sd": 0.0, "per_seed": [0.9]}],
                         [{"x": 1.0, "mean": 0.8, "sd": 0.0, "per_seed": [0.8]}], [], 0.97, TestSet("held-out", "mnist5k digits", 1000), None)
    views = saved.SavedViews(TOKEN, tmp_path)
    views.save("curves", sweeps.to_state(result))
    back = sweeps.from_state(views.load("curves"))
    assert back == result


def test_a_malformed_state_raises_a_caught_error():
    with pytest.raises((KeyError, TypeError, ValueError)):
        lab.from_state({"config": {"data": {"nope": 1}}})


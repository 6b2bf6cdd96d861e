"""Sweep engine: reproducible with seeds, cached per run (same sweep twice is instant), the baseline
shared across T values, a stopped sweep keeps its finished points; `kdlab sweep --json`."""
import json

import pytest
import torch

from kdcore import cli, sweeps
from kdcore.data import load
from kdcore.errors import ConfigError
from kdcore.config import RunConfig
from kdcore.events import Epoch, Partial, result

torch.set_num_threads(1)
BASE = RunConfig().replace(**{"data.dataset": "digits", "teacher.epochs": 1, "student.epochs": 2,
                              "student.labelled_fraction": 0.2, "device": "cpu"})


@pytest.fixture(scope="module")
def digits():
    return load("digits")


def sweep(digits, values=(1.0, 8.0), seeds=(0, 1)):
    return result(sweeps.run_sweep(sweeps.SweepConfig("temperature", values, seeds, BASE), digits))


def test_points_have_mean_sd_per_seed_and_the_cache_reproduces_them(digits, monkeypatch, tmp_path):
    monkeypatch.setenv("KDLAB_CACHE_DIR", str(tmp_path / "a"))
    first = sweep(digits)
    assert [p["x"] for p in first.points] == [1.0, 8.0]
    for point in first.points + first.baseline_points:
        assert len(point["per_seed"]) == 2 and point["mean"] == pytest.approx(sum(point["per_seed"]) / 2)
        assert point["sd"] == pytest.approx(abs(point["per_seed"][0] - point["per_seed"][1]) / 2 ** 0.5)
    # the hard-label baseline ignores T: one run per seed, reused at every T
    assert first.baseline_points[0]["per_seed"] == first.baseline_points[1]["per_seed"]
    assert len(first.curves) == 2 * 2 * 2 * BASE.student.epochs  # values × seeds × phases × epochs
    again = sweep(digits)  # from the disk cache
    assert again.points == first.points and again.seconds < first.seconds
    monkeypatch.setenv("KDLAB_CACHE_DIR", str(tmp_path / "b"))  # retrained from scratch: same seeds, same numbers
    assert sweep(digits).points == first.points


def test_a_stopped_sweep_keeps_finished_points_and_resumes_from_the_cache(digits, monkeypatch, tmp_path):
    monkeypatch.setenv("KDLAB_CACHE_DIR", str(tmp_path))
    events = sweeps.run_sweep(sweeps.SweepConfig("labelled-fraction", (0.1, 1.0), (0,), BASE), digits)
    kept = next(e for e in events if isinstance(e, Partial)).result  # stop after the first value
    events.close()
    assert [p["x"] for p in kept.points] == [0.1] and len(kept.points[0]["per_seed"]) == 1 and kept.seconds is None
    trained = [e for e in sweeps.run_sweep(sweeps.SweepConfig("labelled-fraction", (0.1, 1.0), (0,), BASE), digits)
               if isinstance(e, Epoch) and e.phase in ("baseline", "kd")]
    assert {e.x for e in trained} == {1.0}  # the first value came from the cache


def test_bad_sweeps_are_config_errors():
    with pytest.raises(ConfigError):
        sweeps.SweepConfig("depth", (1.0,), (0,), BASE).validate()
    with pytest.raises(ConfigError):
        sweeps.SweepConfig("alpha", (0.5, 2.0), (0,), BASE).validate()


def test_cli_prints_one_json_object_with_points(capsys):
    rc = cli.main(["sweep", "--param", "alpha", "--values", "0", "1", "--seeds", "0", "--dataset", "digits",
                   "--teacher-epochs", "1", "--epochs", "1", "--device", "cpu", "--json"])
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    assert [p["x"] for p in out["points"]] == [0.0, 1.0]
    assert set(out["points"][0]) == {"x", "mean", "sd", "per_seed"}
    assert cli.main(["sweep", "--param", "alpha", "--values", "3", "--dataset", "digits"]) == 2

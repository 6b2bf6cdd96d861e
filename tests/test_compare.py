"""Comparison runner and `kdlab compare` / `kdlab methods`: the baseline is trained exactly like the
Lab's, statistics are over seeds, the teacher is the cached one, bad input is explained."""
import json
import math
import statistics

import pytest
import torch

from kdcore import models
from kdcore.cli import main
from kdcore.compare import CompareConfig, run_compare
from kdcore.data import load
from kdcore.errors import ConfigError
from kdcore.core import labelled_mask
from kdcore.config import RunConfig
from kdcore.events import Done, Partial, collect
from kdcore.teacher import is_cached, train_teacher
from kdcore.train import accuracy, fit

torch.set_num_threads(1)
TINY = RunConfig().replace(**{"data.dataset": "digits", "teacher.epochs": 1, "student.width": 16,
                              "student.epochs": 2, "student.labelled_fraction": 0.2, "device": "cpu"})


@pytest.fixture(scope="module")
def comparison():
    config = CompareConfig(TINY.replace(seeds=(0, 1)), methods=("kd", "sp", "kd"))
    records = list(run_compare(config))
    return config, records


def test_rows_statistics_and_progress(comparison):
    config, records = comparison
    result = records[-1].result.to_dict()
    assert [row["method"] for row in result["results"]] == ["hard", "kd", "sp"]  # baseline first, no repeats
    for row in result["results"]:
        assert len(row["per_seed"]) == 2
        assert row["mean"] == pytest.approx(statistics.fmean(row["per_seed"]))
        assert row["sd"] == pytest.approx(statistics.stdev(row["per_seed"]))
        assert row["seconds"] > 0 and row["cpu_seconds"] > 0
    progress = [e.progress for e in records]
    assert progress == sorted(progress) and progress[-1] == 1.0 and isinstance(records[-1], Done)
    assert result["baseline"] == result["results"][0]


def test_baseline_is_the_labs_hard_label_student(comparison):
    """Independent oracle: train the seed-1 baseline by hand, as the Lab does (labelled images only,
    as many steps as an epoch over the transfer set)."""
    config, records = comparison
    data = load("digits")
    mask = labelled_mask(data.y_train, 0.2, 1)
    torch.manual_seed(1)
    student = models.build("mlp", data.in_shape, 10, 16)
    collect(fit(student, data.x_train[mask], data.y_train[mask], epochs=2, seed=1,
            steps_per_epoch=math.ceil(len(data.x_train) / 128)))
    hard = records[-1].result.rows[0]
    assert hard["per_seed"][1] == pytest.approx(accuracy(student, data.x_test, data.y_test))


def test_teacher_comes_from_the_cache(comparison):
    config, _ = comparison
    assert is_cached(config.run.teacher, load("digits"))
    assert collect(train_teacher(config.run.teacher, load("digits")))[0] == []  # loaded: no training events


def test_cli_compare_json(capsys):
    code = main(["compare", "--methods", "dist", "--dataset", "digits", "--teacher-epochs", "1", "--epochs", "1",
                 "--width", "16", "--seeds", "0", "--device", "cpu", "--json"])
    out = capsys.readouterr()
    assert code == 0
    result = json.loads(out.out)  # exactly one JSON object on stdout
    assert [r["method"] for r in result["results"]] == ["hard", "dist"]
    assert set(result["results"][1]) >= {"method", "mean", "sd", "per_seed", "seconds"}
    assert "dist (seed 0)" in out.err


def listed(out: str) -> list[str]:
    return [line.split()[0] for line in out.splitlines() if line and not line.startswith(" ")]


def test_cli_methods_lists_every_registered_name(capsys):
    assert main(["methods"]) == 0
    names = listed(capsys.readouterr().out)
    assert names[:2] == ["hard", "kd"] and len(names) >= 11 and "crd" in names
    assert main(["methods", "--schemes"]) == 0
    assert listed(capsys.readouterr().out)[-4:] == ["born-again", "ensemble", "assistant", "mutual"]


@pytest.mark.parametrize("argv, fragment", [
    (["--methods", "kd", "magic"], "Unknown method 'magic'; choose one of hard, kd, fitnet"),
    (["--methods", "at"], "compatible models: teacher-cnn, teacher-vgg, cnn"),
    (["--methods", "at", "--set", "at.beta=-3", "--student", "cnn"], "beta must be in [0, 1e+06], got -3"),
    (["--set", "kd.gamma=1"], "has no hyper-parameter 'gamma'; it has: temperature, alpha"),
    (["--set", "kd.alpha=high"], "--set expects METHOD.PARAMETER=NUMBER"),
    (["--epochs", "0"], "epochs must be a whole number in [1, 1000]"),
])
def test_cli_bad_input_is_one_clear_line(capsys, argv, fragment):
    code = main(["compare", "--dataset", "digits", "--teacher-epochs", "1", "--device", "cpu", *argv])
    err = capsys.readouterr().err
    assert code == 2 and fragment in err and err.count("\n") == 1


def test_config_refuses_unknown_student():
    with pytest.raises(ConfigError, match="choose one of teacher-cnn, teacher-vgg, mlp, cnn"):
        CompareConfig(RunConfig().replace(**{"student.family": "resnet"})).validate()


def test_a_stop_keeps_the_runs_finished_so_far(comparison):
    """A Partial follows every student run: stopping after seed 0 keeps seed 0 of every method."""
    config, records = comparison
    partials = [e.result for e in records if isinstance(e, Partial)]
    assert len(partials) == 2 * 3  # two seeds × (hard, kd, sp)
    after_seed_0 = partials[2].to_dict()
    assert [row["method"] for row in after_seed_0["results"]] == ["hard", "kd", "sp"]
    assert all(len(row["per_seed"]) == 1 for row in after_seed_0["results"]) and after_seed_0["seeds"] == [0]
    final = records[-1].result.rows
    assert [row["per_seed"][0] for row in after_seed_0["results"]] == [row["per_seed"][0] for row in final]

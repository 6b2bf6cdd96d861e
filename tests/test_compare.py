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
from kdcore.teacher import TeacherConfig, train_teacher
from kdcore.train import accuracy, fit, run

torch.set_num_threads(1)
TINY = dict(dataset="digits", teacher=TeacherConfig(epochs=1), student="mlp", student_width=16, epochs=2,
            labelled_fraction=0.2, device="cpu")


@pytest.fixture(scope="module")
def comparison():
    config = CompareConfig(methods=("kd", "sp", "kd"), seeds=(0, 1), **TINY)
    records = list(run_compare(config))
    return config, records


def test_rows_statistics_and_progress(comparison):
    config, records = comparison
    result = records[-1]["result"].to_dict()
    assert [row["method"] for row in result["results"]] == ["hard", "kd", "sp"]  # baseline first, no repeats
    for row in result["results"]:
        assert len(row["per_seed"]) == 2
        assert row["mean"] == pytest.approx(statistics.fmean(row["per_seed"]))
        assert row["sd"] == pytest.approx(statistics.stdev(row["per_seed"]))
        assert row["seconds"] > 0 and row["cpu_seconds"] > 0
    overall = [r["overall"] for r in records]
    assert overall == sorted(overall) and overall[-1] == 1.0 and records[-1]["final"]
    assert result["baseline"] == result["results"][0]


def test_baseline_is_the_labs_hard_label_student(comparison):
    """Independent oracle: train the seed-1 baseline by hand, as the Lab does (labelled images only,
    as many steps as an epoch over the transfer set)."""
    config, records = comparison
    data = load("digits")
    mask = labelled_mask(data.y_train, 0.2, 1)
    torch.manual_seed(1)
    student = models.build("mlp", data.in_shape, 10, 16)
    run(fit(student, data.x_train[mask], data.y_train[mask], epochs=2, seed=1,
            steps_per_epoch=math.ceil(len(data.x_train) / 128)))
    hard = records[-1]["result"].rows[0]
    assert hard["per_seed"][1] == pytest.approx(accuracy(student, data.x_test, data.y_test))


def test_teacher_comes_from_the_cache(comparison):
    config, _ = comparison
    first = next(iter(train_teacher(config.teacher, load("digits"))))
    assert first["cached"] and first["final"]


def test_cli_compare_json(capsys):
    code = main(["compare", "--methods", "dist", "--dataset", "digits", "--teacher-epochs", "1", "--epochs", "1",
                 "--width", "16", "--seeds", "0", "--device", "cpu", "--json"])
    out = capsys.readouterr()
    assert code == 0
    result = json.loads(out.out)  # exactly one JSON object on stdout
    assert [r["method"] for r in result["results"]] == ["hard", "dist"]
    assert set(result["results"][1]) >= {"method", "mean", "sd", "per_seed", "seconds"}
    assert "dist (seed 0)" in out.err


def test_cli_methods_lists_one_name_per_line(capsys):
    assert main(["methods"]) == 0
    names = capsys.readouterr().out.split()
    assert names[:2] == ["hard", "kd"] and len(names) >= 11 and "crd" in names
    assert main(["methods", "--schemes"]) == 0
    assert capsys.readouterr().out.split()[-4:] == ["born-again", "ensemble", "assistant", "mutual"]


@pytest.mark.parametrize("argv, fragment", [
    (["--methods", "kd", "magic"], "Unknown method(s) magic; valid: hard, kd, fitnet"),
    (["--methods", "at"], "compatible models: teacher-cnn, cnn"),
    (["--methods", "at", "--set", "at.beta=-3", "--student", "cnn"], "β must be in [0.0, 1000000.0]"),
    (["--set", "kd.gamma=1"], "has no hyper-parameter 'gamma'; it has: temperature, alpha"),
    (["--set", "kd.alpha=high"], "--set expects METHOD.PARAMETER=NUMBER"),
    (["--epochs", "0"], "Epochs must be at least 1"),
])
def test_cli_bad_input_is_one_clear_line(capsys, argv, fragment):
    code = main(["compare", "--dataset", "digits", "--teacher-epochs", "1", "--device", "cpu", *argv])
    err = capsys.readouterr().err
    assert code == 2 and fragment in err and err.count("\n") == 1


def test_config_refuses_unknown_student():
    with pytest.raises(ConfigError, match="choose one of teacher-cnn, mlp, cnn"):
        CompareConfig(student="resnet").validate()

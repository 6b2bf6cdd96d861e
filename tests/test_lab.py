"""The Lab experiment end to end on small settings, and the `kdlab distill` CLI."""
import json
import subprocess
import sys

import pytest

from kdcore.cli import main
from kdcore.config import RunConfig, StudentConfig, student_epochs
from kdcore.core import labelled_mask
from kdcore.events import Done, Epoch, Partial, Step
from kdcore.lab import run_lab

SMALL = RunConfig().replace(**{"data.dataset": "digits", "teacher.epochs": 8, "student.epochs": 3,
                               "student.labelled_fraction": 0.2, "seeds": (0, 1)})


def run(config):
    events = list(run_lab(config))
    return events, events[-1].result


def test_lab_runs_three_steps_and_reports_everything():
    events, result = run(SMALL)
    phases = [e.phase for e in events]
    assert phases[0] == "data" and isinstance(events[-1], Done) and sum(isinstance(e, Done) for e in events) == 1
    assert phases.index("teacher") < phases.index("soft_labels") < phases.index("baseline") < phases.index("kd")
    progress = [e.progress for e in events]
    assert progress == sorted(progress) and progress[-1] == 1.0
    epochs = [e for e in events if isinstance(e, Epoch) and e.phase in ("baseline", "kd")]
    assert len(epochs) == 2 * 2 * 3 and all(isinstance(e, Step) for e in events if e.phase == "kd" and not isinstance(e, Epoch))
    assert [row["accuracy"] for row in result.curves] == [e.metrics["accuracy"] for e in epochs]  # curves from events
    summary = result.to_dict()
    assert [row["seed"] for row in summary["per_seed"]] == [0, 1]
    assert all(0 <= row["kd_accuracy"] <= 1 and 0 <= row["kd_agreement"] <= 1 for row in summary["per_seed"])
    counts = result.teacher.train_logits.shape[0]
    assert counts == 1000 and 195 <= summary["per_seed"][0]["labelled"] <= 205  # 20 % of each class, rounded
    assert summary["student_params"] == 64 * 32 + 32 + 32 * 10 + 10
    assert summary["student_params"] < summary["teacher_params"]
    assert summary["gain_points"] == pytest.approx(100 * (summary["kd_accuracy"] - summary["baseline_accuracy"]))
    assert result.readout()["verdict"] in ("gain", "loss", "noise")
    assert {c["phase"] for c in result.curves} == {"baseline", "kd"}


def test_open_student_epochs_take_the_images_default_and_the_result_records_them():
    assert (student_epochs(StudentConfig(), 1), student_epochs(StudentConfig(), 3)) == (30, 10)  # grey, colour
    assert student_epochs(StudentConfig(epochs=4), 3) == 4
    events, result = run(SMALL.replace(**{"student.epochs": None, "seeds": (0,)}))
    assert result.config.student.epochs == 30  # what the students trained, for exports and reloads
    assert len([e for e in events if isinstance(e, Epoch) and e.phase == "kd"]) == 30


def test_lab_is_deterministic_with_fixed_seeds():
    config = SMALL.replace(seeds=(3,))
    first = run(config)[1].per_seed
    second = run(config)[1].per_seed
    assert first == second


def test_labelled_mask_is_stratified_and_seeded():
    import torch
    y = torch.arange(1000) % 10
    mask = labelled_mask(y, 0.05, seed=1)
    assert mask.sum() == 50 and torch.equal(y[mask].bincount(), torch.full((10,), 5))
    assert torch.equal(mask, labelled_mask(y, 0.05, seed=1)) and not torch.equal(mask, labelled_mask(y, 0.05, seed=2))


def test_cli_distill_json(capsys):
    code = main(["distill", "--dataset", "digits", "--teacher-epochs", "8", "--epochs", "2", "--seeds", "0", "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    for key in ("teacher_accuracy", "baseline_accuracy", "kd_accuracy", "per_seed", "student_params",
                "teacher_params", "seconds"):
        assert key in out
    assert out["per_seed"][0]["seed"] == 0


@pytest.mark.parametrize("args, message", [
    (["--temperature", "0"], "must be in (0, 100], got 0"), (["--alpha", "1.5"], "must be in [0, 1], got 1.5"),
    (["--epochs", "0"], "epochs must be a whole number in [1, 1000]"), (["--width", "0"], "width must be a whole number in [1, 4096]"), (["--dataset", "nope"], "Unknown dataset 'nope'"), (["--seeds", "x"], "expected a whole number")])
def test_cli_bad_options_exit_2_with_one_line(args, message):
    proc = subprocess.run([sys.executable, "-m", "kdcore.cli", "distill", *args], capture_output=True, text=True)
    assert proc.returncode == 2
    assert message in proc.stderr and len(proc.stderr.strip().splitlines()) == 1 and proc.stdout == ""


def test_a_stop_after_the_first_seed_keeps_it():
    events, result = run(SMALL)
    partials = [e for e in events if isinstance(e, Partial)]
    assert len(partials) == 2 and [len(p.result.per_seed) for p in partials] == [1, 2]
    first = partials[0].result
    assert first.per_seed[0] == result.per_seed[0] and first.readout()["verdict"] in ("gain", "loss", "noise")
    assert first.to_dict()["kd_accuracy"] == result.per_seed[0]["kd_accuracy"]

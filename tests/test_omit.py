"""Omitted-class experiment: the label-free bias, the hard-label student's blindness, the CLI."""
import json

import pytest
import torch

from kdcore import cli, omit
from kdcore.data import load
from kdcore.config import RunConfig
from kdcore.events import result

torch.set_num_threads(1)


def test_prior_matching_bias_makes_the_digit_predicted_on_exactly_its_prior_share():
    logits = torch.randn(1000, 10, generator=torch.Generator().manual_seed(0))
    logits[:, 3] -= 5  # a student that (almost) never says 3
    bias = omit.prior_matching_bias(logits, 3, 0.1)
    shifted = logits.clone()
    shifted[:, 3] += bias
    assert (shifted.argmax(1) == 3).sum().item() == 100
    assert omit.prior_matching_bias(torch.eye(10).repeat(10, 1), 3, 0.1) == 0.0  # already at its prior: no bias


def test_digits_run_hard_student_never_predicts_the_missing_digit():
    base = RunConfig().replace(**{"data.dataset": "digits", "teacher.epochs": 1, "student.width": 64,
                                  "method.temperature": 8.0, "method.alpha": 1.0, "student.epochs": 3,
                                  "student.labelled_fraction": 1.0, "device": "cpu"})
    digits = load("digits")
    outcome = result(omit.run_omit(omit.OmitConfig(digit=3, base=base), digits))
    assert outcome["hard_accuracy_on_digit"] == 0.0
    assert outcome["transfer_set_size"] == int((digits.y_train != 3).sum()) == 898
    assert outcome["digit_test_images"] == int((digits.y_test == 3).sum())
    assert 0 <= outcome["kd_accuracy_on_digit"] <= outcome["kd_accuracy_on_digit_bias_corrected"] <= 1
    assert outcome["kd_bias"] >= 0


def test_cli_json_has_the_issue_keys(capsys):
    rc = cli.main(["omit-class", "--digit", "7", "--seeds", "0", "--dataset", "digits", "--teacher-epochs", "1",
                   "--epochs", "1", "--width", "16", "--device", "cpu", "--json"])
    assert rc == 0
    out = json.loads(capsys.readouterr().out)
    for key in ("hard_accuracy_on_digit", "kd_accuracy_on_digit", "kd_accuracy_on_digit_bias_corrected",
                "hard_accuracy_overall", "kd_accuracy_overall", "kd_bias"):
        assert 0 <= out[key] <= (1 if "bias" not in key else 100)
    assert out["digit"] == 7


@pytest.mark.parametrize("digit", ["10", "-1"])
def test_cli_rejects_a_digit_outside_the_classes(digit):
    assert cli.main(["omit-class", "--digit", digit, "--dataset", "digits", "--teacher-epochs", "1", "--epochs", "1"]) == 2

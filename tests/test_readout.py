"""Readout numbers against hand-computed values: noise, verdicts, methods against the baseline, and a
sweep's shape."""
import math

import pytest

from kdcore import readout


def test_noise_is_the_larger_of_spread_and_sampling_error():
    # p = 0.9 on 1,000 predictions: sqrt(2 · 0.9 · 0.1 / 1000) = 0.013416…
    assert readout.noise(0.9, 1000) == pytest.approx(math.sqrt(0.00018))
    assert readout.noise(0.9, 1000, 0.02, 0.001) == 0.02
    assert readout.noise(1.0, 1000) == 0.0


@pytest.mark.parametrize("difference, level, expected", [(0.05, 0.02, "gain"), (-0.05, 0.02, "loss"),
                                                          (0.04, 0.02, "noise"), (0.0, 0.0, "noise")])
def test_verdict_needs_twice_the_noise(difference, level, expected):
    assert readout.verdict(difference, level) == expected


def row(method, per_seed):
    mean = sum(per_seed) / len(per_seed)
    sd = math.sqrt(sum((a - mean) ** 2 for a in per_seed) / (len(per_seed) - 1)) if len(per_seed) > 1 else 0.0
    return {"method": method, "mean": mean, "sd": sd, "per_seed": per_seed}


def test_methods_against_the_baseline():
    rows = [row("hard", [0.80, 0.80]), row("kd", [0.90, 0.90]), row("fitnet", [0.81, 0.79])]
    kd, fitnet = readout.against_baseline(rows, n_test=1000)
    # kd: sampling error at p = 0.9 over 2,000 predictions = sqrt(0.18 / 2000) = 0.0094868; gain 10 points
    assert kd["gain_points"] == pytest.approx(10.0) and kd["noise_points"] == pytest.approx(0.94868, rel=1e-4)
    assert kd["verdict"] == "gain"
    assert fitnet["gain_points"] == pytest.approx(0.0) and fitnet["verdict"] == "noise"


def test_sweep_shape_flat_and_varies():
    baseline = [row("hard", [0.70, 0.70])] * 3
    flat = [{**row("kd", [0.800, 0.802]), "x": x} for x in (1, 2, 4)]
    shape = readout.sweep(flat, baseline, n_test=1000)
    assert shape["shape"] == "flat" and shape["best_verdict"] == "gain" and shape["best_gain_points"] == pytest.approx(10.1)
    varies = [{**row("kd", [a, a]), "x": x} for x, a in ((1, 0.70), (2, 0.80), (4, 0.90))]
    shape = readout.sweep(varies, baseline, n_test=1000)
    assert (shape["shape"], shape["best_x"], shape["worst_x"]) == ("varies", 4, 1)
    assert shape["range_points"] == pytest.approx(20.0)


def bpc(value, sd, windows):
    return {"val_bpc": value, "val_window_sd": sd, "val_windows": windows}


def test_students_of_a_language_model_against_scratch_and_each_other():
    # noise of each difference: 0.4 · sqrt(2 / 50) = 0.08 bpc; a difference counts beyond 0.16
    models = {"teacher": bpc(1.5, 0.3, 50), "scratch": bpc(2.5, 0.4, 50), "forward-kl": bpc(2.2, 0.4, 50),
              "reverse-kl": bpc(2.4, 0.4, 50), "sequence": bpc(2.7, 0.4, 50)}
    said = readout.students(models)
    verdicts = {v["method"]: (v["verdict"], v["lower_bpc"]) for v in said["against_scratch"]}
    assert verdicts["forward-kl"] == ("gain", pytest.approx(0.3))
    assert verdicts["reverse-kl"] == ("noise", pytest.approx(0.1))
    assert verdicts["sequence"] == ("loss", pytest.approx(-0.2))
    assert said["against_scratch"][0]["noise_bpc"] == pytest.approx(0.08)
    assert (said["best"], said["runner_up"]) == ("forward-kl", "reverse-kl")
    assert said["lead"]["lower_bpc"] == pytest.approx(0.2) and said["lead"]["verdict"] == "gain"

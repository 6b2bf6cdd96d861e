"""Behaviour pins: each runner, through the CLI, on small offline settings, gives the figures it gave
before the core-protocol redesign (captured from main d441ef5 in tests/regression.json). A change of
random-number order, batching or loss arithmetic moves these numbers; a change of protocol does not.
The pins are fp32 figures: bf16 autocast is switched off, since its rounding depends on the CPU's kernels (a CPU
with AVX-512 BF16 gives other, equally valid, last digits)."""
import json
from pathlib import Path

import pytest
import torch

from kdcore.cli import main

PINS = json.loads((Path(__file__).parent / "regression.json").read_text())
RUNS = {
    "distill": ["distill", "--dataset", "digits", "--teacher-epochs", "2", "--epochs", "2", "--labelled-fraction",
                "0.2", "--seeds", "0", "1", "--device", "cpu", "--json"],
    "compare": ["compare", "--dataset", "digits", "--teacher-epochs", "2", "--epochs", "2", "--width", "16",
                "--labelled-fraction", "0.2", "--methods", "kd", "fitnet", "dkd", "born-again", "mutual",
                "--seeds", "0", "--device", "cpu", "--json"],
    "sweep": ["sweep", "--param", "alpha", "--values", "0.5", "1.0", "--seeds", "0", "--dataset", "digits",
              "--teacher-epochs", "2", "--epochs", "2", "--labelled-fraction", "0.2", "--json"],
    "omit": ["omit-class", "--digit", "3", "--seeds", "0", "--dataset", "digits", "--teacher-epochs", "2",
             "--width", "32", "--epochs", "3", "--json"],
    "transfer": ["transfer", "--source", "mnist5k", "--target", "digits", "--strategies", "source-only", "model",
                 "adversarial", "--k", "2", "--seeds", "0", "--source-steps", "20", "--target-steps", "5",
                 "--json"],
    "nlp": ["nlp", "--corpus", "{text}", "--method", "forward-kl", "--teacher-steps", "8", "--student-steps", "4",
            "--device", "cpu", "--json"],
}


def figures(name: str, result: dict) -> dict:
    """The numbers pinned for one runner's JSON result."""
    if name == "distill":
        return {f"{k}_{row['seed']}": row[k] for row in result["per_seed"]
                for k in ("baseline_accuracy", "kd_accuracy")} | {"teacher": result["teacher_accuracy"]}
    if name == "compare":
        return {row["method"]: row["mean"] for row in result["results"]}
    if name == "sweep":
        return {f"kd_{p['x']}": p["mean"] for p in result["points"]} | {
            f"hard_{p['x']}": p["mean"] for p in result["baseline_points"]}
    if name == "omit":
        return {k: result[k] for k in ("hard_accuracy_overall", "kd_accuracy_overall", "kd_accuracy_on_digit", "kd_bias")}
    if name == "nlp":
        return {k: result[k] for k in ("teacher_bpc", "scratch_bpc", "kd_bpc")}
    return {f"{row['strategy']}_{row['k']}": row["mean"] for row in result["results"]}


@pytest.mark.parametrize("name", list(RUNS))
def test_runner_gives_the_pinned_figures(name, capsys, tmp_path, monkeypatch):
    torch.set_num_threads(1)
    monkeypatch.setattr("kdcore.train.bf16_supported", lambda device: False)
    monkeypatch.setenv("KDLAB_CACHE_DIR", str(tmp_path / "cache"))  # a teacher another test cached may be bf16-trained
    text = tmp_path / "notes.txt"
    text.write_text("".join(f"Note {i}: distillation moves knowledge from a teacher to a student.\n" for i in range(60)))
    assert main([arg.format(text=text) for arg in RUNS[name]]) == 0
    got = figures(name, json.loads(capsys.readouterr().out))
    assert got == pytest.approx(PINS[name], abs=1e-6), (got, PINS[name])

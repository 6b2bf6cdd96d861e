"""What the learner reads beside results: CSV exports that carry the run's settings, and every
hidden coding check named in both languages."""
import re
from dataclasses import asdict
from io import StringIO

import pandas as pd

from kdapp.export import csv_text, flat
from kdapp.i18n import catalogue
from kdcore.config import RunConfig
from kdcore.drills import grader


def test_csv_exports_carry_the_runs_settings():
    config = RunConfig().replace(**{"method.temperature": 8.0, "seeds": (0, 1), "student.epochs": 30})  # as run_lab records it
    assert flat(asdict(config))["method.temperature"] == 8.0 and flat(asdict(config))["seeds"] == "0 1"
    table = pd.read_csv(StringIO(csv_text([{"seed": 0, "kd_accuracy": 0.9}, {"seed": 1, "kd_accuracy": 0.8}], asdict(config))))
    assert list(table["setting.method.temperature"]) == [8.0, 8.0] and set(table["setting.student.epochs"]) == {30}
    assert list(table["kd_accuracy"]) == [0.9, 0.8]


def test_every_hidden_test_has_a_name_in_both_languages():
    names = {name for ex in grader.load_exercises() for name in re.findall(r"^def (test_\w+)", ex.tests, re.M)}
    assert names and all(f"coding_checks.{name}" in catalogue() for name in names), names - {
        k.split(".", 1)[1] for k in catalogue() if k.startswith("coding_checks.")}

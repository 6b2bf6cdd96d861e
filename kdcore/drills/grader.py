"""Coding exercises and their grading.

An exercise is a folder in `questions/coding/<id>/`: `exercise.json` (titles and statements in
both languages, the demo page), `starter.py` (what the learner edits), `reference.py` (the model
solution) and `hidden_tests.py` (test functions importing from `solution`). Grading writes the
learner's code as solution.py beside the tests and the harness and runs them in the sandbox.
"""
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import ConfigError, DataUnavailable
from . import sandbox
from .bank import LANGS, QUESTIONS_DIR

EXERCISES_DIR = QUESTIONS_DIR / "coding"
HARNESS = Path(__file__).with_name("_harness.py")
SCORE_KIND = "coding:"  # a submission's row in the progress store: kind "coding:<exercise id>"
MAX_CODE_CHARS = 50_000  # a solution is a page or two; more is a paste accident


@dataclass(frozen=True)
class Exercise:
    id: str
    title: dict        # lang -> title
    statement: dict    # lang -> markdown statement
    demo: str          # page that shows the idea live
    starter: str
    reference: str
    tests: str


@dataclass
class TestOutcome:
    name: str
    passed: bool
    message: str
    seconds: float


@dataclass
class Grade:
    status: str                 # "passed" | "failed" | "timeout" | "crashed"
    tests: list[TestOutcome]
    seconds: float
    stdout: str
    stderr: str
    protections: dict

    @property
    def passed_count(self) -> int:
        return sum(t.passed for t in self.tests)


def load_exercise(folder: Path) -> Exercise:
    try:
        meta = json.loads((folder / "exercise.json").read_text(encoding="utf-8"))
        texts = {name: (folder / f"{name}.py").read_text(encoding="utf-8") for name in ("starter", "reference", "hidden_tests")}
        title, statement = meta["title"], meta["statement"]
        if not all(title.get(lang) and statement.get(lang) for lang in LANGS):
            raise KeyError("title/statement in every language")
    except (OSError, KeyError, json.JSONDecodeError) as err:
        raise DataUnavailable("exercise_incomplete", name=folder.name, reason=str(err)) from err
    return Exercise(folder.name, title, statement, meta.get("demo", "lab"), texts["starter"], texts["reference"],
                    texts["hidden_tests"])


@lru_cache(maxsize=1)
def load_exercises(directory: Path = EXERCISES_DIR) -> tuple[Exercise, ...]:
    return tuple(load_exercise(folder) for folder in sorted(Path(directory).iterdir()) if (folder / "exercise.json").is_file())


def grade(exercise: Exercise, code: str, limits: sandbox.Limits = sandbox.Limits()) -> Grade:
    """Run the hidden tests against `code`; raises ConfigError for empty or oversized code."""
    if not code.strip():
        raise ConfigError("empty_solution")
    if len(code) > MAX_CODE_CHARS:
        raise ConfigError("solution_too_long", length=len(code), limit=MAX_CODE_CHARS)
    files = {"solution.py": code, "hidden_tests.py": exercise.tests, "harness.py": HARNESS.read_text(encoding="utf-8")}
    run = sandbox.run(files, "harness.py", limits, report=True)
    raw = _parse_results(run.report)
    tests = [TestOutcome(r["name"], r["passed"], r["message"], r["seconds"]) for r in raw or []]
    if run.timed_out or run.returncode in (-9, -24):  # SIGKILL after the wall clock, SIGXCPU after the CPU limit
        status = "timeout"
        tests.append(TestOutcome("time limit", False,
                                 f"Stopped after {run.seconds:.0f} s: the code exceeded the time limit "
                                 f"({limits.cpu_s} s CPU, {limits.wall_s:.0f} s wall). Look for an endless loop.", run.seconds))
    elif raw is None or not raw:
        status = "crashed"
        tests.append(TestOutcome("run", False, f"The program ended (exit code {run.returncode}) before the tests could "
                                 "report; see the error output below.", run.seconds))
    else:
        status = "passed" if all(t.passed for t in tests) else "failed"
    return Grade(status, tests, run.seconds, run.stdout, run.stderr, run.protections)


def _parse_results(text: str | None) -> list[dict] | None:
    if text is None:
        return None
    try:
        rows = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(rows, list) or not all(isinstance(r, dict) and isinstance(r.get("name"), str)
                                             and isinstance(r.get("passed"), bool) and isinstance(r.get("message"), str)
                                             and isinstance(r.get("seconds"), (int, float)) for r in rows):
        return None
    return rows

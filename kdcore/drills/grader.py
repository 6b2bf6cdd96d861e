"""Coding exercises and their grading.

An exercise is a folder in `questions/coding/<id>/`: `exercise.json` (titles and statements in
both languages, the demo page), `starter.py` (what the learner edits), `reference.py` (the model
solution) and `hidden_tests.py`: `produce_<name>(solution)` functions that call the learner's code
and return values, and `test_<name>(produced)` checks of those values. Grading runs the harness in
the sandbox twice at once (see _harness.py): the learner's code as solution.py with the producers,
and the checks alone in a run without the learner's code, which reads what the first produced once
that run has ended.

`exercise.json` also holds 2–3 progressive hints (each in every language) and the visible examples:
a few calls (Python expressions over the solution's names, torch, nn and F, after an optional
`setup`) with their expected results as JSON data. Running them goes through the same sandbox and
harness, with a tests module made of the examples alone.
"""
import json
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import ConfigError, DataUnavailable
from . import sandbox
from .bank import LANGS, QUESTIONS_DIR

EXERCISES_DIR = QUESTIONS_DIR / "coding"
HARNESS = Path(__file__).with_name("_harness.py")
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
    examples: tuple = ()    # ({"call": expression, "expected": JSON data}, ...)
    setup: str = ""         # code the example calls may use, shown with them
    hints: tuple = ()       # ({lang: text}, ...), from a nudge to the key idea, never the code


@dataclass
class TestOutcome:
    name: str
    passed: bool
    key: str            # the message's key ("" for a pass); kdapp words it in the learner's language
    values: dict        # what the message names: expected and got values, a function, a threshold
    where: dict | None  # {"line", "function", "source"} in solution.py where a failure happened
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

    @property
    def ran(self) -> bool:
        """Did the code get as far as the checks (not stopped at import, by a crash or the clock first)?"""
        return any(t.name.startswith("test_") for t in self.tests)


def load_exercise(folder: Path) -> Exercise:
    try:
        meta = json.loads((folder / "exercise.json").read_text(encoding="utf-8"))
        texts = {name: (folder / f"{name}.py").read_text(encoding="utf-8") for name in ("starter", "reference", "hidden_tests")}
        title, statement = meta["title"], meta["statement"]
        hints = tuple(meta.get("hints", ()))
        if not all(text.get(lang) for text in (title, statement, *hints) for lang in LANGS):
            raise KeyError("title/statement/hints in every language")
        examples = meta.get("examples", {})
        cases, setup = tuple(examples.get("cases", ())), examples.get("setup", "")
        if not all(isinstance(case["call"], str) and "expected" in case for case in cases):
            raise KeyError("a call and its expected result for every example")
    except (OSError, KeyError, TypeError, AttributeError, json.JSONDecodeError) as err:
        raise DataUnavailable("exercise_incomplete", name=folder.name, reason=str(err)) from err
    return Exercise(folder.name, title, statement, meta.get("demo", "lab"), texts["starter"], texts["reference"],
                    texts["hidden_tests"], cases, setup, hints)


@lru_cache(maxsize=1)
def load_exercises(directory: Path = EXERCISES_DIR) -> tuple[Exercise, ...]:
    return tuple(load_exercise(folder) for folder in sorted(Path(directory).iterdir()) if (folder / "exercise.json").is_file())


def examples_module(exercise: Exercise) -> str:
    """The visible examples as a tests module: a producer per call and a check reporting what it expected and got."""
    lines = ["import harness", "", f"SETUP = {exercise.setup!r}", ""]
    for number, case in enumerate(exercise.examples, 1):
        lines += [f"def produce_example_{number}(solution):", f"    return harness.evaluate(solution, SETUP, {case['call']!r})",
                  "", f"def test_example_{number}(produced):",
                  f"    return harness.example(produced['example_{number}'], {case['expected']!r})", ""]
    return "\n".join(lines)


def run_examples(exercise: Exercise, code: str, limits: sandbox.Limits = sandbox.Limits()) -> Grade:
    """Run only the visible examples against `code`, in the same sandbox as `grade`."""
    return _run(examples_module(exercise), code, limits)


def grade(exercise: Exercise, code: str, limits: sandbox.Limits = sandbox.Limits()) -> Grade:
    """Run the hidden tests against `code`; raises ConfigError for empty or oversized code."""
    return _run(exercise.tests, code, limits)


def _run(tests: str, code: str, limits: sandbox.Limits) -> Grade:
    if not code.strip():
        raise ConfigError("empty_solution")
    if len(code) > MAX_CODE_CHARS:
        raise ConfigError("solution_too_long", length=len(code), limit=MAX_CODE_CHARS)
    harness = HARNESS.read_text(encoding="utf-8")
    feed_read, feed = os.pipe()
    checks_limits = sandbox.Limits(wall_s=limits.wall_s + sandbox.Limits().wall_s)  # it waits for the first run
    with ThreadPoolExecutor(max_workers=1) as pool:  # the checks' run starts now and loads while the code runs
        checking = pool.submit(sandbox.run, {"hidden_tests.py": tests, "harness.py": harness, "JUDGE": ""},
                               "harness.py", checks_limits, True, feed_read)
        try:
            run = sandbox.run({"solution.py": code, "hidden_tests.py": tests, "harness.py": harness}, "harness.py",
                              limits, report=True)
            stopped = run.timed_out or run.returncode in (-9, -24)  # SIGKILL after the wall clock, SIGXCPU (CPU)
            produced = _parse_produced(run.report)
            if produced is not None and not stopped:
                _write_all(feed, run.report.encode("utf-8"))
        finally:
            os.close(feed)  # without a report the checks' run reads nothing and ends
        judged = checking.result()
    outcomes = []
    if stopped:
        status = "timeout"
        outcomes.append(TestOutcome("time limit", False, "time_limit", {"s": run.seconds, "cpu_s": limits.cpu_s,
                                    "wall_s": limits.wall_s}, None, run.seconds))
    elif produced is None:
        status = "crashed"
        outcomes.append(TestOutcome("run", False, "run_ended", {"code": run.returncode}, None, run.seconds))
    else:
        raw = _parse_results(judged.report)
        outcomes = [TestOutcome(r["name"], r["passed"], r["key"], r["values"], r["where"], r["seconds"]) for r in raw or []]
        if not outcomes:
            status = "crashed"
            outcomes.append(TestOutcome("checks", False, "checks_ended", {"code": judged.returncode}, None, judged.seconds))
        else:
            status = "passed" if all(t.passed for t in outcomes) else "failed"
    return Grade(status, outcomes, max(run.seconds, judged.seconds), run.stdout, run.stderr, run.protections)


def _write_all(fd: int, data: bytes) -> None:
    try:
        while data:
            data = data[os.write(fd, data):]
    except BrokenPipeError:  # the checks' run ended before reading (it crashed): reported as checks_ended
        pass


def _parse_produced(text: str | None) -> dict | None:
    """The produce run's report: {name: {"value": ...} | {"error": [...]}}, or None if it is not one."""
    try:
        entries = json.loads(text) if text is not None else None
    except json.JSONDecodeError:
        return None
    if not isinstance(entries, dict) or not all(isinstance(v, dict) for v in entries.values()):
        return None
    return entries


def _parse_results(text: str | None) -> list[dict] | None:
    if text is None:
        return None
    try:
        rows = json.loads(text)
    except json.JSONDecodeError:
        return None
    if not isinstance(rows, list) or not all(isinstance(r, dict) and isinstance(r.get("name"), str)
                                             and isinstance(r.get("passed"), bool) and isinstance(r.get("key"), str)
                                             and isinstance(r.get("values"), dict)
                                             and isinstance(r.get("where"), (dict, type(None)))
                                             and isinstance(r.get("seconds"), (int, float)) for r in rows):
        return None
    return rows

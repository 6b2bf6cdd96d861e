"""Grading harness, run inside the sandbox next to solution.py and hidden_tests.py.

Runs every `test_*` function of hidden_tests in the order written and saves one record per test
to results.json: name, passed, a message the learner can act on, and seconds taken.
"""
import json
import os
import sys
import time
import traceback


def describe(err: BaseException) -> str:
    """`Type: message`, plus the line of solution.py where it happened when it happened there."""
    where = [frame for frame in traceback.extract_tb(err.__traceback__) if frame.filename.endswith("solution.py")]
    location = f" (solution.py, line {where[-1].lineno}: {where[-1].line})" if where else ""
    if isinstance(err, AssertionError):
        return (str(err) or "a check failed") + location
    if isinstance(err, NotImplementedError) and not str(err):
        return "not implemented yet: this function still raises the starter's NotImplementedError" + location
    if isinstance(err, MemoryError):
        return "MemoryError: your code asked for more memory than the sandbox allows" + location
    return f"{type(err).__name__}: {err}{location}"


def main() -> None:
    sys.path.insert(0, os.getcwd())  # python -I leaves the script's folder off the path
    results = []
    started = time.perf_counter()
    try:
        import hidden_tests
    except BaseException as err:  # the learner's module failed to import (SyntaxError, SystemExit, ...)
        results.append({"name": "import solution.py", "passed": False, "message": describe(err),
                        "seconds": time.perf_counter() - started})
    else:
        tests = [(name, fn) for name, fn in vars(hidden_tests).items() if name.startswith("test_") and callable(fn)]
        for name, fn in tests:
            started = time.perf_counter()
            try:
                fn()
                passed, message = True, ""
            except BaseException as err:
                passed, message = False, describe(err)
            results.append({"name": name, "passed": passed, "message": message,
                            "seconds": time.perf_counter() - started})
    with open("results.json", "w", encoding="utf-8") as f:
        json.dump(results, f)


if __name__ == "__main__":
    main()

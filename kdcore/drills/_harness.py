"""Grading harness, run inside the sandbox next to solution.py and hidden_tests.py.

Runs every `test_*` function of hidden_tests in the order written, each under its own time limit,
and reports one record per test on the sandbox's report channel (see sandbox.py): name, passed, a
message the learner can act on, and seconds taken. The channel's key is read, and the functions the
report needs are bound, before the learner's code is imported; the report is sent and the process
ends at once (`os._exit`), so atexit hooks, finalizers and threads of the learner's code never run
after it, and a results file the code writes is never read. Hidden tests import the helpers below (`import harness`) so every exercise
reports a wrong return value the same way: naming the function and what was expected.
"""
import errno
import json
import os
import signal
import sys
import time
import traceback

TEST_SECONDS = 20  # wall-clock limit per hidden test (a hidden_tests module may set its own TEST_SECONDS)
MESSAGE_CHARS = 2000  # longest message kept per test


class Fail(AssertionError):
    """A failed check as a message key and the values it names (what was expected, what came back)."""

    def __init__(self, key: str, **values):
        super().__init__(key)
        self.key, self.values = key, values


class TestTimeout(Exception):
    """A hidden test ran past TEST_SECONDS (an endless loop in the learner's code, usually)."""


def describe(err: BaseException) -> str:
    """`Type: message`, plus the line and function of solution.py where it happened, if it did."""
    where = [frame for frame in traceback.extract_tb(err.__traceback__) if frame.filename.endswith("solution.py")]
    location = f" (solution.py, line {where[-1].lineno} in {where[-1].name}: {where[-1].line})" if where else ""
    if isinstance(err, AssertionError):
        return (str(err) or "a check failed") + location
    if isinstance(err, NotImplementedError) and not str(err):
        return "not implemented yet: this function still raises the starter's NotImplementedError" + location
    if isinstance(err, MemoryError):
        return "MemoryError: your code asked for more memory than the sandbox allows" + location
    if isinstance(err, OSError) and err.errno == errno.EFBIG:
        return "your code printed or wrote more than the sandbox allows (1 MB): remove the prints in loops" + location
    if isinstance(err, TestTimeout):
        return f"{err} Look for a loop that never ends or far more steps than asked for{location}."
    return f"{type(err).__name__}: {err}{location}"


def tensor(value, function: str, shape: tuple | None = None, dtype=None):
    """Check that `function` returned a finite tensor of `shape` (None: any) and floating dtype
    (or exactly `dtype`); return it. The assertion message says what was expected and what came back."""
    import torch

    if not isinstance(value, torch.Tensor):
        raise AssertionError(f"{function} should return a torch.Tensor, but it returned {type(value).__name__}")
    if shape is not None and tuple(value.shape) != tuple(shape):
        raise AssertionError(f"{function} should return shape {tuple(shape)}, got {tuple(value.shape)}")
    if dtype is None and not value.is_floating_point():
        raise AssertionError(f"{function} should return floating-point values, got dtype {value.dtype}")
    if dtype is not None and value.dtype != dtype:
        raise AssertionError(f"{function} should return dtype {dtype}, got {value.dtype}")
    if value.is_floating_point() and not torch.isfinite(value).all():
        raise AssertionError(f"{function} returned NaN or infinite values: look for log(0), 0/0 or an overflowing exp")
    return value


def scalar(value, function: str) -> float:
    """A finite one-element tensor (a loss) as a float."""
    tensor(value, function, shape=None)
    if value.numel() != 1:
        raise AssertionError(f"{function} should return a single number (a 0-dimensional tensor), got shape "
                             f"{tuple(value.shape)}: reduce with .mean() or .sum() as the statement says")
    return float(value.detach())


def model(value, function: str):
    """`function` should return an nn.Module (usually the one it was given, trained)."""
    import torch.nn as nn

    if not isinstance(value, nn.Module):
        raise AssertionError(f"{function} should return the trained model (an nn.Module), got {type(value).__name__}")
    return value


def plain(value):
    """`value` as JSON data for a report: tensors as nested lists, floats rounded to 4 places."""
    import torch

    if isinstance(value, torch.Tensor):
        value = value.detach().tolist()
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, float):
        return round(value, 4) + 0.0  # + 0.0: no "-0.0"
    return value if value is None or isinstance(value, (bool, int, str)) else repr(value)[:200]


def close(got, want, tolerance: float = 1e-3) -> bool:
    """Equal data, numbers within `tolerance` (absolute, or relative for large ones)."""
    if isinstance(want, list):
        return isinstance(got, list) and len(got) == len(want) and all(map(close, got, want))
    if isinstance(want, float) or isinstance(got, float):
        return (isinstance(got, (int, float)) and not isinstance(got, bool)
                and abs(got - want) <= tolerance * max(1.0, abs(want)))
    return type(got) is type(want) and got == want


def example(call, expected):
    """A visible example: `call()` must give `expected` (JSON data); reports both either way."""
    got = plain(call())
    if not close(got, expected):
        raise Fail("example_mismatch", expected=expected, got=got)
    return {"expected": expected, "got": got}


class Spy:
    """Wraps a function of the solution module to count calls and keep their arguments, so a test
    can check that, e.g., the training loop really uses the loss the other tests checked."""

    def __init__(self, module, name: str):
        self.module, self.name, self.calls = module, name, []
        self.original = getattr(module, name)

    def __enter__(self):
        def spy(*args, **kwargs):
            self.calls.append((args, kwargs))
            return self.original(*args, **kwargs)
        setattr(self.module, self.name, spy)
        return self

    def __exit__(self, *exc):
        setattr(self.module, self.name, self.original)
        return False


def run_tests(module) -> list[dict]:
    """Every test_* function of `module`: [{"name", "passed", "message", "values", "seconds"}]; a test
    may return a dict of values to report (a visible example returns what it expected and got)."""
    results = []
    limit = getattr(module, "TEST_SECONDS", TEST_SECONDS)
    alarm = hasattr(signal, "SIGALRM")

    def stop(signum, frame):
        raise TestTimeout(f"this test did not finish within {limit:g} s.")

    if alarm:
        previous = signal.signal(signal.SIGALRM, stop)
    for name, fn in [(n, f) for n, f in vars(module).items() if n.startswith("test_") and callable(f)]:
        started = time.perf_counter()
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            values = fn()
            passed, message, values = True, "", values if isinstance(values, dict) else {}
        except BaseException as err:  # a learner's SystemExit or KeyboardInterrupt is a failed test too
            passed, message, values = False, describe(err), err.values if isinstance(err, Fail) else {}
        finally:
            if alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
        results.append({"name": name, "passed": passed, "message": message[:MESSAGE_CHARS],
                        "values": values, "seconds": time.perf_counter() - started})
    if alarm:
        signal.signal(signal.SIGALRM, previous)
    return results


def main() -> None:
    key_fd, report_fd = (int(fd) for fd in os.environ.pop("KDLAB_REPORT_FDS").split(","))
    key = os.read(key_fd, 256)
    os.close(key_fd)
    write, end, dumps, tests_of, clock = os.write, os._exit, json.dumps, run_tests, time.perf_counter
    sys.path.insert(0, os.getcwd())  # python -I leaves the script's folder off the path
    sys.modules.setdefault("harness", sys.modules[__name__])  # hidden tests `import harness`: this module
    started = clock()
    try:
        import hidden_tests
    except BaseException as err:  # the learner's module failed to import (SyntaxError, SystemExit, ...)
        results = [{"name": "import solution.py", "passed": False, "message": describe(err)[:MESSAGE_CHARS], "values": {},
                    "seconds": clock() - started}]
    else:
        results = tests_of(hidden_tests)
    payload = key + b"\n" + dumps(results, default=repr).encode("utf-8", errors="replace")
    while payload:
        payload = payload[write(report_fd, payload):]
    end(0)


if __name__ == "__main__":
    main()

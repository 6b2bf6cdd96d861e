"""Grading harness, run inside the sandbox next to solution.py and hidden_tests.py.

Runs every `test_*` function of hidden_tests in the order written, each under its own time limit,
and reports one record per test on the sandbox's report channel (see sandbox.py): name, passed, the
message as a key and its values (kdapp words it in the learner's language), where in solution.py a
failure happened, and seconds taken. The channel's key is read, and the functions the
report needs are bound, before the learner's code is imported; the report is sent and the process
ends at once (`os._exit`), so atexit hooks, finalizers and threads of the learner's code never run
after it, and a results file the code writes is never read. Hidden tests import the helpers below
(`import harness`) and fail with `harness.Fail(key, **values)`, so every exercise reports a wrong
return value the same way: naming the function, what was expected and what came back.
"""
import errno
import json
import os
import signal
import sys
import time
import traceback

TEST_SECONDS = 20  # wall-clock limit per hidden test (a hidden_tests module may set its own TEST_SECONDS)
TEXT_CHARS = 2000  # longest text value kept per message (an exception's own text)


class Fail(AssertionError):
    """A failed check as a message key and the values it names (what was expected, what came back);
    kdapp words it in the learner's language (strings/coding_messages.json)."""

    def __init__(self, key: str, **values):
        super().__init__(key)
        self.key, self.values = key, values


def check(condition, key: str, **values) -> None:
    """Fail with `key` and `values` unless `condition` holds."""
    if not condition:
        raise Fail(key, **values)


class TestTimeout(Exception):
    """A hidden test ran past TEST_SECONDS (an endless loop in the learner's code, usually)."""


def describe(err: BaseException) -> tuple[str, dict, dict | None]:
    """(message key, its values, where in solution.py it happened or None) for any exception; the text of
    an exception that is not a keyed check (the learner's own assert, a TypeError, ...) is a value."""
    frames = [frame for frame in traceback.extract_tb(err.__traceback__) if frame.filename.endswith("solution.py")]
    where = {"line": frames[-1].lineno, "function": frames[-1].name, "source": frames[-1].line} if frames else None
    if isinstance(err, Fail):
        return err.key, err.values, where
    if isinstance(err, AssertionError):
        return ("assertion", {"text": str(err)}, where) if str(err) else ("check_failed", {}, where)
    if isinstance(err, NotImplementedError) and not str(err):
        return "not_implemented", {}, where
    if isinstance(err, MemoryError):
        return "memory", {}, where
    if isinstance(err, OSError) and err.errno == errno.EFBIG:
        return "output_limit", {}, where
    if isinstance(err, TestTimeout):
        return "test_timeout", {"limit": err.args[0]}, where
    return "error", {"type": type(err).__name__, "error": str(err)}, where


def tensor(value, function: str, shape: tuple | None = None, dtype=None):
    """Check that `function` returned a finite tensor of `shape` (None: any) and floating dtype
    (or exactly `dtype`); return it. The failure names what was expected and what came back."""
    import torch

    check(isinstance(value, torch.Tensor), "not_tensor", function=function, type=type(value).__name__)
    check(shape is None or tuple(value.shape) == tuple(shape), "wrong_shape", function=function,
          want=str(tuple(shape or ())), got=str(tuple(value.shape)))
    check(dtype is not None or value.is_floating_point(), "not_float", function=function, dtype=str(value.dtype))
    check(dtype is None or value.dtype == dtype, "wrong_dtype", function=function, want=str(dtype), got=str(value.dtype))
    check(not value.is_floating_point() or bool(torch.isfinite(value).all()), "not_finite", function=function)
    return value


def scalar(value, function: str) -> float:
    """A finite one-element tensor (a loss) as a float."""
    tensor(value, function, shape=None)
    check(value.numel() == 1, "not_scalar", function=function, shape=str(tuple(value.shape)))
    return float(value.detach())


def model(value, function: str):
    """`function` should return an nn.Module (usually the one it was given, trained)."""
    import torch.nn as nn

    check(isinstance(value, nn.Module), "not_module", function=function, type=type(value).__name__)
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


def record(name: str, passed: bool, key: str, values: dict, where: dict | None, seconds: float) -> dict:
    values = {k: v[:TEXT_CHARS] if isinstance(v, str) else v for k, v in values.items()}
    return {"name": name, "passed": passed, "key": key, "values": values, "where": where, "seconds": seconds}


def run_tests(module) -> list[dict]:
    """Every test_* function of `module`: [{"name", "passed", "key", "values", "where", "seconds"}]; a
    passing test may return a dict of values to report (a visible example: what it expected and got)."""
    results = []
    limit = getattr(module, "TEST_SECONDS", TEST_SECONDS)
    alarm = hasattr(signal, "SIGALRM")

    def stop(signum, frame):
        raise TestTimeout(limit)

    if alarm:
        previous = signal.signal(signal.SIGALRM, stop)
    for name, fn in [(n, f) for n, f in vars(module).items() if n.startswith("test_") and callable(f)]:
        started = time.perf_counter()
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            values = fn()
            passed, key, values, where = True, "", values if isinstance(values, dict) else {}, None
        except BaseException as err:  # a learner's SystemExit or KeyboardInterrupt is a failed test too
            passed, (key, values, where) = False, describe(err)
        finally:
            if alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
        results.append(record(name, passed, key, values, where, time.perf_counter() - started))
    if alarm:
        signal.signal(signal.SIGALRM, previous)
    return results


def main() -> None:
    key_fd, report_fd = (int(fd) for fd in os.environ.pop("KDLAB_REPORT_FDS").split(","))
    key = os.read(key_fd, 256)
    os.close(key_fd)
    write, end, dumps, tests_of, clock, entry = os.write, os._exit, json.dumps, run_tests, time.perf_counter, record
    sys.path.insert(0, os.getcwd())  # python -I leaves the script's folder off the path
    sys.modules.setdefault("harness", sys.modules[__name__])  # hidden tests `import harness`: this module
    started = clock()
    try:
        import hidden_tests
    except BaseException as err:  # the learner's module failed to import (SyntaxError, SystemExit, ...)
        results = [entry("import solution.py", False, *describe(err), clock() - started)]
    else:
        results = tests_of(hidden_tests)
    payload = key + b"\n" + dumps(results, default=repr).encode("utf-8", errors="replace")
    while payload:
        payload = payload[write(report_fd, payload):]
    end(0)


if __name__ == "__main__":
    main()

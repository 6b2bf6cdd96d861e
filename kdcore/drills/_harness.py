"""Grading harness. Each grade runs it in the sandbox twice, so no check shares a process with the
learner's code:

1. **Produce** (the learner's run, beside solution.py): every `produce_<name>(solution)` function of
   hidden_tests is called in the order written, each under its own time limit. What it returns
   (tensors, numbers, text, and lists and dicts of them) is encoded as data (`encode`) and sent on the
   sandbox's report channel (see sandbox.py); where the learner's code raised, the error goes instead,
   as a message key with where in solution.py it happened. Nothing in this run decides anything.
2. **Judge** (a second sandbox run, with a file named JUDGE and without solution.py; it starts with
   the first, loads torch and the tests and calls their `prepare()` if they have one, then reads the
   first run's report on its standard input once that run has ended): the data is decoded (`decode`: whitelisted dtypes, every size checked) and every
   `test_<name>(produced)` function checks it, one record per test: name, passed, the message as a
   key and its values (kdapp words it in the learner's language), where, seconds.

So code that patches torch, this module or the tests changes only the values it hands over, and
those are judged by a process it cannot reach. In the produce run the channel's key is read, and
the functions the report needs are bound, before the learner's code is imported; the report is sent
and the process ends at once (`os._exit`), so atexit hooks, finalizers and threads of the learner's
code never run after it, and files it writes are never read. Hidden tests import the helpers below
(`import harness`) and fail with `harness.Fail(key, **values)`, so every exercise reports a wrong
return value the same way: naming the function, what was expected and what came back.
"""
import base64
import errno
import json
import os
import signal
import sys
import time
import traceback

TEST_SECONDS = 20  # wall-clock limit per producer and per check (a hidden_tests module may set its own)
TEXT_CHARS = 2000  # longest text value kept per message (an exception's own text)
JUDGE = "JUDGE"  # a file of this name in the folder at start is what makes a run the judge
INPUT_BYTES = 1 << 24  # most the judge reads of the produced data
DTYPES = ("float32", "float64", "float16", "bfloat16", "int64", "int32", "int16", "int8", "uint8", "bool")
DEPTH = 8  # nesting of lists and dicts a produced value may have
TENSOR_BYTES = 1 << 21  # largest tensor handed over; a larger one is handed over as its type only


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
    """A producer or check ran past TEST_SECONDS (an endless loop in the learner's code, usually)."""


class Reported(Exception):
    """In the judge: the learner's code raised while producing a value a check needs."""

    def __init__(self, key: str, values: dict, where: dict | None):
        super().__init__(key)
        self.key, self.values, self.where = key, values, where


class Foreign:
    """A produced value that is not data (a module, a generator, ...): the judge sees its type only."""

    def __init__(self, type_name: str, module: bool = False):
        self.type_name, self.module = type_name, module

    def __repr__(self) -> str:
        return f"<{self.type_name}>"


def describe(err: BaseException) -> tuple[str, dict, dict | None]:
    """(message key, its values, where in solution.py it happened or None) for any exception; the text of
    an exception that is not a keyed check (the learner's own assert, a TypeError, ...) is a value."""
    if isinstance(err, Reported):
        return err.key, err.values, err.where
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


def type_name(value) -> str:
    return value.type_name if isinstance(value, Foreign) else type(value).__name__


def tensor(value, function: str, shape: tuple | None = None, dtype=None):
    """Check that `function` returned a finite tensor of `shape` (None: any) and floating dtype
    (or exactly `dtype`); return it. The failure names what was expected and what came back."""
    import torch

    check(isinstance(value, torch.Tensor), "not_tensor", function=function, type=type_name(value))
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
    return float(value)


def model(value, function: str):
    """`function` should return an nn.Module (usually the one it was given, trained). Works on the
    learner's side (the object) and in the judge (its Foreign stand-in)."""
    import torch.nn as nn

    module = isinstance(value, nn.Module) or (isinstance(value, Foreign) and value.module)
    check(module, "not_module", function=function, type=type_name(value))
    return value


def state(module) -> dict:
    """A module's weights as a dict of copies (what a producer hands over for the checks to compare or load)."""
    return {k: v.detach().clone() for k, v in module.state_dict().items()}


def load(net, state, function: str):
    """`net` with the weights `function` handed over (a state dict); fails naming `function` if they do
    not fit that network (another architecture, missing or extra tensors)."""
    import torch

    own = net.state_dict()
    fits = isinstance(state, dict) and set(state) == set(own) and all(
        isinstance(state[k], torch.Tensor) and state[k].shape == w.shape for k, w in own.items())
    check(fits, "weights_do_not_fit", function=function)
    net.load_state_dict(state)
    return net


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


def example(value, expected):
    """A visible example's check: the produced `value` must be `expected` (JSON data); reports both either way."""
    got = plain(value)
    if not close(got, expected):
        raise Fail("example_mismatch", expected=expected, got=got)
    return {"expected": expected, "got": got}


NAMESPACE: dict = {}  # the solution module the examples' names were last built from, and those names


def evaluate(solution, setup: str, call: str):
    """A visible example's producer: `call` evaluated over the solution's names, torch, nn and F, after
    `setup` (run once per solution)."""
    if NAMESPACE.get("solution") is not solution:
        import torch
        import torch.nn as nn
        import torch.nn.functional as F

        names = {k: v for k, v in vars(solution).items() if not k.startswith("_")}
        NAMESPACE.update(solution=solution, names={"torch": torch, "nn": nn, "F": F, **names})
        exec(setup, NAMESPACE["names"])
    return eval(call, NAMESPACE["names"])


class Spy:
    """Wraps a function of the solution module to count calls and keep their arguments, so a producer
    can hand over, e.g., the temperatures the training loop really passed to the loss."""

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


def encode(value, depth: int = 0):
    """A produced value as JSON data: numbers, text and None as they are; {"tensor", "shape", "data"}
    (raw bytes, base64), {"list": [...]}, {"dict": {...}}; anything else {"object": its type}."""
    import torch
    import torch.nn as nn

    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if depth >= DEPTH:
        return {"object": "nested too deep", "module": False}
    if isinstance(value, torch.Tensor):
        dtype = str(value.dtype).removeprefix("torch.")
        if dtype not in DTYPES or value.is_sparse or value.numel() * value.element_size() > TENSOR_BYTES:
            return {"object": f"tensor of {value.dtype}, shape {tuple(value.shape)}", "module": False}
        flat = value.detach().cpu().contiguous().reshape(-1)
        data = flat.view(torch.uint8).numpy().tobytes() if flat.numel() else b""
        return {"tensor": dtype, "shape": list(value.shape), "data": base64.b64encode(data).decode("ascii")}
    if isinstance(value, (list, tuple)):
        return {"list": [encode(v, depth + 1) for v in value]}
    if isinstance(value, dict):
        return {"dict": {str(k): encode(v, depth + 1) for k, v in value.items()}}
    return {"object": type(value).__name__, "module": isinstance(value, nn.Module)}


def decode(data, depth: int = 0):
    """`encode`'s data back as values; raises ValueError for anything `encode` cannot have written."""
    import torch

    if data is None or isinstance(data, (bool, int, float, str)):
        return data
    keys = set(data) if isinstance(data, dict) else None
    if keys not in ({"list"}, {"dict"}, {"object", "module"}, {"tensor", "shape", "data"}):
        raise ValueError("not produced data")
    if keys == {"object", "module"}:
        return Foreign(str(data["object"])[:100], data["module"] is True)
    if depth >= DEPTH:  # encode writes no container deeper than this
        raise ValueError("nested too deep")
    if keys == {"list"} and isinstance(data["list"], list):
        return [decode(v, depth + 1) for v in data["list"]]
    if keys == {"dict"} and isinstance(data["dict"], dict):
        return {str(k): decode(v, depth + 1) for k, v in data["dict"].items()}
    dtype, shape, raw = data.get("tensor"), data.get("shape"), data.get("data")
    if dtype not in DTYPES or not isinstance(shape, list) or not isinstance(raw, str) or len(shape) > 8 \
            or not all(isinstance(n, int) and not isinstance(n, bool) and 0 <= n for n in shape):
        raise ValueError("not a produced tensor")
    kind, numel = getattr(torch, dtype), 1
    for n in shape:
        numel *= n
    raw = base64.b64decode(raw, validate=True)
    if len(raw) != numel * torch.empty((), dtype=kind).element_size():
        raise ValueError("tensor data does not fit its shape")
    if not numel:
        return torch.empty(shape, dtype=kind)
    return torch.frombuffer(bytearray(raw), dtype=torch.uint8).view(kind).reshape(shape).clone()


class Produced:
    """What the produce run handed over, by producer name; a value whose producer raised re-raises
    the learner's error, so the check that needs it fails with it."""

    def __init__(self, entries):
        self.entries = entries

    def __getitem__(self, name: str):
        entry = self.entries.get(name)
        if not isinstance(entry, dict) or not ("value" in entry or "error" in entry):
            raise Fail("not_produced", name=name)
        if "error" in entry:
            key, values, where = entry["error"]
            raise Reported(str(key), values if isinstance(values, dict) else {}, where if isinstance(where, dict) else None)
        try:
            return decode(entry["value"])
        except (ValueError, TypeError, RuntimeError) as err:
            raise Fail("not_produced", name=name) from err


def record(name: str, passed: bool, key: str, values: dict, where: dict | None, seconds: float) -> dict:
    values = {k: v[:TEXT_CHARS] if isinstance(v, str) else v for k, v in values.items()}
    return {"name": name, "passed": passed, "key": key, "values": values, "where": where, "seconds": seconds}


def timed(functions, limit: float):
    """Call each (name, fn) in turn under a wall-clock limit: yields (name, returned, error, seconds)."""
    alarm = hasattr(signal, "SIGALRM")

    def stop(signum, frame):
        raise TestTimeout(limit)

    if alarm:
        previous = signal.signal(signal.SIGALRM, stop)
    for name, fn in functions:
        started = time.perf_counter()
        if alarm:
            signal.setitimer(signal.ITIMER_REAL, limit)
        try:
            returned, error = fn(), None
        except BaseException as err:  # a learner's SystemExit or KeyboardInterrupt is a failure too
            returned, error = None, err
        finally:
            if alarm:
                signal.setitimer(signal.ITIMER_REAL, 0)
        yield name, returned, error, time.perf_counter() - started
    if alarm:
        signal.signal(signal.SIGALRM, previous)


def named(module, prefix: str) -> list:
    return [(n[len(prefix):], f) for n, f in vars(module).items() if n.startswith(prefix) and callable(f)]


def produce(module, solution) -> dict:
    """Every produce_<name>(solution) of `module`: {name: {"value": encoded} | {"error": [key, values, where]}}."""
    limit = getattr(module, "TEST_SECONDS", TEST_SECONDS)
    entries = {}
    for name, returned, error, _ in timed([(n, lambda f=f: encode(f(solution))) for n, f in named(module, "produce_")], limit):
        entries[name] = {"value": returned} if error is None else {"error": list(describe(error))}
    return entries


def judge(module, entries) -> list[dict]:
    """Every test_<name>(produced) of `module` against the producers' `entries`: one record each; a
    passing check may return a dict of values to report (a visible example: what it expected and got)."""
    produced, results = Produced(entries), []
    if "import solution.py" in entries:  # the learner's module did not import: that is the one result
        try:
            produced["import solution.py"]
            raise Fail("not_produced", name="solution.py")
        except Exception as err:
            return [record("import solution.py", False, *describe(err), 0.0)]
    limit = getattr(module, "TEST_SECONDS", TEST_SECONDS)
    checks = [(f"test_{n}", lambda f=f: f(produced)) for n, f in named(module, "test_")]
    for name, returned, error, seconds in timed(checks, limit):
        if error is None:
            results.append(record(name, True, "", returned if isinstance(returned, dict) else {}, None, seconds))
        else:
            results.append(record(name, False, *describe(error), seconds))
    return results


def main() -> None:
    key_fd, report_fd = (int(fd) for fd in os.environ.pop("KDLAB_REPORT_FDS").split(","))
    key = os.read(key_fd, 256)
    os.close(key_fd)
    write, end, dumps, encoded = os.write, os._exit, json.dumps, produce
    judging = os.path.exists(JUDGE)  # decided before anything else is read
    sys.path.insert(0, os.getcwd())  # python -I leaves the script's folder off the path
    sys.modules.setdefault("harness", sys.modules[__name__])  # hidden tests `import harness`: this module
    import hidden_tests

    if judging:
        getattr(hidden_tests, "prepare", lambda: None)()  # what the checks compute, while the learner's code runs
        data = sys.stdin.buffer.read(INPUT_BYTES + 1)
        if not data or len(data) > INPUT_BYTES:  # nothing to judge: the learner's run ended without a report
            end(0)
        result = judge(hidden_tests, json.loads(data))
    else:
        try:
            import solution
        except BaseException as err:  # the learner's module failed to import (SyntaxError, SystemExit, ...)
            result = {"import solution.py": {"error": list(describe(err))}}
        else:
            result = encoded(hidden_tests, solution)
    payload = key + b"\n" + dumps(result, default=repr).encode("utf-8", errors="replace")
    while payload:
        payload = payload[write(report_fd, payload):]
    end(0)


if __name__ == "__main__":
    main()

"""Run untrusted Python in a separate process with limits: a temp dir, `python -I`, a stripped
environment, CPU/memory/file-size/process limits, a wall-clock timeout after which the whole
process tree is killed, captured and capped output, and no network where the OS allows it.

What is enforced depends on the machine and is reported in `RunResult.protections`:
- network: a fresh network namespace (root, or unprivileged user namespaces); otherwise the
  code could reach the network, and only proxies are cleared.
- processes: a pids cgroup (root with a writable cgroup fs) or RLIMIT_NPROC (ordinary users).
This is a guard for a learner's own machine against accidents and silly code, not a boundary
against a determined attacker: public deployments must disable code execution (see `allowed`).
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

LAUNCHER = Path(__file__).with_name("_launcher.py")
CGROUP_ROOTS = (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup"))
LOCAL_ADDRESSES = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class Limits:
    wall_s: float = 60.0           # real time before the whole process tree is killed
    cpu_s: int = 45                # CPU seconds per process (SIGXCPU, then SIGKILL)
    memory_mb: int = 1024          # RLIMIT_DATA: heap and private mappings; torch imports in ~0.5 GB
    address_space_mb: int = 8192   # RLIMIT_AS ceiling; torch reserves ~3.3 GB of address space at import
    file_mb: int = 1               # largest file, stdout or stderr the code may write
    processes: int = 64            # tasks (threads count too) the code may add
    output_chars: int = 6000       # characters of stdout/stderr shown back to the learner


@dataclass
class RunResult:
    returncode: int | None
    seconds: float
    timed_out: bool
    stdout: str
    stderr: str
    files: dict = field(default_factory=dict)          # requested result files that exist: name -> text
    protections: dict = field(default_factory=dict)    # what the launcher could enforce


def allowed(server_address: str | None, env: dict | None = None) -> bool:
    """May the app run learners' code? KDLAB_ALLOW_CODE=1/0 decides; otherwise only when the server
    listens on localhost alone (Streamlit's default, an empty address, listens on every interface)."""
    flag = (env if env is not None else os.environ).get("KDLAB_ALLOW_CODE", "").strip().lower()
    if flag in ("1", "true", "yes"):
        return True
    if flag in ("0", "false", "no"):
        return False
    return (server_address or "").strip() in LOCAL_ADDRESSES


def _make_cgroup(processes: int) -> Path | None:
    if os.getuid() != 0:
        return None
    for root in CGROUP_ROOTS:
        group = root / f"kdlab-grader-{uuid.uuid4().hex[:12]}"
        try:
            group.mkdir()
        except OSError:
            continue
        try:
            (group / "pids.max").write_text(str(processes + 8))  # + the interpreter's own threads
            return group
        except OSError:
            group.rmdir()
    return None


def _kill_tree(proc: subprocess.Popen, group: Path | None) -> None:
    """Kill the session started for the run and, with a cgroup, every task in it, then remove it."""
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()
    if group is None:
        return
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        pids = [int(p) for p in (group / "cgroup.procs").read_text().split()]
        if not pids:
            break
        for pid in pids:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        time.sleep(0.05)
    try:
        group.rmdir()
    except OSError:
        pass


def _read_capped(path: Path, limit: int) -> str:
    with open(path, "rb") as f:
        data = f.read(limit * 4 + 4)
    text = data.decode("utf-8", errors="replace")
    return text if len(text) <= limit else text[:limit] + "\n… (output truncated)"


def run(files: dict[str, str], entry: str, limits: Limits = Limits(), result_files=()) -> RunResult:
    """Write `files` into a fresh temp dir and run `python -I entry` there under `limits`."""
    with tempfile.TemporaryDirectory(prefix="kdlab-sandbox-") as tmp:
        work = Path(tmp)
        for name, text in files.items():
            (work / name).write_text(text, encoding="utf-8")
        env = {"PATH": "/usr/bin:/bin", "HOME": tmp, "TMPDIR": tmp, "LANG": "C.UTF-8", "PYTHONHASHSEED": "0",
               "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "no_proxy": "*", "NO_PROXY": "*"}
        group = _make_cgroup(limits.processes)
        config = {"entry": entry, "env": env, "limits": asdict(limits), "cgroup": str(group) if group else ""}
        started = time.monotonic()
        with open(work / "stdout.txt", "wb") as out, open(work / "stderr.txt", "wb") as err:
            proc = subprocess.Popen([sys.executable, "-I", "-S", str(LAUNCHER), json.dumps(config)], cwd=work,
                                    env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True)
            try:
                proc.wait(timeout=limits.wall_s)
                timed_out = False
            except subprocess.TimeoutExpired:
                timed_out = True
            finally:
                _kill_tree(proc, group)
        seconds = time.monotonic() - started
        found = {name: (work / name).read_text(encoding="utf-8", errors="replace")
                 for name in result_files if (work / name).is_file()}
        protections = json.loads((work / "sandbox.json").read_text()) if (work / "sandbox.json").is_file() else {}
        return RunResult(proc.returncode, seconds, timed_out, _read_capped(work / "stdout.txt", limits.output_chars),
                         _read_capped(work / "stderr.txt", limits.output_chars), found, protections)

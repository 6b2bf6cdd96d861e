"""Run untrusted Python in a separate process with limits: a temp dir, `python -I`, a stripped
environment, CPU/memory/file-size/process limits, a wall-clock timeout after which the whole
process tree is killed, captured and capped output, and no network where the OS allows it.

What is enforced depends on the machine and is reported in `RunResult.protections`:
- network: a fresh network namespace (root, or unprivileged user namespaces); otherwise the
  code could reach the network, and only proxies are cleared.
- processes: a pids cgroup (root with a writable cgroup fs) or RLIMIT_NPROC (ordinary users).
- jail: with bubblewrap (`bwrap`) on the PATH and working, the code runs as uid 65534 in fresh
  user, mount, pid, network, IPC and UTS namespaces, with read-only binds of /usr and the Python
  installation, a private /tmp, every capability dropped, a new session, and --die-with-parent: it
  cannot see the server's files, environment or processes. Without it the run is only a guard against
  accidents; a classroom server refuses learner code then (`refusal`).

The entry may send one report back (`run(..., report=True)`): not through a file in its folder, which
the code could rewrite after the fact, but through an inherited pipe. The parent first hands it a fresh
random key on a second pipe (named with the pipe fds in KDLAB_REPORT_FDS="key_fd,report_fd"); the
report must be exactly `key + "\n" + text`, so bytes the code writes to the pipe itself, or files it
leaves behind, are not taken for a report. The entry reads the key before it loads anything untrusted.
A run may also read its input from a pipe the caller writes later (`stdin`), so it can start loading
before that input exists.
"""
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path

LAUNCHER = Path(__file__).with_name("_launcher.py")
CGROUP_ROOTS = (Path("/sys/fs/cgroup/pids"), Path("/sys/fs/cgroup"))
LOCAL_ADDRESSES = ("127.0.0.1", "localhost", "::1")
JAIL_UID = 65534  # "nobody" inside the jail's user namespace
WORK = "/work"    # the exercise folder's path inside the jail
REPORT_FDS = "KDLAB_REPORT_FDS"
REPORT_MAX_BYTES = 1 << 24  # a report longer than this is not read further (and then rejected)


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
    report: str | None = None                          # the keyed report the entry sent, if it sent exactly one
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


def refusal(server_address: str | None, env: dict | None = None) -> str | None:
    """Why learner code may not run here (a message key), or None when it may: off by setting or by
    the address, or a server reachable by others (a classroom) without the strong jail."""
    if not allowed(server_address, env):
        return "disabled"
    if (server_address or "").strip() not in LOCAL_ADDRESSES and not jail_available():
        return "needs_jail"
    return None


def _bwrap_args(work: Path) -> list[str]:
    python_roots = sorted({str(Path(p).resolve()) for p in (sys.prefix, sys.base_prefix, Path(sys.executable).resolve().parent)})
    args = ["bwrap", "--unshare-all", "--uid", str(JAIL_UID), "--gid", str(JAIL_UID), "--die-with-parent",
            "--new-session", "--cap-drop", "ALL", "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev",
            "--tmpfs", "/tmp", "--bind", str(work), WORK, "--chdir", WORK]
    for link in ("lib", "lib64", "bin", "sbin"):
        if Path("/", link).is_symlink():
            args += ["--symlink", os.readlink(Path("/", link)), f"/{link}"]
    for root in python_roots:
        if not root.startswith("/usr/"):
            args += ["--ro-bind", root, root]
    return args + ["--remount-ro", "/", "--"]


@lru_cache(maxsize=1)
def jail_available() -> bool:
    """Does bubblewrap run a Python here (it needs user namespaces)? Checked once per process."""
    if shutil.which("bwrap") is None:
        return False
    with tempfile.TemporaryDirectory(prefix="kdlab-jailcheck-") as tmp:
        try:
            done = subprocess.run(_bwrap_args(Path(tmp)) + [sys.executable, "-I", "-S", "-c", "import os; print(os.getuid())"],
                                  capture_output=True, text=True, timeout=30, env={"PATH": "/usr/bin:/bin"})
        except (OSError, subprocess.TimeoutExpired):
            return False
    return done.returncode == 0 and done.stdout.strip() == str(JAIL_UID)


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


def _read_protections(path: Path, cgroup: bool, jailed: bool) -> dict:
    """What held: the launcher's report (written before the learner's code ran) and the grader's own facts."""
    try:
        report = json.loads(_read_capped(path, 2000)) if path.is_file() else {}
    except json.JSONDecodeError:
        report = {}
    report = {k: v for k, v in report.items() if k in ("process_cap", "network") and isinstance(v, str)} if isinstance(report, dict) else {}
    if cgroup:
        report["process_cap"] = "cgroup"
    report["jail"] = "bubblewrap" if jailed else "none"
    if jailed:
        report["network"] = "isolated"
    return report


class _ReportChannel:
    """The key pipe (written and closed before the run starts) and the report pipe, read while it runs."""

    def __init__(self):
        self.key = secrets.token_hex(32).encode()
        key_read, key_write = os.pipe()
        os.write(key_write, self.key)
        os.close(key_write)
        self.read_end, report_write = os.pipe()
        self.child_fds = (key_read, report_write)
        self.chunks: list[bytes] = []
        self.reader = threading.Thread(target=self._drain, daemon=True)

    def _drain(self) -> None:
        total = 0
        while total <= REPORT_MAX_BYTES:
            chunk = os.read(self.read_end, 65536)
            if not chunk:
                break
            self.chunks.append(chunk)
            total += len(chunk)

    def started(self) -> None:
        """The child holds its ends now: close ours so the reader sees end-of-file when the run ends."""
        for fd in self.child_fds:
            os.close(fd)
        self.reader.start()

    def report(self) -> str | None:
        self.reader.join(timeout=5)
        os.close(self.read_end)
        data = b"".join(self.chunks)
        if self.reader.is_alive() or len(data) > REPORT_MAX_BYTES or not data.startswith(self.key + b"\n"):
            return None
        return data[len(self.key) + 1:].decode("utf-8", errors="replace")


def run(files: dict[str, str], entry: str, limits: Limits = Limits(), report: bool = False,
        stdin: int | None = None) -> RunResult:
    """Write `files` into a fresh temp dir and run `python -I entry` there under `limits`; with
    `report`, hand it the report channel described above and return what it sent. `stdin` is the read
    end of a pipe: the run gets it as its standard input, and it is closed here once the run started."""
    with tempfile.TemporaryDirectory(prefix="kdlab-sandbox-") as tmp:
        work = Path(tmp)
        for name, text in files.items():
            (work / name).write_text(text, encoding="utf-8")
        env = {"PATH": "/usr/bin:/bin", "HOME": tmp, "TMPDIR": tmp, "LANG": "C.UTF-8", "PYTHONHASHSEED": "0",
               "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "no_proxy": "*", "NO_PROXY": "*"}
        group = _make_cgroup(limits.processes)
        jailed = jail_available()
        if jailed:  # the launcher runs inside the jail, from a copy in the exercise folder
            os.chmod(work, 0o777)  # the jail's uid writes its outputs there
            (work / "_launcher.py").write_text(LAUNCHER.read_text(encoding="utf-8"), encoding="utf-8")
            env = {**env, "HOME": WORK, "TMPDIR": "/tmp"}
        channel = _ReportChannel() if report else None
        if channel is not None:
            env[REPORT_FDS] = ",".join(map(str, channel.child_fds))
        config = {"entry": entry, "env": env, "limits": asdict(limits), "cgroup": "", "jail": jailed}
        command = [sys.executable, "-I", "-S", f"{WORK}/_launcher.py" if jailed else str(LAUNCHER), json.dumps(config)]
        if jailed:
            command = _bwrap_args(work) + command
        if group is not None:  # join the pids cgroup before anything of the run starts
            command = ["/bin/sh", "-c", 'echo $$ > "$0" && exec "$@"', str(group / "cgroup.procs")] + command
        started = time.monotonic()
        with open(work / "stdout.txt", "wb") as out, open(work / "stderr.txt", "wb") as err:
            proc = subprocess.Popen(command, cwd=work, env={"PATH": "/usr/bin:/bin"} if jailed else env,
                                    stdin=subprocess.DEVNULL if stdin is None else stdin, stdout=out, stderr=err, start_new_session=True,
                                    pass_fds=channel.child_fds if channel else ())
            if channel is not None:
                channel.started()
            if stdin is not None:
                os.close(stdin)  # the run holds its copy: a writer sees a broken pipe if it ends unread
            try:
                proc.wait(timeout=limits.wall_s)
                timed_out = False
            except subprocess.TimeoutExpired:
                timed_out = True
            finally:
                _kill_tree(proc, group)
        seconds = time.monotonic() - started
        protections = _read_protections(work / "sandbox.json", group is not None, jailed)
        code = proc.returncode
        if jailed and code is not None and code > 128:  # bwrap reports a signalled child as 128 + signal
            code = 128 - code
        return RunResult(code, seconds, timed_out, _read_capped(work / "stdout.txt", limits.output_chars),
                         _read_capped(work / "stderr.txt", limits.output_chars), channel.report() if channel else None, protections)

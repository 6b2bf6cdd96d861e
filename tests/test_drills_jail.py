"""Hostile learner code against the bubblewrap jail: each case must be contained."""
import os
import socket
import time
import uuid
from pathlib import Path

import pytest

from kdcore.drills import sandbox

pytestmark = pytest.mark.skipif(not sandbox.jail_available(),
                                reason="bubblewrap (bwrap) is absent or cannot create namespaces here")
QUICK = sandbox.Limits(wall_s=15, cpu_s=10)


def jailed(code: str, limits: sandbox.Limits = QUICK) -> sandbox.RunResult:
    result = sandbox.run({"main.py": code}, "main.py", limits)
    assert result.protections["jail"] == "bubblewrap" and result.protections["network"] == "isolated"
    return result


def test_runs_as_nobody_in_its_own_pid_namespace():
    out = jailed("import os\nprint(os.getuid(), os.getpid(), sorted(p for p in os.listdir('/proc') if p.isdigit()))\n")
    uid, pid = out.stdout.split()[:2]
    assert uid == str(sandbox.JAIL_UID) and int(pid) < 10, out.stdout + out.stderr


def test_cannot_write_outside_its_folder(tmp_path):
    target = tmp_path / "pwned"
    out = jailed(f"for p in [{str(target)!r}, '/usr/pwned', '/pwned']:\n"
                 "    try:\n        open(p, 'w').write('x'); print('WROTE', p)\n"
                 "    except OSError as e:\n        print('refused', type(e).__name__)\n")
    assert "WROTE" not in out.stdout and out.stdout.count("refused") == 3, out.stdout + out.stderr
    assert not target.exists() and not Path("/usr/pwned").exists()


def test_cannot_read_server_files_or_environment(tmp_path, monkeypatch):
    secret = uuid.uuid4().hex
    (tmp_path / "progress.db").write_text(secret)
    monkeypatch.setenv("KDLAB_TEST_SECRET", secret)
    out = jailed(f"import os, glob\nprint(sorted(os.environ.items()))\n"
                 f"for p in [{str(tmp_path / 'progress.db')!r}] + glob.glob('/proc/*/environ'):\n"
                 "    try:\n        print(open(p, errors='replace').read())\n"
                 "    except OSError as e:\n        print('refused', p)\n")
    assert secret not in out.stdout and "refused" in out.stdout, out.stdout + out.stderr
    reference = Path(__file__).resolve().parents[1] / "questions" / "coding"
    out = jailed(f"import os\nprint(os.path.exists({str(reference)!r}), os.path.exists({__file__!r}), os.path.exists('/home'))\n")
    assert out.stdout.split() == ["False", "False", "False"], out.stdout + out.stderr


def test_setns_and_loopback_connect_fail():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    server.settimeout(0.5)
    port = server.getsockname()[1]
    out = jailed("import ctypes, os, socket\nlibc = ctypes.CDLL(None, use_errno=True)\n"
                 f"for pid in [1, os.getppid(), {os.getpid()}]:\n"
                 "    try:\n        fd = os.open(f'/proc/{pid}/ns/net', os.O_RDONLY)\n"
                 "        print('setns', pid, libc.setns(fd, 0x40000000))\n"
                 "    except OSError as e:\n        print('open refused', pid)\n"
                 "try:\n"
                 f"    socket.create_connection(('127.0.0.1', {port}), timeout=2); print('CONNECTED')\n"
                 "except OSError as e:\n    print('connect refused', e)\n")
    with pytest.raises(TimeoutError):
        server.accept()
    server.close()
    assert "CONNECTED" not in out.stdout and "connect refused" in out.stdout, out.stdout + out.stderr


def test_cannot_kill_the_server():
    out = jailed(f"import os, signal\nfor pid in [os.getppid(), {os.getpid()}, {os.getppid()}]:\n"
                 "    try:\n        os.kill(pid, signal.SIGKILL); print('sent', pid)\n"
                 "    except OSError as e:\n        print('refused', pid, type(e).__name__)\n")
    assert os.getpid() > 0 and out.returncode is not None  # this test process is alive to read the result
    assert "refused" in out.stdout, out.stdout + out.stderr


def _host_processes_with(marker: str) -> list[str]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if marker in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace"):
                found.append(pid)
        except OSError:
            pass
    return found


def test_nothing_survives_the_run():
    marker = f"{time.time() % 1000 + 5000:.6f}"
    jailed(f"import os, subprocess\nif os.fork() == 0:\n    os.setsid()\n"
           f"    subprocess.Popen(['/usr/bin/sleep', '{marker}'], start_new_session=True)\n    os._exit(0)\n"
           "print('spawned')\n")
    time.sleep(0.5)
    assert _host_processes_with(marker) == []


def test_fork_bomb_is_contained():
    started = time.monotonic()
    out = jailed("import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n")
    assert time.monotonic() - started < QUICK.wall_s + 10 and (out.timed_out or out.returncode != 0)


def test_ten_gigabytes_are_refused():
    out = jailed("try:\n    b = bytearray(10 << 30); print('ALLOCATED')\nexcept MemoryError:\n    print('refused')\n")
    assert out.stdout.strip() == "refused", out.stdout + out.stderr


def test_output_flood_is_capped():
    out = jailed("import sys\nwhile True:\n    sys.stdout.write('x' * 65536)\n")
    assert len(out.stdout) <= QUICK.output_chars + 100 and out.returncode != 0


def test_the_visible_examples_run_in_the_jail_too():
    from test_drills_grader import TOY

    from kdcore.drills import grader

    run = grader.run_examples(TOY, "import os\n\ndef double(x):\n    return os.getuid()\n", QUICK)
    assert run.protections["jail"] == "bubblewrap"
    assert run.tests[0].values == {"expected": 42, "got": sandbox.JAIL_UID}

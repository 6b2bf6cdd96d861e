"""Sandbox launcher, run as `python -I -S _launcher.py '<json>'` in the exercise's temp dir.

It applies the limits to itself and then execs the harness, so they hold for the learner's code
and everything it starts. Steps, each best-effort and reported in sandbox.json:
leave the network namespace (no network at all) unless the jail already did, then set the resource
limits. The parent puts the run in a pids cgroup before it starts, where it can (root).
"""
import ctypes
import json
import os
import resource
import sys

CLONE_NEWUSER, CLONE_NEWNET = 0x10000000, 0x40000000


def own_tasks() -> int:
    """Threads of every process of this uid: RLIMIT_NPROC counts them all, so the cap is on top."""
    total = 0
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            status = open(f"/proc/{pid}/status").read()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields["Uid"].split()[0]) == os.getuid():
            total += int(fields["Threads"])
    return total


def main() -> None:
    config = json.loads(sys.argv[1])
    report = {"process_cap": "none", "network": "not isolated"}
    libc = ctypes.CDLL(None, use_errno=True)
    for flags in () if config.get("jail") else (CLONE_NEWNET, CLONE_NEWUSER | CLONE_NEWNET):
        if libc.unshare(flags) == 0:
            report["network"] = "isolated"
            break
    limits = config["limits"]
    resource.setrlimit(resource.RLIMIT_CPU, (limits["cpu_s"], limits["cpu_s"] + 1))
    resource.setrlimit(resource.RLIMIT_DATA, (limits["memory_mb"] << 20,) * 2)
    resource.setrlimit(resource.RLIMIT_AS, (limits["address_space_mb"] << 20,) * 2)
    resource.setrlimit(resource.RLIMIT_FSIZE, (limits["file_mb"] << 20,) * 2)
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if os.getuid() != 0:  # root ignores RLIMIT_NPROC; the cgroup covers it there
        cap = own_tasks() + limits["processes"]
        resource.setrlimit(resource.RLIMIT_NPROC, (cap, cap))
        report["process_cap"] = report["process_cap"] if report["process_cap"] != "none" else "rlimit"
    with open("sandbox.json", "w") as f:
        json.dump(report, f)
    os.execve(sys.executable, [sys.executable, "-I", config["entry"]], config["env"])


if __name__ == "__main__":
    main()

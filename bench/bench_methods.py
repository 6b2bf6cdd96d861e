"""Benchmark: the default ten-method comparison (plus the hard-label baseline) on mnist5k, one seed,
with the page's default epochs. Prints accuracy, wall and CPU seconds per method, the total, and
the machine's load so a wall time measured on a busy machine can be read honestly.

    python bench/bench_methods.py [--epochs 5] [--threads 1] [--student mlp] [--methods kd fitnet ...]

The teacher is the Lab's cached teacher (trained first if missing; that time is reported apart).
"""
import argparse
import os
import time

import torch

from kdcore.compare import DEFAULT_METHODS, DEFAULT_RUN, CompareConfig, run_compare
from kdcore.data import load
from kdcore.events import result
from kdcore.teacher import get_teacher


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=DEFAULT_RUN.student.epochs)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--student", default=DEFAULT_RUN.student.family)
    parser.add_argument("--methods", nargs="+", default=list(DEFAULT_METHODS))
    args = parser.parse_args()
    torch.set_num_threads(args.threads)

    data = load("mnist5k")
    start = time.perf_counter()
    teacher = get_teacher(DEFAULT_RUN.teacher, data)
    print(f"teacher: {'cached' if teacher.cached else 'trained'} in {time.perf_counter() - start:.1f} s, "
          f"test accuracy {teacher.test_accuracy:.4f}")

    run = DEFAULT_RUN.replace(**{"student.epochs": args.epochs, "student.family": args.student, "device": "cpu"})
    config = CompareConfig(run, methods=tuple(args.methods))
    load_before = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    compared = result(run_compare(config, data))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{'method':12s} {'accuracy':>9s} {'wall s':>8s} {'cpu s':>8s}")
    for row in compared.rows:
        print(f"{row['method']:12s} {row['mean']:9.4f} {row['seconds']:8.1f} {row['cpu_seconds']:8.1f}")
    print(f"{len(compared.rows) - 1} methods + baseline, {args.epochs} epochs, student {args.student}, "
          f"{args.threads} thread(s): wall {wall:.1f} s, CPU (process time) {cpu:.1f} s; "
          f"load average before {load_before:.1f}, after {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")


if __name__ == "__main__":
    main()

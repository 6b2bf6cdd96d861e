"""Measure the knowledge-transfer targets: accuracy (mean ± sd over seeds) and CPU seconds per run.

    python bench/bench_transfer.py digits     # model transfer vs target-only at k = 1 and 10 (UCI digits)
    python bench/bench_transfer.py usps       # ../shared/data/usps/usps16.npz, border-cropped and plain
    python bench/bench_transfer.py mnist-m    # the real MNIST-M (../shared/data/mnist-m): DANN vs source-only
    python bench/bench_transfer.py mnist-m-like   # the stand-in built from two sample photos
    python bench/bench_transfer.py page       # the page's default comparison, from an empty cache

CPU seconds (time.process_time, one thread) are reported beside wall seconds: on a shared machine
wall time mostly measures the neighbours. Set KDLAB_CACHE_DIR to an empty folder to include source
pretraining.
"""
import argparse
import dataclasses
import os
import time
from pathlib import Path

import torch

from kdcore.transfer import STRATEGIES, TransferConfig, compare

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data"
USPS = SHARED / "usps" / "usps16.npz"
MNIST_M = SHARED / "mnist-m" / "mnist-m.npz"
ALL_STRATEGIES = list(STRATEGIES)
EXPERIMENTS = {
    "digits": [(TransferConfig(target="digits"), ALL_STRATEGIES, [1, 10], [0, 1, 2])],
    "usps": [(TransferConfig(target=str(USPS), align=align), ALL_STRATEGIES, [1, 10], [0, 1, 2]) for align in (True, False)],
    "mnist-m": [(TransferConfig(target=str(MNIST_M)), ["source-only", "adversarial"], [0], [0, 1, 2])],
    "mnist-m-like": [(TransferConfig(target="mnist-m-like"), ["source-only", "adversarial"], [0], [0, 1, 2])],
    "page": [(TransferConfig(), ALL_STRATEGIES, [1, 10], [0])],
}


def measure(config, names, ks, seeds) -> None:
    """One comparison: its rows (label-free ones with the oracle beside), CPU and wall seconds."""
    wall_start, cpu_start = time.perf_counter(), time.process_time()
    result = list(compare(config, names, ks, seeds))[-1].result
    c = result.config
    print(f"\n{c.source} → {Path(c.target).name}, {c.size} px, {c.family} width {c.width}, align={c.align}, "
          f"source/DANN steps {c.source_steps} ({c.schedule}, lr {c.lr:g}), target steps {c.target_steps}, "
          f"seeds {seeds}; target test: {result.target_test.describe()}; source model on its own test: "
          f"{100 * result.source_accuracy:.1f}%; label-free runs stop at their best source-validation checkpoint")
    print("| strategy | k | target accuracy % | per seed | oracle % (cheating) | wall s / run |\n|---|---|---|---|---|---|")
    for r in result.rows:
        oracle = f"{100 * r['oracle_mean']:.1f}" if "oracle_mean" in r else "–"
        print(f"| {r['strategy']} | {r['k']} | {100 * r['mean']:.1f} ± {100 * r['sd']:.1f} | "
              f"{', '.join(f'{100 * a:.1f}' for a in r['per_seed'])} | {oracle} | {r['seconds']:.1f} |")
    print(f"whole comparison: {time.process_time() - cpu_start:.1f} CPU s, {time.perf_counter() - wall_start:.1f} wall s; "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("experiments", nargs="+", choices=list(EXPERIMENTS))
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    for name in args.experiments:
        for config, names, ks, seeds in EXPERIMENTS[name]:
            measure(dataclasses.replace(config, device="cpu"), names, ks, seeds)


if __name__ == "__main__":
    main()

"""Measure the knowledge-transfer targets: accuracy (mean ± sd over seeds) and CPU seconds per run.

    python bench/bench_transfer.py digits     # model transfer vs target-only at k = 1 and 10 (UCI digits)
    python bench/bench_transfer.py usps       # ../shared/data/usps/usps16.npz, border-cropped and plain
    python bench/bench_transfer.py mnist-m    # DANN vs source-only, same steps, 0 target labels
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

USPS = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "usps" / "usps16.npz"
ALL_STRATEGIES = list(STRATEGIES)
EXPERIMENTS = {
    "digits": [(TransferConfig(target="digits"), ALL_STRATEGIES, [1, 10], [0, 1, 2])],
    "usps": [(TransferConfig(target=str(USPS), align=align), ALL_STRATEGIES, [1, 10], [0, 1, 2]) for align in (True, False)],
    "mnist-m": [(TransferConfig(target="mnist-m", source_steps=3000, lr=1e-3), ["source-only", "adversarial"], [0], [0, 1, 2])],
    "page": [(TransferConfig(), ALL_STRATEGIES, [1, 10], [0])],
}


def measure(config, names, ks, seeds) -> None:
    cpu_per_run, current, cpu_start = {}, None, time.process_time()
    wall_start, cpu_total = time.perf_counter(), time.process_time()
    for record in compare(config, names, ks, seeds):
        run = (record.get("strategy") or record["phase"], record.get("k"), record.get("seed"))
        if run != current:
            current, cpu_start = run, time.process_time()
        if "accuracy" in record or (record["phase"] == "source" and "model" in record and not record["cached"]):
            cpu_per_run.setdefault(run[:2], []).append(time.process_time() - cpu_start)
    result = record["result"]
    print(f"\n{config.source} → {Path(config.target).name}, align={config.align}, source/DANN steps "
          f"{config.source_steps}, target steps {config.target_steps}, lr {config.lr}, seeds {seeds}; "
          f"target test: {result.target_description}; source model on its own test: {100 * result.source_accuracy:.1f}%")
    print("| strategy | k | target accuracy % | per seed | CPU s / run | wall s / run |\n|---|---|---|---|---|---|")
    source_cpu = cpu_per_run.get(("source", None))
    if source_cpu:
        print(f"| source pretraining | – | – | – | {sum(source_cpu) / len(source_cpu):.1f} | – |")
    for r in result.rows:
        cpu = cpu_per_run[r["strategy"], r["k"]]
        print(f"| {r['strategy']} | {r['k']} | {100 * r['mean']:.1f} ± {100 * r['sd']:.1f} | "
              f"{', '.join(f'{100 * a:.1f}' for a in r['per_seed'])} | {sum(cpu) / len(cpu):.1f} | {r['seconds']:.1f} |")
    print(f"whole comparison: {time.process_time() - cpu_total:.1f} CPU s, {time.perf_counter() - wall_start:.1f} wall s; "
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

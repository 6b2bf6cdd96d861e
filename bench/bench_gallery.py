"""Benchmark of the paper gallery (issue targets on a 2-core CPU): each card with 3 seeds from a
fresh cache, teacher training included (target ≤ 120 s), then the same card from the cache
(target ≤ 1 s), and the whole gallery (target ≤ 20 minutes).

Every card runs in a scratch cache of its own, so each one trains its teacher as a first visit
would; prints wall and CPU seconds with the load average (on a shared machine wall time is
inflated by other processes, CPU time is not), the paper's figure, ours and the verdict.

    python bench/bench_gallery.py [CARD ...] [--seeds 0 1 2] [--threads 1]
"""
import argparse
import os
import tempfile
import time

import torch

from kdcore import gallery
from kdcore.events import result


def timed_visit(card, seeds):
    """(the card's JSON result, wall s, CPU s) of one visit."""
    wall, cpu = time.perf_counter(), time.process_time()
    out = result(gallery.run_card(card, seeds, "cpu")).to_dict()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("cards", nargs="*", help="card names (default: all; see `kdlab gallery list`)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    total = 0.0
    print("| card | fresh wall s | fresh CPU s | cached s | paper | ours | verdict | load |")
    print("|---|---|---|---|---|---|---|---|", flush=True)
    names = args.cards or list(gallery.CARDS)
    for name in names:
        card = gallery.get(name)
        with tempfile.TemporaryDirectory() as scratch:
            os.environ["KDLAB_CACHE_DIR"] = scratch
            out, wall, cpu = timed_visit(card, tuple(args.seeds))
            _, cached, _ = timed_visit(card, tuple(args.seeds))
        total += wall
        paper = "—" if out["paper_value"] is None else f"{out['paper_value']:g}"
        print(f"| {name} | {wall:.1f} | {cpu:.1f} | {cached:.2f} | {paper} | {out['ours_mean']:.2f} ± "
              f"{out['ours_sd']:.2f} | {out['verdict'].replace('_', ' ')} | {os.getloadavg()[0]:.1f} |", flush=True)
    print(f"all {len(names)} cards: {total:.0f} s wall")


if __name__ == "__main__":
    main()

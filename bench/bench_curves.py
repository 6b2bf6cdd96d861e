"""Benchmarks for the Soft Labels and Transfer Curves pages (issue targets, 2-core CPU):
- server work per T-slider move on the Soft Labels page (target ≤ 100 ms),
- a 5-value temperature sweep × 3 seeds on mnist5k (target ≤ 60 s), then the same sweep from cache,
- with --omit: the omitted-digit experiment (target ≥ 70 % on the unseen digit after bias correction).

Prints wall time and CPU time (process_time) with the load average: on a shared machine wall time is
inflated by other processes, CPU time is not. Uses the teacher in the regular cache (trained once if
missing) and a scratch cache for the student runs so the sweep really trains.

    python bench/bench_curves.py [--omit] [--test-idx ../shared/data/mnist-test]
"""
import argparse
import os
import shutil
import statistics
import tempfile
import time

import plotly
import torch

from kdcore import cache, soft, sweeps
from kdcore import data as datasets
from kdcore.omit import OmitConfig, run_omit
from kdcore.plots import soft as soft_plots
from kdcore.events import result as run
from kdcore.teacher import cache_key, get_teacher


def timed(fn):
    wall, cpu = time.perf_counter(), time.process_time()
    out = fn()
    return out, time.perf_counter() - wall, time.process_time() - cpu


def slider_move(data, teacher, chosen, T, temperatures):
    """What the page's fragment computes and serialises when T moves (figures go through the same
    validate-and-serialise path as st.plotly_chart)."""
    view = soft.explain(teacher.test_logits, data.y_test, chosen, T)
    figures = [soft_plots.probability_bars(view["probs"], data.y_test[chosen].tolist(), data.classes,
                                           [str(i) for i in chosen.tolist()], {"y": "p"}),
               soft_plots.entropy_figure(temperatures, {"all": soft.entropy_curve(teacher.test_logits, temperatures),
                                                        "chosen": soft.entropy_curve(teacher.test_logits[chosen], temperatures)},
                                         T, data.num_classes, {"y": "H", "uniform": "max"}),
               soft_plots.similarity_heatmap(view["matrix"], data.classes, {"x": "x", "y": "y", "hover": "h"})]
    return [plotly.io.to_json(plotly.tools.return_figure_from_figure_or_data(fig, validate_figure=True), validate=False)
            for fig in figures]


def sweep_bench(data) -> None:
    """A 5-value T sweep × 3 seeds with an empty student cache, then again from the cache."""
    teacher_file = cache.path_for(cache_key(sweeps.DEFAULT_BASE.teacher, data))
    with tempfile.TemporaryDirectory() as scratch:
        shutil.copy(teacher_file, scratch)  # same teacher, empty student cache
        os.environ["KDLAB_CACHE_DIR"] = scratch
        config = sweeps.SweepConfig("temperature", (1.0, 2.0, 4.0, 8.0, 16.0), (0, 1, 2))
        result, wall, cpu = timed(lambda: run(sweeps.run_sweep(config, data)))
        print(f"sweep T ∈ {{1,2,4,8,16}} × 3 seeds ({config.base.student.epochs} epochs, MLP {config.base.student.width}, "
              f"15 KD + 3 baseline trainings, the baseline ignores T): wall {wall:.1f} s, CPU {cpu:.1f} s")
        for p, b in zip(result.points, result.baseline_points):
            print(f"  T={p['x']:g}: KD {100 * p['mean']:.2f} ± {100 * p['sd']:.2f} %   hard {100 * b['mean']:.2f} ± {100 * b['sd']:.2f} %")
        _, wall, cpu = timed(lambda: run(sweeps.run_sweep(config, data)))
        print(f"same sweep again (disk cache): wall {wall:.2f} s, CPU {cpu:.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--omit", action="store_true", help="also run the omitted-digit experiment (3 seeds)")
    parser.add_argument("--test-idx", default=None, help="official MNIST test IDX folder (for --omit)")
    parser.add_argument("--skip-sweep", action="store_true", help="only the slider measurement (and --omit)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    print(f"load average before: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; torch threads 1")

    data = datasets.load("mnist5k")
    teacher = get_teacher(sweeps.DEFAULT_BASE.teacher, data)
    chosen = torch.arange(4)
    temperatures = soft.log_temperatures(0.5, 20.0, 60)
    slider_move(data, teacher, chosen, 3.0, temperatures)  # warm-up (plotly imports)
    moves = [timed(lambda T=T: slider_move(data, teacher, chosen, T, temperatures)) for T in (0.5, 1, 2, 4, 8, 12, 16, 20)]
    print(f"soft-label update per T move: median wall {1000 * statistics.median(m[1] for m in moves):.1f} ms, "
          f"CPU {1000 * statistics.median(m[2] for m in moves):.1f} ms (soften + entropy + matrix + 3 figures to JSON)")

    if not args.skip_sweep:
        sweep_bench(data)

    if args.omit:
        omit_data = datasets.load("mnist5k", test_idx=args.test_idx) if args.test_idx else data
        config = OmitConfig(3, OmitConfig().base.replace(seeds=(0, 1, 2)))
        result, wall, cpu = timed(lambda: run(run_omit(config, omit_data)))
        print(f"omitted digit 3 ({result['test_set']}, {result['digit_test_images']} threes), 3 seeds: "
              f"hard {100 * result['hard_accuracy_on_digit']:.1f} %, KD {100 * result['kd_accuracy_on_digit']:.1f} %, "
              f"KD bias-corrected {100 * result['kd_accuracy_on_digit_bias_corrected']:.1f} % "
              f"(bias +{result['kd_bias']:.2f}); per seed {[round(100 * r['kd_accuracy_on_digit_bias_corrected'], 1) for r in result['per_seed']]}; "
              f"wall {wall:.1f} s, CPU {cpu:.1f} s")
    print(f"load average after: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

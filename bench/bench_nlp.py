"""Measure the NLP distillation demo on the built-in corpus: teacher time-to-quality, students at
equal steps over several seeds, and the default page run with a cached teacher.

    python bench/bench_nlp.py --threads 2 --seeds 0 1 2

Prints every figure it measures and one JSON object at the end. The teacher is trained (or loaded
from the disk cache) once; pass a fresh KDLAB_CACHE_DIR to time its training.
"""
import argparse
import dataclasses
import json
import statistics
import time

import torch

from kdcore.events import Epoch
from kdcore.nlp import METHODS, NLPConfig, NLPExperiment, load

TEACHER_TARGET_BPC = 2.5


def run_experiment(corpus, config):
    experiment = NLPExperiment(corpus, config)
    for event in experiment.run():
        if isinstance(event, Epoch):
            print(f"  {event.phase:>10} step {event.step:>4}  val bpc {event.metrics['bpc']:.3f}  "
                  f"{event.elapsed:.1f} s", flush=True)
    return experiment


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--alpha", type=float, default=NLPConfig.alpha)
    parser.add_argument("--temperature", type=float, default=NLPConfig.temperature)
    parser.add_argument("--student-steps", type=int, default=NLPConfig.student_training.steps)
    parser.add_argument("--skip-page-run", action="store_true")
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    corpus = load("builtin")
    defaults = NLPConfig(device=args.device)
    print(f"corpus builtin: {len(corpus.text):,} characters, vocabulary {corpus.vocab_size}, threads {args.threads}")

    per_seed = []
    for seed in args.seeds:
        training = dataclasses.replace(defaults.student_training.with_steps(args.student_steps), seed=seed)
        config = NLPConfig(methods=METHODS, student_training=training, device=args.device, alpha=args.alpha,
                           temperature=args.temperature)
        print(f"seed {seed}:")
        summary = run_experiment(corpus, config).summary()
        per_seed.append(summary)
        teacher = summary["models"]["teacher"]
        print(f"  teacher {teacher['params']:,} params, {teacher['val_bpc']:.3f} bpc, {teacher['seconds']:.1f} s "
              f"({'cached' if summary['teacher_cached'] else 'trained now'}), "
              f"{teacher['train_tokens_per_second']:,.0f} train chars/s")
        for phase in ("scratch", *METHODS):
            model = summary["models"][phase]
            print(f"  {phase:>10}: {model['val_bpc']:.3f} bpc  {model['seconds']:.1f} s  "
                  f"gap closed {model.get('gap_closed', 0):.0%}")

    first = per_seed[0]
    reached = [seconds for _, seconds, bpc in first["models"]["teacher"]["curve"] if bpc <= TEACHER_TARGET_BPC]
    print(f"teacher first measured at ≤ {TEACHER_TARGET_BPC} bpc after "
          + (f"{reached[0]:.1f} s" if reached else "never (within its steps)"))
    scratch = [s["scratch_bpc"] for s in per_seed]
    report = {"teacher": first["models"]["teacher"], "teacher_seconds_to_target": reached[0] if reached else None, "teacher_cached_in_bench": first["teacher_cached"],
              "student_params": first["student_params"], "seeds": args.seeds, "scratch_bpc": scratch}
    for method in METHODS:
        values = [s["models"][method]["val_bpc"] for s in per_seed]
        gains = [s["scratch_bpc"] - s["models"][method]["val_bpc"] for s in per_seed]
        report[method] = {"bpc": values, "gain_over_scratch": gains,
                          "gap_closed": [s["models"][method]["gap_closed"] for s in per_seed]}
    spread = max(scratch) - min(scratch)
    print(f"scratch seed-to-seed spread (max − min): {spread:.3f} bpc")
    for method in METHODS:
        gains = report[method]["gain_over_scratch"]
        closed = report[method]["gap_closed"]
        print(f"{method:>10}: mean gain {statistics.mean(gains):+.3f} bpc (min {min(gains):+.3f}), "
              f"gap closed {statistics.mean(closed):.0%} (min {min(closed):.0%})")

    if args.skip_page_run:
        print(json.dumps(report))
        return
    start = time.perf_counter()
    page = run_experiment(corpus, NLPConfig(device=args.device))  # the page's default run, teacher cached
    report["default_page_run_seconds"] = time.perf_counter() - start
    print(f"default page run with a cached teacher: {report['default_page_run_seconds']:.1f} s "
          f"(scratch {page.summary()['scratch_bpc']:.3f}, forward KL {page.summary()['kd_bpc']:.3f} bpc)")
    print(json.dumps(report))


if __name__ == "__main__":
    main()

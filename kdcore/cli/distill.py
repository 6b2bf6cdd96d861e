"""`kdlab distill`: the Distillation Lab from the command line (same options as the page)."""
from ..config import RunConfig
from ..lab import run_lab
from ._common import add_run_options, emit, follow, run_config

DEFAULTS = RunConfig()


def run(args) -> int:
    summary = follow(run_lab(run_config(args, DEFAULTS)), args.json).to_dict()
    text = (f"teacher {100 * summary['teacher_accuracy']:.2f}%  hard-label student {100 * summary['baseline_accuracy']:.2f}%"
            f"  KD student {100 * summary['kd_accuracy']:.2f}%  (gain {summary['gain_points']:+.2f} points, "
            f"{summary['test_set']['text']}, {summary['seconds']:.1f} s)")
    emit(summary, args.json, text)
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("distill", help="train a teacher, then a student with and without distillation")
    add_run_options(p, DEFAULTS)
    p.set_defaults(run=run)

"""`kdlab sweep`: student accuracy against T, α or the labelled fraction, several seeds per value.

Example: kdlab sweep --param temperature --values 1 2 4 8 16 --seeds 0 1 2 --json
prints one JSON object whose "points" are [{x, mean, sd, per_seed}] for the KD student
("baseline_points" the same for the hard-label student)."""
from dataclasses import replace

from ..data import LOADERS
from ..models import STUDENTS
from ..sweeps import DEFAULT_VALUES, PARAMS, SweepConfig, run_sweep
from ._common import add_device, add_json, emit, progress

DEFAULTS = SweepConfig()


def config_from_args(args) -> SweepConfig:
    base = DEFAULTS.base
    base = replace(base, dataset=args.dataset, test_idx=args.test_idx, teacher=replace(base.teacher, epochs=args.teacher_epochs),
                   student=args.student, student_width=args.width, temperature=args.temperature, alpha=args.alpha,
                   epochs=args.epochs, labelled_fraction=args.labelled_fraction, device=args.device)
    values = tuple(args.values) if args.values else DEFAULT_VALUES[args.param]
    return SweepConfig(args.param, values, tuple(args.seeds), base).validate()


def run(args) -> int:
    config = config_from_args(args)
    for record in run_sweep(config):
        if record["phase"] == "teacher" and record.get("final"):
            progress("teacher: " + ("loaded from cache" if record["cached"] else "trained"), args.json)
        elif "point" in record:
            point, base = record["point"], record["baseline_point"]
            progress(f"{args.param} = {point['x']:g}: KD {100 * point['mean']:.2f} ± {100 * point['sd']:.2f}%  "
                     f"hard labels {100 * base['mean']:.2f} ± {100 * base['sd']:.2f}%", args.json)
    summary = record["result"].to_dict()
    emit(summary, args.json, f"{len(summary['points'])} points on the {summary['test_set']} in {summary['seconds']:.1f} s")
    return 0


def register(subparsers) -> None:
    base = DEFAULTS.base
    p = subparsers.add_parser("sweep", help="student accuracy against T, α or the labelled fraction (mean ± sd over seeds)")
    p.add_argument("--param", default=DEFAULTS.param, choices=list(PARAMS))
    p.add_argument("--values", type=float, nargs="+", default=None, help="x values (default depends on --param)")
    p.add_argument("--seeds", type=int, nargs="+", default=list(DEFAULTS.seeds))
    p.add_argument("--dataset", default=base.dataset, choices=list(LOADERS))
    p.add_argument("--test-idx", default=None, help="folder with the official MNIST test IDX files (mnist5k only)")
    p.add_argument("--teacher-epochs", type=int, default=base.teacher.epochs)
    p.add_argument("--student", default=base.student, choices=list(STUDENTS))
    p.add_argument("--width", type=int, default=base.student_width, help="student width")
    p.add_argument("--temperature", "-T", type=float, default=base.temperature, help="T when it is not the swept setting")
    p.add_argument("--alpha", type=float, default=base.alpha, help="α when it is not the swept setting")
    p.add_argument("--labelled-fraction", type=float, default=base.labelled_fraction)
    p.add_argument("--epochs", type=int, default=base.epochs, help="student epochs per run")
    add_device(p)
    add_json(p)
    p.set_defaults(run=run)

"""`kdlab sweep`: student accuracy against T, α or the labelled fraction, several seeds per value.

Example: kdlab sweep --param temperature --values 1 2 4 8 16 --seeds 0 1 2 --json
prints one JSON object whose "points" are [{x, mean, sd, per_seed}] for the KD student
("baseline_points" the same for the hard-label student)."""
from ..events import Partial
from ..sweeps import DEFAULT_VALUES, PARAMS, SweepConfig, run_sweep
from ._common import SEED, add_run_options, describe, emit, follow, run_config

DEFAULTS = SweepConfig()


def line(param):
    def text(event):
        if isinstance(event, Partial):
            point, base = event.result.points[-1], event.result.baseline_points[-1]
            return (f"{param} = {point['x']:g}: KD {100 * point['mean']:.2f} ± {100 * point['sd']:.2f}%  "
                    f"hard labels {100 * base['mean']:.2f} ± {100 * base['sd']:.2f}%")
        return describe(event) if event.phase == "teacher" else None
    return text


def run(args) -> int:
    values = tuple(args.values) if args.values else DEFAULT_VALUES[args.param]
    config = SweepConfig(args.param, values, tuple(args.seeds), run_config(args, DEFAULTS.base))
    summary = follow(run_sweep(config), args.json, line(args.param)).to_dict()
    emit(summary, args.json, f"{len(summary['points'])} points on the {summary['test_set']['text']} in {summary['seconds']:.1f} s")
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("sweep", help="student accuracy against T, α or the labelled fraction (mean ± sd over seeds)")
    p.add_argument("--param", default=DEFAULTS.param, choices=list(PARAMS))
    p.add_argument("--values", type=float, nargs="+", default=None, help="x values (default depends on --param)")
    add_run_options(p, DEFAULTS.base, seeds=False)
    p.add_argument("--seeds", nargs="+", type=SEED, default=list(DEFAULTS.seeds))
    p.set_defaults(run=run)

"""`kdlab compare`: distillation methods side by side with the same teacher, student and seeds.

    kdlab compare --methods kd fitnet sp --seeds 0 1 2 --json
"""
from dataclasses import replace

from ..compare import CompareConfig, run_compare
from ..data import LOADERS
from ..errors import ConfigError
from ..models import FAMILIES
from ._common import add_device, add_json, emit, progress

DEFAULTS = CompareConfig()


def parse_overrides(items: list[str]) -> tuple:
    """["at.beta=500", ...] → (("at", "beta", 500.0), ...)."""
    overrides = []
    for item in items:
        name, _, rest = item.partition(".")
        key, _, value = rest.partition("=")
        try:
            overrides.append((name, key, float(value)))
        except ValueError:
            raise ConfigError(f"--set expects METHOD.PARAMETER=NUMBER (e.g. at.beta=500), got {item!r}.") from None
    return tuple(overrides)


def config_from_args(args) -> CompareConfig:
    return CompareConfig(dataset=args.dataset, test_idx=args.test_idx, data_dir=args.data_dir, subset=args.subset,
                         teacher=replace(DEFAULTS.teacher, epochs=args.teacher_epochs), student=args.student,
                         student_width=args.width, methods=tuple(args.methods), hyper=parse_overrides(args.set),
                         epochs=args.epochs, labelled_fraction=args.labelled_fraction, seeds=tuple(args.seeds),
                         device=args.device).validate()


def table(result: dict) -> str:
    baseline = result["baseline"]["mean"]
    lines = [f"teacher {100 * result['teacher_accuracy']:.2f}%  ({result['test_set']})",
             f"{'method':12s} {'mean %':>7s} {'sd':>6s} {'vs hard':>8s} {'s/run':>7s}"]
    for row in result["results"]:
        lines.append(f"{row['method']:12s} {100 * row['mean']:7.2f} {100 * row['sd']:6.2f} "
                     f"{100 * (row['mean'] - baseline):+8.2f} {row['seconds']:7.1f}")
    lines.append(f"total {result['seconds']:.1f} s")
    return "\n".join(lines)


def run(args) -> int:
    last_run = None
    for record in run_compare(config_from_args(args)):
        if record["phase"] == "teacher" and record.get("cached"):
            progress("teacher: loaded from cache", args.json)
        elif record["phase"] == "student" and (record["method"], record["seed"]) != last_run:
            last_run = record["method"], record["seed"]
            progress(f"[{100 * record['overall']:3.0f}%] {record['method']} (seed {record['seed']})", args.json)
    result = record["result"].to_dict()
    emit(result, args.json, table(result))
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("compare", help="compare distillation methods (mean ± sd over seeds, time per method)")
    p.add_argument("--methods", nargs="+", default=list(DEFAULTS.methods),
                   help="methods and schemes to compare (`kdlab methods --schemes` lists them); hard labels always run")
    p.add_argument("--seeds", type=int, nargs="+", default=list(DEFAULTS.seeds))
    p.add_argument("--epochs", type=int, default=DEFAULTS.epochs, help="epochs per student")
    p.add_argument("--student", default=DEFAULTS.student, choices=list(FAMILIES))
    p.add_argument("--width", type=int, default=None, help="student width (default: the family's)")
    p.add_argument("--set", action="append", default=[], metavar="METHOD.PARAM=VALUE",
                   help="override a hyper-parameter, e.g. --set at.beta=500 (repeatable)")
    p.add_argument("--dataset", default=DEFAULTS.dataset, choices=list(LOADERS))
    p.add_argument("--data-dir", default=None, help="folder of torchvision datasets")
    p.add_argument("--test-idx", default=None, help="folder with the official MNIST test IDX files (mnist5k only)")
    p.add_argument("--subset", type=int, default=None, help="keep this many training images (stratified)")
    p.add_argument("--teacher-epochs", type=int, default=DEFAULTS.teacher.epochs)
    p.add_argument("--labelled-fraction", type=float, default=DEFAULTS.labelled_fraction)
    add_device(p)
    add_json(p)
    p.set_defaults(run=run)

"""`kdlab distill`: the Distillation Lab from the command line (same options as the page)."""
from dataclasses import replace

from ..data import LOADERS
from ..lab import LabConfig, run_lab
from ..models import STUDENTS
from ._common import add_device, add_json, emit, progress

DEFAULTS = LabConfig()


def config_from_args(args) -> LabConfig:
    return LabConfig(dataset=args.dataset, test_idx=args.test_idx, data_dir=args.data_dir, subset=args.subset,
                     teacher=replace(DEFAULTS.teacher, epochs=args.teacher_epochs), student=args.student,
                     student_width=args.width, temperature=args.temperature, alpha=args.alpha, epochs=args.epochs,
                     labelled_fraction=args.labelled_fraction, seeds=tuple(args.seeds), device=args.device).validate()


def describe(record: dict) -> str | None:
    phase = record["phase"]
    if phase == "teacher" and record.get("cached"):
        return "teacher: loaded from cache"
    if "eval_accuracy" in record:
        seed = f" seed {record['seed']}" if "seed" in record else ""
        return (f"{phase}{seed}: epoch {record['epoch']}  loss {record['loss']:.4f}  "
                f"held-out accuracy {100 * record['eval_accuracy']:.2f}%  ({record['elapsed']:.1f} s)")
    return None


def run(args) -> int:
    config = config_from_args(args)
    for record in run_lab(config):
        line = describe(record)
        if line:
            progress(line, args.json)
    summary = record["result"].to_dict()
    text = (f"teacher {100 * summary['teacher_accuracy']:.2f}%  hard-label student {100 * summary['baseline_accuracy']:.2f}%"
            f"  KD student {100 * summary['kd_accuracy']:.2f}%  (gain {summary['gain_points']:+.2f} points, "
            f"{summary['test_set']}, {summary['seconds']:.1f} s)")
    emit(summary, args.json, text)
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("distill", help="train a teacher, then a student with and without distillation")
    p.add_argument("--dataset", default=DEFAULTS.dataset, choices=list(LOADERS))
    p.add_argument("--data-dir", default=None, help="folder of torchvision datasets (default: KDLAB_DATA_DIR or user cache)")
    p.add_argument("--test-idx", default=None, help="folder with the official MNIST test IDX files (mnist5k only)")
    p.add_argument("--subset", type=int, default=None, help="keep this many training images (stratified)")
    p.add_argument("--teacher-epochs", type=int, default=DEFAULTS.teacher.epochs)
    p.add_argument("--student", default=DEFAULTS.student, choices=list(STUDENTS))
    p.add_argument("--width", type=int, default=DEFAULTS.student_width, help="student width")
    p.add_argument("--temperature", "-T", type=float, default=DEFAULTS.temperature)
    p.add_argument("--alpha", type=float, default=DEFAULTS.alpha, help="weight of the distillation term, in [0, 1]")
    p.add_argument("--epochs", type=int, default=DEFAULTS.epochs, help="student epochs over the transfer set")
    p.add_argument("--labelled-fraction", type=float, default=DEFAULTS.labelled_fraction)
    p.add_argument("--seeds", type=int, nargs="+", default=list(DEFAULTS.seeds))
    add_device(p)
    add_json(p)
    p.set_defaults(run=run)

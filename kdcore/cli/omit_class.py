"""`kdlab omit-class`: the omitted-digit experiment of Hinton et al. (2015), §3.

Example: kdlab omit-class --digit 3 --seeds 0 1 2 --json
prints one JSON object with hard_accuracy_on_digit, kd_accuracy_on_digit,
kd_accuracy_on_digit_bias_corrected, the overall accuracies and the bias chosen (means over seeds)."""
from dataclasses import replace

from ..data import LOADERS
from ..omit import OmitConfig, run_omit
from ._common import add_device, add_json, emit, progress

DEFAULTS = OmitConfig()


def run(args) -> int:
    base = DEFAULTS.base
    base = replace(base, dataset=args.dataset, test_idx=args.test_idx, teacher=replace(base.teacher, epochs=args.teacher_epochs),
                   student_width=args.width, temperature=args.temperature, alpha=args.alpha, epochs=args.epochs,
                   device=args.device)
    for record in run_omit(OmitConfig(args.digit, tuple(args.seeds), base)):
        if record["phase"] in ("hard", "kd") and record["step"] == record["steps"]:
            progress(f"{record['phase']} student, seed {record['seed']}: trained in {record['elapsed']:.1f} s", args.json)
    r = record["result"]
    text = (f"digit {r['digit']} ({r['digit_test_images']} test images, never in the transfer set): hard labels "
            f"{100 * r['hard_accuracy_on_digit']:.1f}%, KD {100 * r['kd_accuracy_on_digit']:.1f}%, KD with bias "
            f"+{r['kd_bias']:.2f} {100 * r['kd_accuracy_on_digit_bias_corrected']:.1f}%; overall KD "
            f"{100 * r['kd_accuracy_overall']:.1f}% → {100 * r['kd_accuracy_overall_bias_corrected']:.1f}% ({r['test_set']})")
    emit(r, args.json, text)
    return 0


def register(subparsers) -> None:
    base = DEFAULTS.base
    p = subparsers.add_parser("omit-class", help="leave one digit out of the student's transfer set: hard labels vs KD")
    p.add_argument("--digit", type=int, default=DEFAULTS.digit, help="the class left out")
    p.add_argument("--seeds", type=int, nargs="+", default=list(DEFAULTS.seeds))
    p.add_argument("--dataset", default=base.dataset, choices=list(LOADERS))
    p.add_argument("--test-idx", default=None, help="folder with the official MNIST test IDX files (mnist5k only)")
    p.add_argument("--teacher-epochs", type=int, default=base.teacher.epochs)
    p.add_argument("--width", type=int, default=base.student_width, help="hidden units of the MLP student")
    p.add_argument("--temperature", "-T", type=float, default=base.temperature)
    p.add_argument("--alpha", type=float, default=base.alpha)
    p.add_argument("--epochs", type=int, default=base.epochs)
    add_device(p)
    add_json(p)
    p.set_defaults(run=run)

"""`kdlab omit-class`: the omitted-digit experiment of Hinton et al. (2015), §3.

Example: kdlab omit-class --digit 3 --seeds 0 1 2 --json
prints one JSON object with hard_accuracy_on_digit, kd_accuracy_on_digit,
kd_accuracy_on_digit_bias_corrected, the overall accuracies and the bias chosen (means over seeds)."""
from ..omit import OmitConfig, run_omit
from ._common import add_run_options, emit, follow, run_config

DEFAULTS = OmitConfig()


def run(args) -> int:
    r = follow(run_omit(OmitConfig(args.digit, run_config(args, DEFAULTS.base))), args.json)
    text = (f"digit {r['digit']} ({r['digit_test_images']} test images, never in the transfer set): hard labels "
            f"{100 * r['hard_accuracy_on_digit']:.1f}%, KD {100 * r['kd_accuracy_on_digit']:.1f}%, KD with bias "
            f"+{r['kd_bias']:.2f} {100 * r['kd_accuracy_on_digit_bias_corrected']:.1f}%; overall KD "
            f"{100 * r['kd_accuracy_overall']:.1f}% → {100 * r['kd_accuracy_overall_bias_corrected']:.1f}% ({r['test_set']['text']})")
    emit(r, args.json, text)
    return 0


def register(subparsers) -> None:
    p = subparsers.add_parser("omit-class", help="leave one digit out of the student's transfer set: hard labels vs KD")
    p.add_argument("--digit", type=int, default=DEFAULTS.digit, help="the class left out")
    add_run_options(p, DEFAULTS.base)
    p.set_defaults(run=run)

"""Argument helpers shared by sub-commands: one set of run flags (data, teacher, student, method,
seeds, device) built from RunConfig's defaults, and one way to print a runner's events."""
import argparse
import json
import sys

from ..config import STUDENT_EPOCHS, STUDENTS, RunConfig
from ..data import LOADERS
from ..device import CHOICES
from ..events import Done, Epoch, Notice, Phase, Step, Waiting


def int_in(low: int, high: int):
    """An argparse type: a whole number in [low, high], else a one-line usage error."""
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = None
        if value is None or not low <= value <= high:
            raise argparse.ArgumentTypeError(f"expected a whole number from {low:,} to {high:,}, got {text!r}")
        return value
    parse.__name__ = "whole number"
    return parse


SEED = int_in(0, 2**32 - 1)


def add_device(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--device", default="auto", choices=list(CHOICES),
                        help="compute device (default: auto = GPU when present)")


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON object at the end, nothing else on stdout")


def add_run_options(p: argparse.ArgumentParser, defaults: RunConfig, *, method: bool = True,
                    seeds: bool = True) -> None:
    """The flags of a RunConfig, with `defaults` shown as each flag's default."""
    p.add_argument("--dataset", default=defaults.data.dataset,
                   help=f"{', '.join(LOADERS)}, or the path of an image folder or .zip (train/<class>/, optional test/<class>/)")
    p.add_argument("--data-dir", default=None, help="folder of torchvision datasets (default: KDLAB_DATA_DIR or user cache)")
    p.add_argument("--test-idx", default=None, help="folder with the official MNIST test IDX files (mnist5k only)")
    p.add_argument("--subset", type=int, default=None, help="keep this many training images (stratified)")
    p.add_argument("--teacher-epochs", type=int, default=defaults.teacher.epochs,
                   help="default: the teacher recipe's (12 for grey digits, 8 for colour images)")
    p.add_argument("--student", default=defaults.student.family, choices=list(STUDENTS))
    p.add_argument("--width", type=int, default=defaults.student.width, help="student width (hidden units or channels)")
    p.add_argument("--epochs", type=int, default=defaults.student.epochs,
                   help="student epochs over the transfer set (default: 30 for grey digits, "
                        f"{STUDENT_EPOCHS['colour']} for colour images)")
    p.add_argument("--labelled-fraction", type=float, default=defaults.student.labelled_fraction,
                   help="share of training images whose label the student may use")
    if method:
        hyper = defaults.method.params
        p.add_argument("--temperature", "-T", type=float, default=hyper["temperature"])
        p.add_argument("--alpha", type=float, default=hyper["alpha"], help="weight of the distillation term, in [0, 1]")
    if seeds:
        p.add_argument("--seeds", type=SEED, nargs="+", default=list(defaults.seeds))
    add_device(p)
    add_json(p)


def run_config(args, defaults: RunConfig) -> RunConfig:
    """The RunConfig the flags describe (validated by the runner)."""
    parts = {"data.dataset": args.dataset, "data.data_dir": args.data_dir, "data.test_idx": args.test_idx,
             "data.subset": args.subset, "teacher.epochs": args.teacher_epochs, "student.family": args.student,
             "student.width": args.width, "student.epochs": args.epochs,
             "student.labelled_fraction": args.labelled_fraction, "device": args.device}
    if hasattr(args, "temperature"):
        parts.update({"method.temperature": args.temperature, "method.alpha": args.alpha})
    if hasattr(args, "seeds"):
        parts["seeds"] = tuple(args.seeds)
    return defaults.replace(**parts)


def emit(obj, as_json: bool, text: str = "") -> None:
    """Print the final result: one JSON object, or human-readable text."""
    print(json.dumps(obj, indent=None if as_json else 2) if as_json or not text else text)


def progress(line: str, as_json: bool) -> None:
    """Progress goes to stderr when --json is on so stdout stays one JSON object."""
    print(line, file=sys.stderr if as_json else sys.stdout, flush=True)


def describe(event) -> str | None:
    """A progress line for the events worth a line: a cached teacher, an epoch's accuracy, a run's end."""
    who = event.phase + (f" seed {event.seed}" if event.seed is not None else "")
    if isinstance(event, Waiting):
        return "waiting: another run is computing this very result" if event.reason == "same_run" else \
            f"waiting for a training slot: number {event.position} in the queue"
    if isinstance(event, Notice):
        return f"note: {event.message}"
    if isinstance(event, Phase) and event.phase == "teacher" and event.cached:
        return "teacher: loaded from cache"
    if isinstance(event, Epoch) and "accuracy" in event.metrics:
        return f"{who}: epoch {event.epoch}  held-out accuracy {100 * event.metrics['accuracy']:.2f}%  ({event.elapsed:.1f} s)"
    if isinstance(event, Step) and event.step == event.steps:
        return f"[{100 * event.progress:3.0f}%] {who}: {event.steps} steps in {event.elapsed:.1f} s, loss {event.loss:.4f}"
    return None


def follow(events, as_json: bool, line=describe):
    """Print a progress line for each event `line` describes; return the Done result."""
    last = None
    for event in events:
        text = describe(event) if isinstance(event, (Waiting, Notice)) else line(event)
        if text and text != last:  # a wait repeats its line every half second: print it once
            progress(text, as_json)
            last = text
        if isinstance(event, Done):
            return event.result
    raise RuntimeError("the run ended without a Done event")

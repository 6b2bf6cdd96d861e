"""Argument helpers shared by sub-commands."""
import argparse
import json
import sys


def add_device(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"],
                        help="compute device (default: auto = GPU when present)")


def add_json(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--json", action="store_true", help="print one JSON object at the end, nothing else on stdout")


def emit(obj, as_json: bool, text: str = "") -> None:
    """Print the final result: one JSON object, or human-readable text."""
    print(json.dumps(obj, indent=None if as_json else 2) if as_json or not text else text)


def progress(line: str, as_json: bool) -> None:
    """Progress goes to stderr when --json is on so stdout stays one JSON object."""
    print(line, file=sys.stderr if as_json else sys.stdout, flush=True)

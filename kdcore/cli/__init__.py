"""`kdlab` command line. With no sub-command it starts the web app.

Sub-commands live one per module in this package; each module defines
`register(subparsers)`, which adds its parser and sets `run=function(args) -> int`.
Adding a command is adding a file.
"""
import argparse
import importlib
import pkgutil
import sys

from ..errors import KDLabError


class OneLineParser(argparse.ArgumentParser):
    """Bad options print one line (no usage dump) and exit 2; `--help` still shows everything."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see --help)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="kdlab", description="KD Lab: knowledge distillation, hands on.")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if not info.name.startswith("_"):
            importlib.import_module(f"{__name__}.{info.name}").register(subparsers)
    return parser


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser()
    args = parser.parse_args(argv or ["app"])
    try:
        return args.run(args) or 0
    except KDLabError as err:
        print(f"kdlab {args.command}: error: {err}", file=sys.stderr)
        return 2
    except OSError as err:  # a path given on the command line that cannot be read or written
        print(f"kdlab {args.command}: error: {err.filename or ''}: {err.strerror or err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130

"""`kdlab app` (also plain `kdlab`): start the Streamlit app."""
import argparse
import os
import subprocess
import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app.py"


def port(text: str) -> int:
    """A TCP port number, 1–65535."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"a port is a whole number from 1 to 65535, got {text!r}")
    return value


def run(args) -> int:
    if not APP.exists():
        print(f"kdlab: cannot find the app at {APP}; install with `pip install -e .` from a checkout.", file=sys.stderr)
        return 2
    cmd = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(args.port),
           "--server.address", args.address]
    if args.headless:
        cmd += ["--server.headless", "true"]
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false")
    if args.classroom:
        env["KDLAB_CLASSROOM"] = "1"
    return subprocess.call(cmd, env=env)


def register(subparsers) -> None:
    parser = subparsers.add_parser("app", help="start the web app (default when no command is given)")
    parser.add_argument("--port", type=port, default=8501)
    parser.add_argument("--address", default="127.0.0.1",
                        help="interface to listen on (default: this computer only; 0.0.0.0 shares it on the network "
                             "for a classroom, and then disables the coding drills' code execution)")
    parser.add_argument("--headless", action="store_true", help="do not open a browser")
    parser.add_argument("--classroom", action="store_true",
                        help="every learner signs in (accounts from `kdlab class add-learners`) and has progress of "
                             "their own; on whenever --address reaches beyond this computer")
    parser.set_defaults(run=run)

"""`kdlab app` (also plain `kdlab`): start the Streamlit app."""
import os
import subprocess
import sys
from pathlib import Path

from ._common import int_in

APP = Path(__file__).resolve().parents[2] / "app.py"


def run(args) -> int:
    if not APP.exists():
        print(f"kdlab: cannot find the app at {APP}; install with `pip install -e .` from a checkout.", file=sys.stderr)
        return 2
    cmd = [sys.executable, "-m", "streamlit", "run", str(APP), "--server.port", str(args.port),
           "--server.address", args.address]
    if args.headless:
        cmd += ["--server.headless", "true"]
    env = dict(os.environ, STREAMLIT_BROWSER_GATHER_USAGE_STATS="false",  # and see .streamlit/config.toml
               STREAMLIT_GLOBAL_DISABLE_WIDGET_STATE_DUPLICATION_WARNING="true",
               STREAMLIT_RUNNER_POST_SCRIPT_GC="false", STREAMLIT_SERVER_FILE_WATCHER_TYPE="none")
    if args.classroom:
        env["KDLAB_CLASSROOM"] = "1"
    if args.max_jobs is not None:
        env["KDLAB_MAX_JOBS"] = str(args.max_jobs)
    return subprocess.call(cmd, env=env)


def register(subparsers) -> None:
    parser = subparsers.add_parser("app", help="start the web app (default when no command is given)")
    parser.add_argument("--port", type=int_in(1, 65535), default=8501)
    parser.add_argument("--address", default="127.0.0.1",
                        help="interface to listen on (default: this computer only; 0.0.0.0 shares it on the network "
                             "for a classroom, and then disables the coding drills' code execution)")
    parser.add_argument("--headless", action="store_true", help="do not open a browser")
    parser.add_argument("--classroom", action="store_true",
                        help="every learner signs in (accounts from `kdlab class add-learners`) and has progress of "
                             "their own; on whenever --address reaches beyond this computer")
    parser.add_argument("--max-jobs", type=int_in(1, 256), default=None,
                        help="training runs at once; the others queue, showing their place (default: one per two "
                             "cores; also KDLAB_MAX_JOBS)")
    parser.set_defaults(run=run)

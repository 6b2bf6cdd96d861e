"""A learner's code cannot forge its grade: the harness reports on a keyed pipe, not a results file,
and ends before any hook of the learner's code can run after the verdict."""
import pytest

from kdcore.drills import grader, sandbox

QUICK = sandbox.Limits(wall_s=10, cpu_s=5)
TESTS = ("from solution import double\n\n\ndef test_double():\n    assert double(21) == 42\n\n\n"
         "def test_negative():\n    assert double(-1) == -2\n")
TOY = grader.Exercise("toy", {"en": "toy", "zh": "玩具"}, {"en": "toy", "zh": "玩具"}, "lab", "", "", TESTS)
WRONG = "def double(x):\n    return x + 2\n"
FORGED = ('[{"name": "test_double", "passed": true, "key": "", "values": {}, "where": null, "seconds": 0.1}, '
          '{"name": "test_negative", "passed": true, "key": "", "values": {}, "where": null, "seconds": 0.1}]')

ATTACKS = {
    "atexit rewrites results.json": f"import atexit\natexit.register(lambda: open('results.json', 'w').write({FORGED!r}))\n",
    "results.json written, then exit": f"import os\nopen('results.json', 'w').write({FORGED!r})\nos._exit(0)\n",
    "forged report on every inherited fd": (
        "import os\nfor fd in range(3, 64):\n    try:\n"
        f"        os.write(fd, b'0' * 64 + b'\\n' + {FORGED!r}.encode())\n    except OSError:\n        pass\n"),
    "harness.run_tests replaced": (
        "import harness, json\n"
        f"harness.run_tests = lambda module: json.loads({FORGED!r})\n"),
    "json.dumps replaced": (
        "import json\n"
        f"json.dumps = lambda results, **kw: {FORGED!r}\n"),
    "fake results printed": f"print({FORGED!r})\n",
    "thread writes after the verdict": (
        "import threading, time\n"
        "def later():\n    time.sleep(0.5)\n"
        f"    open('results.json', 'w').write({FORGED!r})\n"
        "threading.Thread(target=later).start()\n"),
}


@pytest.mark.parametrize("attack", list(ATTACKS))
def test_forging_a_passing_grade_fails(attack):
    grade = grader.grade(TOY, WRONG + ATTACKS[attack], QUICK)
    assert grade.status != "passed" and grade.passed_count == 0, (attack, grade)


def test_an_honest_solution_still_passes_with_atexit_hooks_of_its_own():
    grade = grader.grade(TOY, "import atexit\natexit.register(print, 'bye')\n\ndef double(x):\n    return 2 * x\n", QUICK)
    assert grade.status == "passed" and grade.passed_count == 2


def test_a_report_without_the_runs_key_is_not_taken():
    code = "import os\nkey_fd, report_fd = map(int, os.environ['KDLAB_REPORT_FDS'].split(','))\n" \
           "os.write(report_fd, b'not-the-key\\n[]')\n"
    assert sandbox.run({"main.py": code}, "main.py", QUICK, report=True).report is None
    honest = "import os\nkey_fd, report_fd = map(int, os.environ['KDLAB_REPORT_FDS'].split(','))\n" \
             "os.write(report_fd, os.read(key_fd, 256) + b'\\nhello')\n"
    assert sandbox.run({"main.py": honest}, "main.py", QUICK, report=True).report == "hello"

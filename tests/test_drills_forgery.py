"""A learner's code cannot forge its grade: the checks run in a second sandbox run that never loads
the learner's code, the producers' run reports on a keyed pipe, not a results file, and it ends
before any hook of the learner's code can run after it."""
import pytest

from kdcore.drills import grader, sandbox

from test_drills_grader import TOY

QUICK = sandbox.Limits(wall_s=10, cpu_s=5)
WRONG = "def double(x):\n    return x + 2\n"
FORGED = ('[{"name": "test_double", "passed": true, "key": "", "values": {}, "where": null, "seconds": 0.1}, '
          '{"name": "test_negative", "passed": true, "key": "", "values": {}, "where": null, "seconds": 0.1}]')

ATTACKS = {
    "atexit rewrites results.json": f"import atexit\natexit.register(lambda: open('results.json', 'w').write({FORGED!r}))\n",
    "results.json written, then exit": f"import os\nopen('results.json', 'w').write({FORGED!r})\nos._exit(0)\n",
    "forged report on every inherited fd": (
        "import os\nfor fd in range(3, 64):\n    try:\n"
        f"        os.write(fd, b'0' * 64 + b'\\n' + {FORGED!r}.encode())\n    except OSError:\n        pass\n"),
    "json.dumps replaced": (
        "import json\n"
        f"json.dumps = lambda results, **kw: {FORGED!r}\n"),
    "fake results printed": f"print({FORGED!r})\n",
    "harness.check disabled": "import harness\nharness.check = lambda *args, **kwargs: None\n",
    "hidden checks replaced": (
        "import hidden_tests\n"
        "hidden_tests.test_double = hidden_tests.test_negative = lambda produced: None\n"),
    "harness.judge replaced": (
        "import harness, json\n"
        f"harness.judge = lambda module, entries: json.loads({FORGED!r})\n"),
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


def test_patching_torch_changes_nothing_the_checks_compute():
    """Without the T² factor the student's gradient is wrong; making torch.allclose always true in the
    learner's process would hide that from a check in the same process, not from the checks' own run."""
    exercise = {ex.id: ex for ex in grader.load_exercises()}["1_simple_distillation"]
    code = exercise.reference.replace("* T * T", "") + "\nimport torch\ntorch.allclose = lambda *args, **kwargs: True\n"
    grade = {t.name: t for t in grader.grade(exercise, code).tests}
    assert grade["test_gradient_reaches_student_only_and_is_right"].key == "student_gradient_wrong"
    assert grade["test_soft_targets_are_probabilities"].passed  # the honest parts still pass


def test_the_checks_run_without_the_learners_code():
    tests = ("import harness, os, sys\n\nRAN = []\n\n\ndef produce_here(solution):\n    RAN.append(1)\n    return 1\n\n\n"
             "def test_apart(produced):\n"
             "    harness.check(produced['here'] == 1 and not RAN and 'solution' not in sys.modules\n"
             "                  and not os.path.exists('solution.py'), 'check_failed')\n")
    apart = grader.Exercise("apart", TOY.title, TOY.statement, "lab", "", "", tests)
    assert grader.grade(apart, "x = 1\n", QUICK).status == "passed"

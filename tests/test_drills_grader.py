"""Grading coding exercises in the sandbox: references pass, wrong code fails with a useful message,
and hostile code (endless loop, memory hog, fork bomb, output flood, network) is stopped within limits."""
import os
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from kdcore.drills import grader, sandbox
from kdcore.errors import ConfigError

QUICK = sandbox.Limits(wall_s=6, cpu_s=3)
TOY = grader.Exercise("toy", {"en": "toy", "zh": "玩具"}, {"en": "toy", "zh": "玩具"}, "lab", "", "",
                      "import harness\n\n\ndef produce_double(solution):\n    return solution.double(21)\n\n\n"
                      "def produce_negative(solution):\n    return solution.double(-1)\n\n\n"
                      "def test_double(produced):\n    got = produced['double']\n"
                      "    harness.check(got == 42, 'wrong_value', call='double(21)', want=42, got=got)\n\n\n"
                      "def test_negative(produced):\n    assert produced['negative'] == -2\n",
                      examples=({"call": "double(21)", "expected": 42}, {"call": "double(2)", "expected": 4}),
                      hints=({"en": "Doubling is adding a number to itself.", "zh": "加倍就是把一个数加上它自己。"},
                             {"en": "Multiplication does it in one step.", "zh": "乘法一步就能做到。"}))


@pytest.fixture(scope="module")
def exercise_grades():
    """Grade every reference solution plus two wrong ones, two at a time (2 cores)."""
    exercises = {ex.id: ex for ex in grader.load_exercises()}
    first = exercises["1_simple_distillation"]
    jobs = {ex_id: (ex, ex.reference) for ex_id, ex in exercises.items()}
    jobs["missing T²"] = (first, first.reference.replace("* T * T", ""))
    jobs["starter"] = (exercises["2_transfer_image"], exercises["2_transfer_image"].starter)
    with ThreadPoolExecutor(max_workers=2) as pool:
        futures = {name: pool.submit(grader.grade, ex, code) for name, (ex, code) in jobs.items()}
        return {name: future.result() for name, future in futures.items()}


@pytest.mark.slow
def test_reference_solutions_pass_their_hidden_tests(exercise_grades):
    for ex in grader.load_exercises():
        grade = exercise_grades[ex.id]
        assert grade.status == "passed", [(t.name, t.key, t.values) for t in grade.tests if not t.passed] or grade.stderr
        assert len(grade.tests) >= 5 and grade.seconds < 30  # ≤ 15 s on an idle 2-core machine (bench/drills_grading.py)


@pytest.mark.slow
def test_missing_t_squared_fails_with_the_reason(exercise_grades):
    grade = exercise_grades["missing T²"]
    failed = {t.name: t for t in grade.tests if not t.passed}
    assert grade.status == "failed" and set(failed) == {"test_distillation_loss_value",
                                                        "test_gradient_reaches_student_only_and_is_right"}
    missing = failed["test_distillation_loss_value"]
    assert missing.key == "missing_t_squared" and set(missing.values) == {"got", "want"} and missing.where is None


@pytest.mark.slow
def test_starter_code_fails_saying_what_is_missing(exercise_grades):
    grade = exercise_grades["starter"]
    assert grade.status == "failed" and grade.passed_count == 0
    assert all(t.key == "not_implemented" and t.where["line"] > 0 for t in grade.tests)


def test_correct_and_wrong_toy_solutions():
    assert grader.grade(TOY, "def double(x):\n    return 2 * x\n", QUICK).status == "passed"
    wrong = grader.grade(TOY, "def double(x):\n    return x + 2\n", QUICK)
    assert wrong.status == "failed" and [t.passed for t in wrong.tests] == [False, False]
    assert (wrong.tests[0].key, wrong.tests[0].values) == ("wrong_value", {"call": "double(21)", "want": 42, "got": 23})
    assert wrong.tests[1].key == "check_failed"  # a bare assert: no key, no text
    crash = grader.grade(TOY, "def double(x):\n    return x * undefined_name\n", QUICK)
    assert crash.tests[0].key == "error" and crash.tests[0].values["type"] == "NameError"
    assert crash.tests[0].where == {"line": 2, "function": "double", "source": "return x * undefined_name"}
    syntax = grader.grade(TOY, "def double(x) return 2x\n", QUICK)
    assert syntax.tests[0].name == "import solution.py" and syntax.tests[0].values["type"] == "SyntaxError"


def test_examples_report_expected_and_got_without_the_hidden_tests():
    run = grader.run_examples(TOY, "def double(x):\n    return x + 2\n", QUICK)
    assert [(t.name, t.passed, t.values) for t in run.tests] == [
        ("test_example_1", False, {"expected": 42, "got": 23}), ("test_example_2", True, {"expected": 4, "got": 4})]
    missing = grader.run_examples(TOY, "def triple(x):\n    return 3 * x\n", QUICK)
    assert missing.status == "failed" and missing.tests[0].values["type"] == "NameError"


def test_a_function_that_never_returns_fails_its_own_test_and_the_rest_still_run():
    looping = grader.Exercise("loop", TOY.title, TOY.statement, "lab", "", "", "TEST_SECONDS = 1\n" + TOY.tests)
    grade = grader.grade(looping, "def double(x):\n    while True:\n        pass\n", QUICK)
    assert grade.status == "failed" and [t.name for t in grade.tests] == ["test_double", "test_negative"]
    assert all((t.key, t.values, t.where["function"]) == ("test_timeout", {"limit": 1}, "double") for t in grade.tests)


def test_printing_megabytes_fails_with_a_message_not_a_crash():
    grade = grader.grade(TOY, "def double(x):\n    while True:\n        print('x' * 10_000)\n", QUICK)
    assert grade.status == "failed" and grade.tests[0].name == "test_double"
    assert grade.tests[0].key == "output_limit"
    assert len(grade.stdout) < QUICK.output_chars + 100


def test_empty_or_huge_code_is_refused():
    with pytest.raises(ConfigError, match="empty"):
        grader.grade(TOY, "   \n")
    with pytest.raises(ConfigError, match="limit"):
        grader.grade(TOY, "x = 1\n" * 20_000)


def test_endless_loop_is_stopped_within_the_limits():
    started = time.monotonic()
    grade = grader.grade(TOY, "while True:\n    pass\n", QUICK)
    assert time.monotonic() - started < QUICK.wall_s + 3
    assert grade.status == "timeout" and grade.tests[-1].key == "time_limit"


def test_sleeping_forever_hits_the_wall_clock():
    started = time.monotonic()
    result = sandbox.run({"main.py": "import time\ntime.sleep(600)\n"}, "main.py", sandbox.Limits(wall_s=2))
    assert result.timed_out and time.monotonic() - started < 6


def test_memory_hog_gets_memory_error():
    grade = grader.grade(TOY, "hog = bytearray(4 * 1024 ** 3)\n\ndef double(x):\n    return 2 * x\n", QUICK)
    assert grade.status == "failed" and grade.tests[0].key == "memory"


def test_fork_bomb_is_contained_and_cleaned_up():
    code = "import os\nwhile True:\n    try:\n        os.fork()\n    except OSError:\n        pass\n"
    started = time.monotonic()
    result = sandbox.run({"main.py": code}, "main.py", sandbox.Limits(wall_s=4, cpu_s=3))
    assert time.monotonic() - started < 15
    assert result.protections["process_cap"] in ("cgroup", "rlimit")
    time.sleep(0.5)
    leftovers = [pid for pid in os.listdir("/proc") if pid.isdigit() and _cmdline(pid).endswith("main.py")]
    assert not leftovers, f"processes left behind: {leftovers}"


def _cmdline(pid: str) -> str:
    try:
        return open(f"/proc/{pid}/cmdline", "rb").read().replace(b"\0", b" ").decode(errors="replace").strip()
    except OSError:
        return ""


def test_output_flood_is_capped():
    result = sandbox.run({"main.py": "while True:\n    print('x' * 1000)\n"}, "main.py", QUICK)
    assert len(result.stdout) < QUICK.output_chars + 100 and result.stdout.endswith("(output truncated)")
    assert "File too large" in result.stderr  # the 1 MiB file-size limit stopped the writes


def test_network_is_unreachable_when_isolation_is_available():
    result = sandbox.run({"main.py": "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=3)\n"},
                         "main.py", QUICK)
    if result.protections.get("network") != "isolated":
        pytest.skip("this machine cannot give the sandbox its own network namespace (documented limitation)")
    assert result.returncode != 0 and "unreachable" in result.stderr.lower()


def test_environment_is_stripped():
    os.environ["KDLAB_SECRET_FOR_TEST"] = "do-not-leak"
    try:
        result = sandbox.run({"main.py": "import os\nprint(sorted(os.environ))\n"}, "main.py", QUICK)
    finally:
        del os.environ["KDLAB_SECRET_FOR_TEST"]
    assert "KDLAB_SECRET_FOR_TEST" not in result.stdout and "'PATH'" in result.stdout


@pytest.mark.parametrize("address, env, allowed", [
    ("127.0.0.1", {}, True), ("localhost", {}, True), ("", {}, False), ("0.0.0.0", {}, False), (None, {}, False),
    ("0.0.0.0", {"KDLAB_ALLOW_CODE": "1"}, True), ("127.0.0.1", {"KDLAB_ALLOW_CODE": "0"}, False),
])
def test_code_execution_only_on_localhost_unless_configured(address, env, allowed):
    assert sandbox.allowed(address, env) is allowed


def test_a_classroom_server_refuses_code_without_the_jail(monkeypatch):
    monkeypatch.setattr(sandbox, "jail_available", lambda: False)
    assert sandbox.refusal("0.0.0.0", {"KDLAB_ALLOW_CODE": "1"}) == "needs_jail"
    assert sandbox.refusal("127.0.0.1", {}) is None  # a personal server runs it and reports the protections
    assert sandbox.refusal("0.0.0.0", {}) == "disabled"
    monkeypatch.setattr(sandbox, "jail_available", lambda: True)
    assert sandbox.refusal("0.0.0.0", {"KDLAB_ALLOW_CODE": "1"}) is None

"""The reference's lock: one real attempt (own code that ran to the hidden tests) opens it."""
from kdcore.drills import attempts

STARTER = "def f(x):\n    raise NotImplementedError\n"


def attempt(code: str, status: str = "failed", passed: int = 0, ran: bool = True) -> dict:
    return {"code": code, "status": status, "passed": passed, "ran": ran}


def test_only_own_code_that_ran_unlocks():
    assert not attempts.unlocked([], STARTER)
    assert not attempts.unlocked([attempt(STARTER), attempt("  " + STARTER + "\n\n")], STARTER)
    assert not attempts.unlocked([attempt("def f(x) return x", ran=False)], STARTER)
    assert not attempts.unlocked([attempt("while True: pass", status="timeout", ran=False)], STARTER)
    assert attempts.unlocked([attempt("def f(x):\n    return x\n")], STARTER)
    assert attempts.unlocked([attempt("def f(x):\n    return 2 * x\n", status="passed", passed=3)], STARTER)


def test_attempts_kept_before_the_ran_flag_count_when_their_tests_reported():
    old = {"code": "def f(x):\n    return x\n", "status": "failed", "passed": 0}
    assert attempts.unlocked([old], STARTER)
    assert not attempts.unlocked([{**old, "status": "crashed"}], STARTER)

"""When a coding exercise's reference solution unlocks: after a real attempt, not one click.

An attempt is a graded submission, kept as (code, status, passed, ran). The reference opens after
the first attempt that is the learner's own code — different from the starter (whitespace ignored) —
and that ran to the hidden tests (grader.Grade.ran: not a syntax error, a crash or a time-out before
any check). Running the visible examples is never an attempt.
"""


def _normal(code: str) -> str:
    return "\n".join(line.rstrip() for line in code.strip().splitlines() if line.strip())


def real(attempt: dict, starter: str) -> bool:
    """`attempt`: {"code", "status", "passed", "ran"}; one kept before "ran" was, ran if the tests reported."""
    ran = attempt.get("ran", attempt["status"] in ("passed", "failed"))
    return ran and _normal(attempt["code"]) != _normal(starter)


def unlocked(attempts: list[dict], starter: str) -> bool:
    return any(real(attempt, starter) for attempt in attempts)

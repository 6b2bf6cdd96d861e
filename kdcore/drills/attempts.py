"""When a coding exercise's reference solution unlocks: after a genuine attempt, not one click.

An attempt is a graded submission, kept as (code, status, passed). The reference opens once the
hidden tests all pass, or after `ATTEMPTS` graded submissions of code that is the learner's own —
different from the starter and from each other (whitespace ignored) — of which at least one ran
to the tests (not a crash or a time-out before any check reported).
"""
ATTEMPTS = 2


def _normal(code: str) -> str:
    return "\n".join(line.rstrip() for line in code.strip().splitlines() if line.strip())


def unlocked(attempts: list[dict], starter: str) -> bool:
    """`attempts`: [{"code", "status", "passed"}] in order (status as in grader.Grade)."""
    if any(a["status"] == "passed" for a in attempts):
        return True
    own = {_normal(a["code"]) for a in attempts} - {_normal(starter)}
    ran = any(a["passed"] > 0 or a["status"] == "failed" for a in attempts if _normal(a["code"]) in own)
    return len(own) >= ATTEMPTS and ran


def remaining(attempts: list[dict], starter: str) -> int:
    """Own submissions still needed before the reference opens (0 once it is open)."""
    if unlocked(attempts, starter):
        return 0
    own = {_normal(a["code"]) for a in attempts} - {_normal(starter)}
    return max(1, ATTEMPTS - len(own))

"""When a coding exercise's reference solution unlocks: after a real attempt, not one click.

An attempt is a graded submission, kept as (code, status, passed, ran). The reference opens after
the first attempt that is the learner's own code — different from the starter (whitespace ignored) —
and that ran to the hidden tests (grader.Grade.ran: not a syntax error, a crash or a time-out before
any check). Running the visible examples is never an attempt.

The progress store keeps every graded submission too (a score "coding:<exercise id>", passed of
total checks); `history` reads them back per exercise for My progress.
"""
PREFIX = "coding:"  # the store's score kind for a coding submission, before the exercise id


def _normal(code: str) -> str:
    return "\n".join(line.rstrip() for line in code.strip().splitlines() if line.strip())


def real(attempt: dict, starter: str) -> bool:
    """`attempt`: {"code", "status", "passed", "ran"}; one kept before "ran" was, ran if the tests reported."""
    ran = attempt.get("ran", attempt["status"] in ("passed", "failed"))
    return ran and _normal(attempt["code"]) != _normal(starter)


def unlocked(attempts: list[dict], starter: str) -> bool:
    return any(real(attempt, starter) for attempt in attempts)


def history(scores: list[dict]) -> dict[str, list[dict]]:
    """The store's coding scores per exercise id, in order: [{"at", "passed", "total", "status"}]
    (an imported file may hold odd details: a missing status reads as "")."""
    submissions: dict[str, list[dict]] = {}
    for row in scores:
        if row["kind"].startswith(PREFIX):
            detail = row["detail"] if isinstance(row["detail"], dict) else {}
            submissions.setdefault(row["kind"].removeprefix(PREFIX), []).append(
                {"at": row["at"], "passed": int(row["score"] or 0), "total": int(row["total"] or 0),
                 "status": str(detail.get("status", ""))})
    return submissions

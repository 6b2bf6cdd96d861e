"""How the Coding drills page shows a graded submission: the status, then every check with its full
message in the page's language (what was expected and what came back), the program's output and the
sandbox's protections; and the visible examples, the hints, and a run of the examples."""
import json
from datetime import datetime

import streamlit as st

from . import code_box
from .i18n import catalogue, text
from .ui import lang, t

GRADER_CHECKS = {"time limit": "coding.check_time_limit", "run": "coding.check_run"}  # checks the grader adds


def check_name(name: str) -> str:
    """A check in the learner's language: the grader's own by its key, a hidden test by its entry in
    strings/coding_checks.json, else its function name read as words (a new test not yet named)."""
    key = GRADER_CHECKS.get(name, f"coding_checks.{name}")
    return t(key) if key in catalogue() else name.removeprefix("test_").replace("_", " ")


def message(test, language: str | None = None) -> str:
    """A failed check's message in `language` (default: the page's): its key's entry in
    strings/coding_messages.json filled with its values, then where in solution.py it failed. A key
    the catalogue lacks, or values that do not fit it (learner code can raise checks too), read as data."""
    language = language or lang()
    values = {k: json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v for k, v in test.values.items()}
    try:
        body = text(f"coding_messages.{test.key}", language, **values)
        where = " " + text("coding_messages.where", language, **test.where) if test.where else ""
    except (KeyError, ValueError, IndexError):
        return f"{test.key}: {json.dumps(test.values, ensure_ascii=False)}"
    return body + where


def grade(result) -> None:
    st.subheader(t("coding.results"))
    failed = len(result.tests) - result.passed_count
    summary = t("coding.summary", passed=result.passed_count, total=len(result.tests), failed=failed, s=result.seconds)
    status = "none" if result.status == "failed" and result.passed_count == 0 else result.status
    {"passed": st.success, "failed": st.warning}.get(status, st.error)(f"{t(f'coding.status_{status}')} — {summary}")
    for test in result.tests:
        with st.container(border=True):
            st.markdown(f"{'✅' if test.passed else '❌'} **{check_name(test.name)}** "
                        f"<small>· {test.seconds:.2f} s</small>", unsafe_allow_html=True)
            if not test.passed:
                st.code(message(test), language=None, wrap_lines=True)
    if result.stdout.strip():
        with st.expander(t("coding.stdout")):
            st.code(result.stdout, language=None)
    if result.stderr.strip():
        with st.expander(t("coding.stderr"), expanded=result.status == "crashed"):
            st.code(result.stderr, language=None)
    st.caption(t("coding.protections", **{part: protection(result.protections.get(part, "unknown"))
                                          for part in ("network", "process_cap", "jail")}))


def hints(exercise) -> None:
    """The hints opened so far, and a button for the next one."""
    shown = code_box.hints_shown(exercise)
    for number, hint in enumerate(exercise.hints[:shown], 1):
        st.info(t("coding.hint", n=number, total=len(exercise.hints), text=hint[lang()]), icon="💡")
    if shown < len(exercise.hints):
        st.button(t("coding.show_hint", n=shown + 1, total=len(exercise.hints)), key="coding_show_hint",
                  on_click=code_box.show_hint, args=(exercise,))


def examples(exercise, result=None) -> None:
    """The visible examples, each call with the result it should give; after a run (`result`, a Grade
    of grader.run_examples), what came back beside it, and anything that stopped the run."""
    st.subheader(t("coding.examples"))
    st.caption(t("coding.examples_help"))
    if exercise.setup:
        st.code(exercise.setup, language="python")
    outcomes = {test.name: test for test in result.tests} if result else {}
    for number, case in enumerate(exercise.examples, 1):
        test = outcomes.pop(f"test_example_{number}", None)
        with st.container(border=True):
            st.code(case["call"], language="python", wrap_lines=True)
            st.markdown(t("coding.expected", value=json.dumps(case["expected"])))
            if test is not None and "got" in test.values:
                st.markdown(f"{'✅' if test.passed else '❌'} {t('coding.got', value=json.dumps(test.values['got']))}")
            elif test is not None:  # the call raised: what it raised, in the page's language
                st.markdown(f"❌ {t('coding.got_error')}")
                st.code(message(test), language=None, wrap_lines=True)
    if result:
        for test in outcomes.values():  # an import error, the time limit or a crash: no example reported
            st.error(f"**{check_name(test.name)}** — {message(test)}")
        passed = sum(test.passed for test in result.tests if test.name.startswith("test_example_"))
        st.caption(t("coding.examples_summary", passed=passed, total=len(exercise.examples)))


def history(submissions: dict[str, list[dict]], exercises) -> None:
    """My progress: each exercise's graded submissions (kdcore.drills.attempts.history), newest first."""
    st.subheader(t("progress.coding_title"))
    if not submissions:
        st.caption(t("progress.coding_empty"))
    titles = {exercise.id: exercise.title[lang()] for exercise in exercises}
    for exercise_id, rows in submissions.items():
        best = max(rows, key=lambda row: row["passed"])
        label = t("progress.coding_summary", title=titles.get(exercise_id, exercise_id), n=len(rows),
                  passed=best["passed"], total=best["total"])
        with st.expander(label):
            st.dataframe([{t("progress.col_when"): datetime.fromisoformat(row["at"]).astimezone().strftime("%Y-%m-%d %H:%M"),
                           t("progress.col_checks"): f"{row['passed']} / {row['total']}",
                           t("progress.col_status"): status_text(row["status"])} for row in reversed(rows)],
                         hide_index=True, width="stretch", key=f"progress_coding_{exercise_id}")


def status_text(status: str) -> str:
    key = f"coding.status_{status}"
    return t(key) if key in catalogue() else status


def protection(value: str) -> str:
    """A sandbox fact (isolated, not isolated, cgroup, rlimit, bubblewrap, none) in the learner's language."""
    key = "coding.prot_" + value.replace(" ", "_")
    return t(key) if key in catalogue() else value

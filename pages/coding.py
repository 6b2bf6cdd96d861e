"""Coding drills: the source article's three programming problems, graded by hidden tests in a sandbox."""
import streamlit as st

from kdapp import drill_widgets as dw
from kdapp.ui import lang, show_error, t
from kdcore.drills import grader, sandbox
from kdcore.errors import KDLabError

st.title(t("coding.title"))
st.caption(t("coding.intro"))
exercises = grader.load_exercises()
by_id = {ex.id: ex for ex in exercises}
exercise = by_id[st.radio(t("coding.pick"), list(by_id), format_func=lambda i: by_id[i].title[lang()],
                          key="coding_exercise", horizontal=True)]
refused = sandbox.refusal(st.get_option("server.address"))

st.markdown(exercise.statement[lang()])
demo = dw.PAGES_DIR / f"{exercise.demo}.py"
if demo.exists():
    st.page_link(f"pages/{demo.name}", label=t("drills.see_demo", page=t(f"nav.{exercise.demo}")), icon="🔬")

code_key = f"coding_code_{exercise.id}"
if code_key not in st.session_state:
    st.session_state[code_key] = exercise.starter
if refused:
    st.info(t(f"coding.{refused}"))
code = st.text_area(t("coding.editor"), key=code_key, height=460, help=t("coding.editor_help"))
c1, c2, _ = st.columns([1.3, 1.7, 3])
submitted = c1.button(t("coding.submit"), key="coding_submit", type="primary", disabled=bool(refused))
if c2.button(t("coding.reset"), key="coding_reset"):
    del st.session_state[code_key]
    st.session_state.pop(f"coding_grade_{exercise.id}", None)
    st.rerun()

if submitted:
    try:
        with st.spinner(t("coding.running")):
            result = grader.grade(exercise, code)
    except KDLabError as err:
        show_error(err)
    else:
        st.session_state[f"coding_grade_{exercise.id}"] = result
        try:
            dw.open_store().add_score(f"coding:{exercise.id}", result.passed_count, len(result.tests),
                                      {"status": result.status, "seconds": round(result.seconds, 1)})
        except KDLabError as err:  # the result is still shown; only saving it failed
            show_error(err)

result = st.session_state.get(f"coding_grade_{exercise.id}")
if result is not None:
    st.subheader(t("coding.results"))
    summary = t("coding.summary", passed=result.passed_count, total=len(result.tests), s=result.seconds)
    {"passed": st.success, "failed": st.warning}.get(result.status, st.error)(f"{t(f'coding.status_{result.status}')} — {summary}")
    st.dataframe([{t("coding.col_test"): ("✅ " if r.passed else "❌ ") + r.name, t("coding.col_message"): r.message,
                   t("coding.col_seconds"): round(r.seconds, 2)} for r in result.tests],
                 hide_index=True, width="stretch", key="coding_results")
    if result.stdout.strip():
        with st.expander(t("coding.stdout")):
            st.code(result.stdout, language=None)
    if result.stderr.strip():
        with st.expander(t("coding.stderr"), expanded=result.status == "crashed"):
            st.code(result.stderr, language=None)
    st.caption(t("coding.protections", network=result.protections.get("network", "?"),
                 processes=result.protections.get("process_cap", "?"), jail=result.protections.get("jail", "none")))
if result is not None or refused:
    with st.expander(t("coding.reference"), expanded=result is not None and result.status == "passed"):
        st.code(exercise.reference, language="python")

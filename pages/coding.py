"""Coding drills: the source article's programming problems in a code editor, graded by hidden tests
in a sandbox; drafts and attempts survive page changes and reloads (kdapp.code_box)."""
import streamlit as st

from kdapp import code_box, coding_view, form, share
from kdapp import drill_widgets as dw
from kdapp.share import Setting
from kdapp.ui import lang, show_error, t
from kdcore.drills import attempts, grader, sandbox
from kdcore.errors import KDLabError

exercises = grader.load_exercises()
by_id = {ex.id: ex for ex in exercises}
SCHEMA = {"exercise": Setting("coding_exercise", str, exercises[0].id, choices=tuple(by_id))}

st.title(t("coding.title"))
st.caption(t("coding.intro"))
share.restore("coding", SCHEMA)
exercise = by_id[st.radio(t("coding.pick"), list(by_id), format_func=lambda i: by_id[i].title[lang()],
                          key="coding_exercise", horizontal=True,
                          **form.kept("radio", "coding_exercise", exercises[0].id, list(by_id)))]
share.publish(SCHEMA)
refused = sandbox.refusal(st.get_option("server.address"))

st.markdown(exercise.statement[lang()])
demo = dw.PAGES_DIR / f"{exercise.demo}.py"
if demo.exists():
    st.page_link(f"pages/{demo.name}", label=t("drills.see_demo", page=t(f"nav.{exercise.demo}")), icon="🔬")

if refused:
    st.info(t(f"coding.{refused}"))
code = code_box.editor(exercise, t("coding.editor"), t("coding.editor_help"))
row = st.container(horizontal=True)
submitted = row.button(t("coding.submit"), key="coding_submit", type="primary", disabled=bool(refused))
row.button(t("coding.reset"), key="coding_reset", on_click=code_box.reset, args=(exercise,))
st.caption(t("coding.autosave"))

if submitted:
    try:
        with st.spinner(t("coding.running")):
            result = grader.grade(exercise, code)
    except KDLabError as err:
        show_error(err)
    else:
        st.session_state[f"coding_grade_{exercise.id}"] = result
        code_box.add_attempt(exercise, code, result)
        try:
            dw.open_store().add_score(f"{grader.SCORE_KIND}{exercise.id}", result.passed_count, len(result.tests),
                                      {"status": result.status, "seconds": round(result.seconds, 1)})
        except KDLabError as err:  # the result is still shown; only saving it failed
            show_error(err)

result = st.session_state.get(f"coding_grade_{exercise.id}")
if result is not None:
    coding_view.grade(result)
tried = code_box.attempts(exercise)
if refused or attempts.unlocked(tried, exercise.starter):
    with st.expander(t("coding.reference"), expanded=result is not None and result.status == "passed"):
        st.code(exercise.reference, language="python")
else:
    st.caption(t("coding.reference_locked", n=attempts.remaining(tried, exercise.starter)))

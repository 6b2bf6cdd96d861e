"""The coding drills' editor and what it remembers.

The editor is streamlit-code-editor (Ace: monospace, Tab indents four spaces, line numbers, Python
highlighting); if the component cannot be imported, a plain text area stands in. Each exercise's
draft lives in session_state (not in a widget's state, which Streamlit drops when the learner opens
another page) and is saved for this browser after every change (kdapp.keep), together with the
graded attempts that unlock the reference (kdcore.drills.attempts) and how many hints are open.
"""
import streamlit as st

from . import keep

try:
    from code_editor import code_editor
except ImportError:  # the textarea fallback below
    code_editor = None

STATE = "coding_saved"  # {"drafts": {id: code}, "attempts": {id: [{code, status, passed, ran}]}, "hints": {id: shown}}
MAX_ATTEMPTS_KEPT = 20
OPTIONS = {"showLineNumbers": True, "tabSize": 4, "useSoftTabs": True, "fontSize": 14, "showPrintMargin": False,
           "wrap": False, "displayIndentGuides": True}


def state() -> dict:
    keep.restore("coding", STATE)
    return st.session_state.setdefault(STATE, {"drafts": {}, "attempts": {}})


def _save() -> None:
    keep.save("coding", st.session_state[STATE])


def draft(exercise) -> str:
    return state()["drafts"].get(exercise.id, exercise.starter)


def _set_draft(exercise, code: str) -> None:
    if code != draft(exercise):
        state()["drafts"][exercise.id] = code
        _save()


def editor(exercise, label: str, help_text: str) -> str:
    """The editor holding this exercise's draft; returns the draft (the editor's text as of its last
    pause in typing, or the moment it lost focus)."""
    text = draft(exercise)
    version = st.session_state.get(f"coding_version_{exercise.id}", 0)
    key = f"coding_editor_{exercise.id}_{version}"
    if code_editor is None:
        code = st.text_area(label, text, key=key, height=460, help=help_text)
    else:
        st.markdown(f"**{label}**", help=help_text)
        response = code_editor(text, lang="python", theme="default", height=[20, 36], key=key,
                               response_mode=["blur", "debounce"], options=OPTIONS,
                               props={"debounceChangePeriod": 700, "placeholder": ""})
        code = response["text"] if response and response.get("id") else text
    _set_draft(exercise, code)
    return code


def reset(exercise) -> None:
    """Back to the starter code: a fresh editor (new key) holding it."""
    state()["drafts"].pop(exercise.id, None)
    _save()
    st.session_state[f"coding_version_{exercise.id}"] = st.session_state.get(f"coding_version_{exercise.id}", 0) + 1


def attempts(exercise) -> list[dict]:
    return state()["attempts"].get(exercise.id, [])


def add_attempt(exercise, code: str, grade) -> None:
    rows = [*attempts(exercise), {"code": code, "status": grade.status, "passed": grade.passed_count,
                                 "ran": grade.ran}]
    state()["attempts"][exercise.id] = rows[-MAX_ATTEMPTS_KEPT:]
    _save()


def hints_shown(exercise) -> int:
    return state().setdefault("hints", {}).get(exercise.id, 0)


def show_hint(exercise) -> None:
    """Open the next hint (a button's callback)."""
    state().setdefault("hints", {})[exercise.id] = min(hints_shown(exercise) + 1, len(exercise.hints))
    _save()

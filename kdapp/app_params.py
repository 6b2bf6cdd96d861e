"""App-wide URL parameters: the language (`lang=zh`) and presenter mode (`present=1`).

They live in the learner's session (the sidebar's widgets) and in the URL: the router reads the URL
once at the start of a session (so a reload or a copied link opens in the same language and mode)
and writes the session's values back on every run (so moving between pages keeps them). Pages that
write their own settings into the URL keep these (kdapp.share), and links built with `query()` carry
them into a new tab.
"""
import streamlit as st

from .i18n import language_of

FLAG = "app_params_read"
NAMES = ("lang", "present")


def _present_of(value) -> bool | None:
    return {"1": True, "0": False}.get(value) if isinstance(value, str) else None


def read_once() -> None:
    """Call before the sidebar's widgets: preset them from the URL the first time in a session;
    invalid values are ignored (the session keeps its own, or the default)."""
    if st.session_state.get(FLAG) and "lang" in st.session_state:  # a session that lost its language reads it again
        return
    st.session_state[FLAG] = True
    lang, present = language_of(st.query_params.get("lang")), _present_of(st.query_params.get("present"))
    if lang is not None:
        st.session_state["lang"] = lang
    if present is not None:
        st.session_state["present"] = present


def query() -> dict[str, str]:
    """The app-wide parameters to put in a URL: the language always, presenter mode when on."""
    params = {"lang": st.session_state.get("lang", "en")}
    if st.session_state.get("present"):
        params["present"] = "1"
    return params


def write() -> None:
    """Put the session's language and mode into the URL, leaving the page's own parameters alone."""
    wanted = query()
    for name in NAMES:
        if name not in wanted and name in st.query_params:
            del st.query_params[name]
        elif name in wanted and st.query_params.get(name) != wanted[name]:
            st.query_params[name] = wanted[name]

"""Streamlit helpers every page uses: translated text, the shared settings, errors, progress."""
import re
import time

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from kdcore.errors import KDLabError

from .i18n import text

# A page opened by its own address on a freshly started server would otherwise be run by
# Streamlit's older "pages/ folder" mode (no router, no sidebar, a raw file list). The router calls
# st.navigation, which switches that mode off for good; do the same here and rerun through it.
if PagesManager.uses_pages_directory:
    PagesManager.uses_pages_directory = False
    st.rerun()


def lang() -> str:
    return st.session_state.get("lang", "en")


def t(key: str, **fmt) -> str:
    """Translate `key` into the learner's language (sidebar switch)."""
    return text(key, lang(), **fmt)


TEST_SET = re.compile(r"^(held-out|official) (.+?)(?: test set)? \(([\d,]+)\)$")


def test_set(description: str) -> str:
    """A dataset's test-set description (kdcore writes it in English) in the learner's language."""
    match = TEST_SET.match(description)
    if not match:
        return description
    kind, what, n = match.groups()
    return t("common.test_heldout" if kind == "held-out" else "common.test_official", what=what, n=n)


def device_name() -> str:
    """The sidebar's device choice: auto, cpu or cuda."""
    return st.session_state.get("device", "auto")


def show_error(err: Exception) -> None:
    """A learner-facing error: the message, never a traceback."""
    st.error(f"{t('common.error')} {err}" if isinstance(err, KDLabError) else f"{t('common.unexpected')} {err!r}")


def drive(records, on_record, min_interval: float = 0.2):
    """Consume a kdcore metric generator, calling `on_record(record)` at most every
    `min_interval` seconds (and always for the last record), so the page repaints often
    without spending its time drawing. Returns the last record."""
    last, shown, pending = None, 0.0, False
    for last in records:
        now = time.perf_counter()
        pending = not (now - shown >= min_interval or last.get("final"))
        if not pending:
            on_record(last)
            shown = now
    if pending:
        on_record(last)
    return last

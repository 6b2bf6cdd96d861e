"""Streamlit helpers every page uses: translated text, the shared settings, errors, progress."""
import time

import streamlit as st
from streamlit.runtime.pages_manager import PagesManager

from kdcore.data import TestSet, test_set_of
from kdcore.errors import KDLabError
from kdcore.events import Done

from .i18n import describe_test_set, error_text, text

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


def test_set(value: TestSet | dict) -> str:
    """A result's test set in the learner's language: a TestSet or its JSON form (TestSet.to_dict)."""
    return describe_test_set(test_set_of(value) if isinstance(value, dict) else value, lang())


def device_name() -> str:
    """The sidebar's device choice: auto, cpu or cuda."""
    return st.session_state.get("device", "auto")


def show_error(err: Exception) -> None:
    """A learner-facing error in the learner's language, never a traceback."""
    st.error(f"{t('common.error')} {error_text(err, lang())}" if isinstance(err, KDLabError)
             else f"{t('common.unexpected')} {err!r}")


def drive(events, on_event, min_interval: float = 0.2):
    """Consume a kdcore runner in the page's own script run, calling `on_event(event)` at most every
    `min_interval` seconds (and always for Done); returns the Done event's result (None if the
    iteration ended without one). For long runs prefer kdapp.live, which does not block the page."""
    shown = 0.0
    for event in events:
        now = time.perf_counter()
        if isinstance(event, Done):
            on_event(event)
            return event.result
        if now - shown >= min_interval:
            on_event(event)
            shown = now
    return None


def verdict_lines(page: str, verdicts: list[dict], describe, noise_key: str) -> list[str]:
    """A readout's sentences, one per verdict that occurs (kdcore.readout): `{page}.readout_gain`,
    `_loss` and `_noise`, each naming its entries (`describe(entry)`) and twice their largest noise."""
    lines = []
    for kind in ("gain", "loss", "noise"):
        chosen = [v for v in verdicts if v["verdict"] == kind]
        if chosen:
            lines.append(t(f"{page}.readout_{kind}", names=", ".join(describe(v) for v in chosen),
                           noise=2 * max(v[noise_key] for v in chosen)))
    return lines

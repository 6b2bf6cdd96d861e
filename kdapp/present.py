"""Presenter mode (`?present=1`, or the sidebar switch): for a projector. Larger type through CSS,
and blocks drawn result first with their settings folded under it (`result_first`, and for a page
with a run button `run_layout`)."""
import streamlit as st

from .ui import t

CSS = """<style>
html { font-size: 20px; }
.stMainBlockContainer { max-width: 1400px; padding-top: 3.5rem; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.15rem; line-height: 1.6; }
[data-testid="stMetricLabel"] p { font-size: 0.95rem; }
[data-testid="stMetricValue"] p { font-size: 2.4rem; line-height: 1.2; }
h1 { font-size: 2.1rem !important; padding-top: 0.5rem !important; }
</style>"""


def active() -> bool:
    return bool(st.session_state.get("present"))


def apply() -> None:
    """The router calls this on every run; it adds the larger type while presenter mode is on."""
    if active():
        st.html(CSS)


def result_first():
    """(settings container, result container) for a block: normally settings above the result; in
    presenter mode the result on top and the settings folded into an expander under it. Fill the
    settings first (the result needs their values); the containers keep their places on the page."""
    if not active():
        return st.container(), st.container()
    result = st.container()
    return st.expander(t("present.settings")), result


def run_layout(title: str, summary: str):
    """(controls, result, settings) for a page with a run button. Normally one bordered settings box
    (the button and the settings) in a narrow column beside the result; in presenter mode the button
    on top, the result under it and the settings folded under that, labelled with the one-line
    `summary` of their values, so a 720p projector shows the button and the result without scrolling."""
    if not active():
        left, result = st.columns([1, 2.7], gap="large")
        box = left.container(border=True)
        box.markdown(f"**{title}**")
        return box, result, box
    controls = st.columns([1, 3])[0]
    return controls, st.container(), st.expander(summary)

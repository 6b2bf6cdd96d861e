"""Forms drawn from a page's schema (kdapp.share.Setting): each setting is declared once — type,
bounds, default, URL name, label key, RunConfig path — and the widgets, the URL round-trip and the
config are built from that declaration."""
import streamlit as st

from .share import Setting
from .ui import t


def preset(kind: str, current, options=None) -> dict:
    """The value argument for a widget whose value lives in st.session_state: its declared default is
    the session's value, so a widget the browser draws afresh (after a run cut short before it was
    drawn) shows and sends that value, not the first option or the minimum."""
    if options is not None and kind != "multiselect" and current not in options:
        return {}
    if kind in ("radio", "selectbox"):
        return {"index": options.index(current)}
    if kind in ("multiselect", "segmented_control"):
        return {"default": current}
    return {"value": current}


def kept(kind: str, key: str, fallback, options=None) -> dict:
    """`preset` for the value st.session_state[key] holds (or `fallback`)."""
    return preset(kind, st.session_state.get(key, fallback), options)


def widget(setting: Setting, where=st, **extra):
    """Draw one setting's widget (its value lives in st.session_state[setting.key])."""
    options = list(setting.choices) if setting.choices is not None else None
    current = st.session_state.get(setting.key, setting.default)
    common = dict(key=setting.key, help=t(setting.help) if setting.help else None,
                  **preset(setting.widget, list(current) if setting.max_items else current, options), **extra)
    label = t(setting.label)
    if setting.fmt is not None and options is not None:
        common["format_func"] = setting.fmt
    if setting.widget == "slider":
        return where.slider(label, setting.low, setting.high, step=setting.step, **common)
    if setting.widget == "number":
        return where.number_input(label, setting.low, setting.high, step=setting.step, **common)
    if setting.widget == "select_slider":
        return where.select_slider(label, options, **common)
    if setting.widget == "selectbox":
        return where.selectbox(label, options, **common)
    if setting.widget == "radio":
        return where.radio(label, options, horizontal=True, **common)
    if setting.widget == "multiselect":
        return where.multiselect(label, options, max_selections=setting.max_items or None, **common)
    if setting.widget == "checkbox":
        return where.checkbox(label, **common)
    if setting.widget == "toggle":
        return where.toggle(label, **common)
    raise ValueError(f"unknown widget kind {setting.widget!r}")


def widgets(schema: dict[str, Setting], names, columns: int = 1, **extra) -> None:
    """Draw the named settings, in `columns` columns, row by row."""
    places = st.columns(columns) if columns > 1 else [st]
    for i, name in enumerate(names):
        widget(schema[name], places[i % columns], **extra)


def value(setting: Setting):
    raw = st.session_state.get(setting.key, setting.default)
    if setting.max_items:
        return tuple(sorted(setting.kind(v) for v in raw))
    return setting.kind(raw)


def to_config(config, schema: dict[str, Setting]):
    """`config` with every setting that names a RunConfig path replaced by the widget's value."""
    return config.replace(**{s.path: (s.convert or (lambda v: v))(value(s)) for s in schema.values() if s.path})

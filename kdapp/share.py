"""Shareable views: a page's settings round-trip through the URL's query parameters, so a copied
link reproduces the view (as TensorFlow Playground does).

Each page declares a small schema: URL name → Setting (widget key, type, default, allowed range,
and how kdapp.form draws it and where its value goes in the run config): the form, the URL round-trip
and the config are all built from that one declaration.
`restore` reads the URL once per session and page: valid values preset the widgets, anything else
(unknown names, wrong types, out-of-range values, oversized lists) is ignored with a visible
notice and the default stays. `publish` writes the current values back on every run of the page: after each change for plain
widgets (the Lab), on the run button for a form.
`parse` and `encode` are pure, so the rules are tested without a browser.
"""
import math
from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from . import app_params
from .ui import t

MAX_TEXT = 200  # longer query values are rejected before parsing
TRUE, FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


@dataclass(frozen=True)
class Setting:
    key: str  # the widget's session_state key
    kind: type  # float, int, bool or str (the type of one item for lists)
    default: object
    low: float | None = None  # inclusive bounds for numbers
    high: float | None = None
    choices: tuple | None = None  # allowed values (after conversion)
    max_items: int = 0  # > 0: a comma-separated list of at most this many items (default a tuple)
    label: str = ""  # string-catalogue key of the widget's label (kdapp.form)
    widget: str = "slider"  # slider, select_slider, selectbox, radio, number, multiselect, checkbox, toggle
    step: float | None = None
    path: str | None = None  # where the value goes in a RunConfig, e.g. "student.epochs" (kdapp.form.to_config)
    help: str | None = None  # string-catalogue key of the widget's help
    fmt: Callable | None = None  # how options are shown (format_func)
    convert: Callable | None = None  # widget value → config value (e.g. 0 → None, 3 seeds → (0, 1, 2))


def _item(setting: Setting, raw: str):
    """One converted, checked value; raises ValueError with a reason key ("type" or "range")."""
    raw = raw.strip()
    if setting.kind is bool:
        if raw.lower() not in TRUE + FALSE:
            raise ValueError("type")
        return raw.lower() in TRUE
    try:
        value = setting.kind(raw)
    except ValueError:
        raise ValueError("type") from None
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError("type")
    if setting.low is not None and value < setting.low or setting.high is not None and value > setting.high:
        raise ValueError("range")
    if setting.choices is not None and value not in setting.choices:
        raise ValueError("range")
    return value


def parse(schema: dict[str, Setting], query: dict[str, str]) -> tuple[dict, list[tuple[str, str, str]]]:
    """Valid settings from query parameters {name: text} → ({name: value}, problems), each problem
    (name, shown value, reason) with reason "unknown", "type" or "range"."""
    values, problems = {}, []
    for name, raw in query.items():
        shown = raw if len(raw) <= 40 else raw[:40] + "…"
        setting = schema.get(name)
        if setting is None:
            problems.append((name[:40], shown, "unknown"))
            continue
        try:
            if len(raw) > MAX_TEXT:
                raise ValueError("range")
            if setting.max_items:
                items = [part for part in raw.split(",") if part.strip()]
                if not 1 <= len(items) <= setting.max_items:
                    raise ValueError("range")
                values[name] = tuple(_item(setting, part) for part in items)
            else:
                values[name] = _item(setting, raw)
        except ValueError as reason:
            problems.append((name, shown, str(reason)))
    return values, problems


def _text(value) -> str:
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (tuple, list)):
        return ",".join(_text(v) for v in value)
    return str(value)


def encode(schema: dict[str, Setting], values: dict) -> dict[str, str]:
    """{name: text} for the URL; parse(schema, encode(schema, v)) gives v back."""
    return {name: _text(values[name]) for name in schema if name in values}


def restore(page: str, schema: dict[str, Setting]) -> None:
    """Call before the page's widgets: the first time in a session, preset them from the URL; every
    time, give widgets still without a value their default (so pages never pass `value=`)."""
    flag = f"share_restored_{page}"
    if not st.session_state.get(flag):
        st.session_state[flag] = True
        query = {name: st.query_params[name] for name in st.query_params if name not in app_params.NAMES}
        values, problems = parse(schema, query)
        for name, value in values.items():
            st.session_state[schema[name].key] = list(value) if schema[name].max_items else value
        st.session_state[f"share_problems_{page}"] = problems
        st.session_state[f"share_linked_{page}"] = bool(values)  # opened from a link with settings
    for setting in schema.values():
        st.session_state.setdefault(setting.key, setting.default)
    problems = st.session_state.pop(f"share_problems_{page}", [])
    if problems:
        details = "; ".join(t(f"share.reason_{reason}", name=name, value=value) for name, value, reason in problems)
        st.warning(t("share.ignored", details=details), icon="🔗")


def current(schema: dict[str, Setting]) -> dict:
    """The widgets' values, by URL name."""
    return {name: st.session_state.get(s.key, s.default) for name, s in schema.items()}


def publish(schema: dict[str, Setting]) -> None:
    """Write the current values into the URL (replacing whatever else was there, except the language
    and presenter mode); no rerun."""
    wanted = {**app_params.query(), **encode(schema, current(schema))}
    if dict(st.query_params) != wanted:
        st.query_params.from_dict(wanted)


def link_hint(key: str = "share.hint") -> None:
    """A one-line caption telling the learner the address bar now holds this view: as of the last run
    ("share.hint", a page whose settings are a form) or as the settings change ("share.hint_follows")."""
    st.caption(t(key))

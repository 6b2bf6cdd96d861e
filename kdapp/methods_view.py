"""Methods page parts: a card per method or scheme that expands to its formula, paper and tunable
hyper-parameters (inputs generated from the class's `hyper` declaration), and the comparison's
results table and charts."""
import json
from pathlib import Path

import pandas as pd
import streamlit as st

from kdcore import readout, registry
from kdcore.plots.methods import accuracy_bars, time_bars

from . import export
from .ui import lang, t, test_set, verdict_lines

HYPER_ZH = json.loads((Path(__file__).parent / "hyper_zh.json").read_text(encoding="utf-8"))


def name_of(entry: str) -> str:
    return t(f"methods.m_{entry}_name")


def hyper_key(entry: str, key: str) -> str:
    return f"methods_h_{entry}_{key}"


def hyper_input(entry: str, key: str, rule) -> None:
    """One number input for a declared hyper-parameter: bounds and default from its Range."""
    doc = HYPER_ZH.get(rule.doc, rule.doc) if lang() == "zh" else rule.doc
    kind = int if rule.integer else float
    low = None if rule.low_open else kind(rule.low)
    st.number_input(f"`{key}` {rule.interval}", low, kind(rule.high), kind(rule.default), step=kind(1) if rule.integer
                    else None, format=None if rule.integer else "%g", help=doc, key=hyper_key(entry, key))


def hyper_overrides(entries) -> tuple[tuple[str, str, float], ...]:
    """(method, key, value) for every tuned hyper-parameter of the chosen entries that differs from its default."""
    return tuple((entry, key, st.session_state[hyper_key(entry, key)]) for entry in entries
                 for key, rule in registry.get(entry).hyper.items()
                 if st.session_state.get(hyper_key(entry, key), rule.default) != rule.default)


def card(entry: str) -> None:
    cls = registry.get(entry)
    with st.container(border=True):
        st.markdown(f"**{name_of(entry)}** · `{entry}`")
        st.markdown(t(f"methods.m_{entry}_intuition"))
        with st.expander(t("methods.details")):
            st.latex(cls.formula_tex)
            if getattr(cls, "consumes", None):
                st.caption(t("methods.consumes", what=", ".join(t(f"methods.uses_{c}") for c in sorted(cls.consumes))))
            st.caption(f"{t('methods.paper')}: {cls.paper}")
            if not cls.hyper:
                st.caption(t("methods.no_hyper"))
            for key, rule in cls.hyper.items():
                hyper_input(entry, key, rule)


def cards(entries) -> None:
    columns = st.columns(2)
    for i, entry in enumerate(entries):
        with columns[i % 2]:
            card(entry)


def running_label(event) -> str:
    return t("methods.running", method=name_of(event.phase), seed=event.seed) if event.phase in registry.ENTRIES \
        else t("methods.teacher_phase")


def says(result: dict) -> None:
    """The plain-words readout: which methods beat hard labels beyond noise (kdcore.readout)."""
    st.markdown(f"**{t('methods.readout_title')}**")
    verdicts = readout.against_baseline(result["results"], result["test_set"].get("n", 0))
    st.info("\n\n".join(verdict_lines("methods", verdicts, lambda v: f"{name_of(v['method'])} ({v['gain_points']:+.1f})",
                                        "noise_points")))
    if len(result["seeds"]) == 1:
        st.warning(t("methods.one_seed"))
    st.caption(t("methods.next"))


def results(result: dict) -> None:
    st.subheader(t("methods.results"))
    st.caption(t("methods.teacher_acc", acc=result["teacher_accuracy"], test=test_set(result["test_set"])))
    rows, baseline = result["results"], result["baseline"]["mean"]
    st.dataframe(pd.DataFrame({
        t("methods.col_method"): [name_of(r["method"]) for r in rows],
        t("methods.col_mean"): [f"{100 * r['mean']:.2f} %" for r in rows],
        t("methods.col_sd"): [f"{100 * r['sd']:.2f}" for r in rows],
        t("methods.col_gain"): [f"{100 * (r['mean'] - baseline):+.2f}" for r in rows],
        t("methods.col_seconds"): [f"{r['seconds']:.1f}" for r in rows],
        t("methods.col_cpu"): [f"{r['cpu_seconds']:.1f}" for r in rows]}), hide_index=True, key="methods_table")
    export.export_buttons("methods", "methods_export", rows=[{k: v for k, v in r.items() if k != "per_seed"} | {
        "per_seed": " ".join(f"{a:.4f}" for a in r["per_seed"])} for r in rows], settings=result["config"])
    names = {r["method"]: name_of(r["method"]) for r in rows}
    bars = accuracy_bars(rows, names, t("methods.chart_title", n=len(result["seeds"])), t("methods.axis_accuracy") + " (%)")
    st.plotly_chart(bars, key="methods_accuracy_chart")
    if bars.layout.yaxis.range[0] > 0:
        st.caption(t("methods.axis_note", low=bars.layout.yaxis.range[0]))
    says(result)
    st.plotly_chart(time_bars(rows, names, t("methods.time_title"), t("methods.axis_seconds")),
                    key="methods_time_chart")
    st.caption(t("methods.total", s=result["seconds"]))

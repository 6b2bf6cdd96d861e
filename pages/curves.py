"""Transfer curves: accuracy against T, α and the labelled fraction (seeds, error bands), learning
curves, and the omitted-digit experiment; runs are live, stoppable and cached by kdcore.sweeps."""
import streamlit as st

from kdapp import curves_view, form, keep, live, share, shared
from kdapp.curves_view import GRIDS
from kdapp.share import Setting
from kdapp.ui import device_name, show_error, t
from kdcore import data as datasets
from kdcore import sweeps
from kdcore.errors import KDLabError
from kdcore.omit import OmitConfig, run_omit
from kdcore.sweeps import DEFAULT_VALUES, PARAMS, SweepConfig, run_sweep

BASE, OMIT = SweepConfig().base, OmitConfig()
SCHEMA = {  # URL name → setting, declared once
    "param": Setting("curves_param", str, "temperature", choices=tuple(PARAMS)),
    "values": Setting("curves_values", float, DEFAULT_VALUES["temperature"], max_items=10,
                      choices=tuple(sorted(set().union(*GRIDS.values())))),
    "seeds": Setting("curves_seeds", int, (0, 1, 2), 0, 9, max_items=5, label="curves.seeds", widget="multiselect",
                     choices=tuple(range(10))),
    "dataset": Setting("curves_dataset", str, "mnist5k", choices=datasets.EMBEDDED, label="curves.dataset",
                       widget="selectbox", path="data.dataset", fmt=shared.dataset_name),
    "epochs": Setting("curves_epochs", int, BASE.student.epochs, 1, 60, label="curves.epochs", path="student.epochs"),
    "width": Setting("curves_width", int, BASE.student.width, choices=(8, 16, 32, 64, 128), label="curves.width",
                     widget="select_slider", path="student.width"),
    "T": Setting("curves_T", float, BASE.method.params["temperature"], choices=GRIDS["temperature"],
                 label="curves.temperature", widget="select_slider", path="method.temperature"),
    "alpha": Setting("curves_alpha", float, BASE.method.params["alpha"], choices=GRIDS["alpha"], label="curves.alpha",
                     widget="select_slider", path="method.alpha"),
    "frac": Setting("curves_frac", float, BASE.student.labelled_fraction, choices=GRIDS["labelled-fraction"],
                    label="curves.fraction", widget="select_slider", path="student.labelled_fraction"),
    "digit": Setting("omit_digit", int, OMIT.digit, 0, 9, choices=tuple(range(10)), label="curves.digit",
                     widget="selectbox"),
    "omit_seeds": Setting("omit_seeds", int, OMIT.base.seeds, 0, 9, max_items=5, choices=tuple(range(10)),
                          label="curves.omit_seeds", widget="multiselect"),
}
SWEEP_FIELDS = {name: SCHEMA[name] for name in ("dataset", "epochs", "width", "T", "alpha", "frac")}


def sweep_form() -> SweepConfig | None:
    """The sweep settings; returns a config when the learner presses Run."""
    busy = live.running("curves")
    st.selectbox(t("curves.param"), list(PARAMS), key="curves_param", on_change=curves_view.reset_values, disabled=busy,
                 **form.kept("selectbox", "curves_param", "temperature", list(PARAMS)),
                 format_func=lambda p: t(f"curves.param_{p}"))
    curves_view.keep_valid_values()
    with st.form("curves_form", border=True):
        c1, c2, c3 = st.columns(3)
        c1.multiselect(t("curves.values"), GRIDS[st.session_state["curves_param"]], key="curves_values", disabled=busy)
        for name, column in (("seeds", c2), ("dataset", c3), ("epochs", c1), ("width", c2)):
            form.widget(SCHEMA[name], column, disabled=busy)
        st.caption(t("curves.fixed"))
        form.widgets(SCHEMA, ("T", "alpha", "frac"), columns=3, disabled=busy)
        submitted = st.form_submit_button(t("curves.run"), type="primary", key="curves_run", disabled=busy)
    s = st.session_state
    base = form.to_config(BASE, SWEEP_FIELDS).replace(device=device_name())
    config = SweepConfig(s["curves_param"], tuple(sorted(s["curves_values"])), form.value(SCHEMA["seeds"]), base)
    return config.validate() if submitted else None


def sweep_tab() -> None:
    config = sweep_form()
    if config is not None:
        st.session_state.pop("curves_sweep", None)
        st.caption(t("curves.runs", runs=2 * len(config.values) * len(config.seeds), values=len(config.values),
                     seeds=len(config.seeds)))
        live.start("curves", run_sweep(config), share=("sweep", config))
    live.panel("curves", curves_view.sweep_label(st.session_state["curves_param"]), curves_view.sweep_live)
    if "curves_sweep" in st.session_state and not live.running("curves"):
        curves_view.show_sweep(st.session_state["curves_sweep"])


def omit_tab() -> None:
    st.markdown(t("curves.omit_intro"))
    busy = live.running("omit")
    with st.form("omit_form", border=True):
        form.widgets(SCHEMA, ("digit", "omit_seeds"), columns=2, disabled=busy)
        submitted = st.form_submit_button(t("curves.omit_run"), type="primary", key="omit_run", disabled=busy)
    base = OMIT.base.replace(**{"data.dataset": st.session_state["curves_dataset"], "device": device_name(),
                                "seeds": form.value(SCHEMA["omit_seeds"])})
    config = OmitConfig(form.value(SCHEMA["digit"]), base)
    hyper = base.method.params
    st.caption(t("curves.omit_setting", width=base.student.width, T=hyper["temperature"], alpha=hyper["alpha"],
                 epochs=base.student.epochs, digit=config.digit))
    if submitted:
        live.start("omit", run_omit(config.validate()), share=("omit", config))
    live.panel("omit", curves_view.omit_label)
    if st.session_state.get("omit_result") is not None and not live.running("omit"):
        curves_view.show_omit(st.session_state["omit_result"])


st.title(t("curves.title"))
st.markdown(t("curves.intro"))
share.restore("curves", SCHEMA)
share.link_hint()
SAVED = {"curves": ("curves_sweep", sweeps.to_state, sweeps.from_state), "omit": ("omit_result", dict, dict)}
for key, (state, to_state, from_state) in SAVED.items():
    keep.restore(key, state, from_state)
    ended = live.finished(key)
    if ended is not None and (result := live.report(ended, show_error)) is not None:
        st.session_state[state] = result
        keep.save(key, to_state(result))
sweep, omitted = st.tabs([t("curves.tab_sweep"), t("curves.tab_omit")])
try:
    with sweep:
        sweep_tab()
    with omitted:
        omit_tab()
    share.publish(SCHEMA)
except KDLabError as err:
    show_error(err)

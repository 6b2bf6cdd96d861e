"""Transfer curves: student accuracy against T, α and the labelled fraction (several seeds, error
bands), per-epoch learning curves, and the omitted-digit experiment. Runs are live, stoppable and
cached on disk by kdcore.sweeps."""
import dataclasses

import streamlit as st

from kdapp import export, share
from kdapp.share import Setting
from kdapp.ui import device_name, drive, show_error, t, test_set
from kdcore import data as datasets
from kdcore.errors import KDLabError
from kdcore.omit import OmitConfig, run_omit
from kdcore.plots import curves as plots
from kdcore.plots.lab import learning_curves
from kdcore.sweeps import DEFAULT_VALUES, PARAMS, SweepConfig, run_sweep

GRIDS = {"temperature": (0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 20.0),
         "alpha": (0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0),
         "labelled-fraction": (0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0)}  # values a learner can pick
LOG_X = {"temperature", "labelled-fraction"}
SWEEP_BASE = SweepConfig().base
SCHEMA = {
    "param": Setting("curves_param", str, "temperature", choices=tuple(PARAMS)),
    "values": Setting("curves_values", float, DEFAULT_VALUES["temperature"], max_items=10,
                      choices=tuple(sorted(set().union(*GRIDS.values())))),
    "seeds": Setting("curves_seeds", int, (0, 1, 2), 0, 9, max_items=5),
    "dataset": Setting("curves_dataset", str, "mnist5k", choices=datasets.EMBEDDED),
    "epochs": Setting("curves_epochs", int, SWEEP_BASE.epochs, 1, 60),
    "width": Setting("curves_width", int, SWEEP_BASE.student_width, choices=(8, 16, 32, 64, 128)),
    "T": Setting("curves_T", float, SWEEP_BASE.temperature, choices=GRIDS["temperature"]),
    "alpha": Setting("curves_alpha", float, SWEEP_BASE.alpha, choices=GRIDS["alpha"]),
    "frac": Setting("curves_frac", float, SWEEP_BASE.labelled_fraction, choices=GRIDS["labelled-fraction"]),
    "digit": Setting("omit_digit", int, OmitConfig().digit, 0, 9),
    "omit_seeds": Setting("omit_seeds", int, OmitConfig().seeds, 0, 9, max_items=5),
}


def reset_values() -> None:
    st.session_state["curves_values"] = list(DEFAULT_VALUES[st.session_state["curves_param"]])


def keep_valid_values() -> None:
    """Values from a link must belong to the current parameter's grid (multiselect options)."""
    grid = GRIDS[st.session_state["curves_param"]]
    kept = [v for v in st.session_state["curves_values"] if v in grid]
    st.session_state["curves_values"] = kept or list(DEFAULT_VALUES[st.session_state["curves_param"]])


def sweep_form() -> SweepConfig | None:
    """The sweep settings; returns a config when the learner presses Run."""
    st.selectbox(t("curves.param"), list(PARAMS), key="curves_param", on_change=reset_values,
                 format_func=lambda p: t(f"curves.param_{p}"))
    keep_valid_values()
    with st.form("curves_form", border=True):
        c1, c2, c3 = st.columns(3)
        c1.multiselect(t("curves.values"), GRIDS[st.session_state["curves_param"]], key="curves_values")
        c2.multiselect(t("curves.seeds"), list(range(10)), key="curves_seeds", max_selections=5)
        c3.selectbox(t("curves.dataset"), datasets.EMBEDDED, key="curves_dataset")
        c1.slider(t("curves.epochs"), 1, 60, key="curves_epochs")
        c2.select_slider(t("curves.width"), (8, 16, 32, 64, 128), key="curves_width")
        st.caption(t("curves.fixed"))
        c1, c2, c3 = st.columns(3)
        c1.select_slider(t("curves.temperature"), GRIDS["temperature"], key="curves_T")
        c2.select_slider(t("curves.alpha"), GRIDS["alpha"], key="curves_alpha")
        c3.select_slider(t("curves.fraction"), GRIDS["labelled-fraction"], key="curves_frac")
        submitted = st.form_submit_button(t("curves.run"), type="primary", key="curves_run")
    s = st.session_state
    base = dataclasses.replace(SWEEP_BASE, dataset=s["curves_dataset"], epochs=s["curves_epochs"],
                               student_width=s["curves_width"], temperature=s["curves_T"], alpha=s["curves_alpha"],
                               labelled_fraction=s["curves_frac"], device=device_name())
    config = SweepConfig(s["curves_param"], tuple(sorted(s["curves_values"])), tuple(sorted(s["curves_seeds"])), base)
    return config.validate() if submitted else None


def run_live(config: SweepConfig) -> None:
    """Run the sweep with a progress bar and a Stop button; finished points land in session_state
    as they arrive, so stopping (any click reruns the page) keeps them."""
    state = {"config": config, "points": [], "baseline_points": [], "curves": [], "teacher_accuracy": None,
             "test_set": None, "seconds": None}
    st.session_state["curves_sweep"] = state
    live = st.empty()  # the run's caption, Stop button and progress bar, cleared when it finishes
    with live.container():
        st.caption(t("curves.runs", runs=2 * len(config.values) * len(config.seeds), values=len(config.values),
                     seeds=len(config.seeds)))
        st.button(t("curves.stop"), key="curves_stop")
        bar = st.progress(0.0, text=t("curves.progress_teacher"))

    def keep_points(records):
        for record in records:
            if "point" in record:
                state["points"].append(record["point"])
                state["baseline_points"].append(record["baseline_point"])
                state["curves"] += record["curves"]
                state["teacher_accuracy"] = record["teacher_accuracy"]
            yield record

    def show(record):
        if record["phase"] in ("baseline", "kd"):
            text = t("curves.progress", param=t(f"curves.param_{config.param}"), x=record["x"], seed=record["seed"],
                     phase=t(f"curves.{record['phase']}"))
            bar.progress(min(1.0, record["overall"]), text=text)

    last = drive(keep_points(run_sweep(config)), show)
    state["test_set"], state["seconds"] = last["result"].test_description, last["result"].seconds
    live.empty()


def show_sweep(state: dict) -> None:
    config = state["config"]
    done, total = len(state["points"]), len(config.values)
    if state["seconds"] is None:
        st.info(t("curves.stopped", done=done, total=total))
    else:
        st.success(t("curves.done", seconds=state["seconds"]))
    if not state["points"]:
        return
    param = t(f"curves.param_{config.param}")
    names = {"kd": t("curves.kd"), "baseline": t("curves.baseline"), "teacher": t("curves.teacher"),
             "x": param, "y": t("curves.accuracy")}
    st.markdown("##### " + t("curves.sweep_title", param=param, seeds=len(config.seeds),
                             test_set=test_set(state["test_set"] or config.base.dataset)))
    fig = plots.sweep_figure(state["points"], state["baseline_points"], state["teacher_accuracy"], names,
                             config.param in LOG_X)
    export.chart(fig, f"sweep-{config.param}", key="curves_chart")
    xs = [p["x"] for p in state["points"]]
    at = st.select_slider(t("curves.curve_at"), xs, key="curves_curve_x") if len(xs) > 1 else xs[0]
    rows = [row for row in state["curves"] if row["x"] == at]
    curve_fig = learning_curves(None, rows, names, t("curves.curve_title"), {"x": t("curves.epoch"), "y": t("curves.accuracy")})
    export.chart(curve_fig, f"learning-curves-{config.param}-{at:g}", key="curves_learning")
    table = [{config.param: p["x"], "kd_mean": p["mean"], "kd_sd": p["sd"], "baseline_mean": b["mean"],
              "baseline_sd": b["sd"], "seeds": len(p["per_seed"])} for p, b in zip(state["points"], state["baseline_points"])]
    st.markdown(f"**{t('curves.table')}**")
    st.dataframe(table, hide_index=True)
    export.export_buttons(f"sweep-{config.param}", "curves_export", rows=table, fig=fig)


def omit_tab() -> None:
    st.markdown(t("curves.omit_intro"))
    with st.form("omit_form", border=True):
        c1, c2 = st.columns(2)
        c1.selectbox(t("curves.digit"), list(range(10)), key="omit_digit")
        c2.multiselect(t("curves.omit_seeds"), list(range(10)), key="omit_seeds", max_selections=5)
        submitted = st.form_submit_button(t("curves.omit_run"), type="primary", key="omit_run")
    base = dataclasses.replace(OmitConfig().base, dataset=st.session_state["curves_dataset"], device=device_name())
    config = OmitConfig(st.session_state["omit_digit"], tuple(sorted(st.session_state["omit_seeds"])), base)
    st.caption(t("curves.omit_setting", width=base.student_width, T=base.temperature, alpha=base.alpha,
                 epochs=base.epochs, digit=config.digit))
    if submitted:
        config.validate()
        live = st.empty()
        with live.container():
            st.button(t("curves.stop"), key="omit_stop")
            bar = st.progress(0.0, text=t("curves.progress_teacher"))

        def show(record):
            if record["phase"] in ("hard", "kd"):
                bar.progress(min(1.0, record["overall"]), text=t("curves.omit_progress", seed=record["seed"],
                                                                  phase=t(f"curves.phase_{record['phase']}")))
        st.session_state["omit_result"] = drive(run_omit(config), show)["result"]
        live.empty()
    result = st.session_state.get("omit_result")
    if result is None:
        return
    digit = result["digit"]
    c = st.columns(4)
    c[0].metric(t("curves.metric_hard", digit=digit), f"{100 * result['hard_accuracy_on_digit']:.1f}%")
    c[1].metric(t("curves.metric_kd", digit=digit), f"{100 * result['kd_accuracy_on_digit']:.1f}%")
    c[2].metric(t("curves.metric_kd_corrected"), f"{100 * result['kd_accuracy_on_digit_bias_corrected']:.1f}%")
    c[3].metric(t("curves.metric_bias"), f"+{result['kd_bias']:.2f}")
    names = {"raw": t("curves.raw"), "corrected": t("curves.corrected"), "hard": t("curves.hard"), "kd": t("curves.kd"),
             "y": t("curves.accuracy")}
    st.markdown("##### " + t("curves.omit_title", count=result["digit_test_images"], digit=digit))
    fig = plots.omit_figure(result, names)
    export.chart(fig, f"omitted-digit-{digit}", key="omit_chart")
    st.markdown(t("curves.omit_overall", test_set=test_set(result["test_set"]), hard=100 * result["hard_accuracy_overall"],
                  kd=100 * result["kd_accuracy_overall"], kd_corrected=100 * result["kd_accuracy_overall_bias_corrected"],
                  teacher=100 * result["teacher_accuracy_on_digit"], digit=digit,
                  hard_corrected=100 * result["hard_accuracy_on_digit_bias_corrected"],
                  hard_overall_corrected=100 * result["hard_accuracy_overall_bias_corrected"]))
    export.export_buttons(f"omitted-digit-{digit}", "omit_export", rows=result["per_seed"], fig=fig)


st.title(t("curves.title"))
st.markdown(t("curves.intro"))
share.restore("curves", SCHEMA)
share.link_hint()
sweep_tab, omitted_tab = st.tabs([t("curves.tab_sweep"), t("curves.tab_omit")])
try:
    with sweep_tab:
        config = sweep_form()
        share.publish(SCHEMA)
        if config is not None:
            run_live(config)
        if "curves_sweep" in st.session_state:
            show_sweep(st.session_state["curves_sweep"])
    with omitted_tab:
        omit_tab()
        share.publish(SCHEMA)
except KDLabError as err:
    show_error(err)

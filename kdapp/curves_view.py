"""How the Transfer curves page shows a sweep (live and finished) and the omitted-digit result."""
from dataclasses import asdict

import streamlit as st

from kdcore import readout
from kdcore.data import TestSet
from kdcore.plots import curves as plots
from kdcore.plots.lab import learning_curves
from kdcore.sweeps import DEFAULT_VALUES

from . import export, form
from .ui import t, test_set

LOG_X = {"temperature", "labelled-fraction"}


GRIDS = {"temperature": (0.5, 1.0, 2.0, 3.0, 4.0, 6.0, 8.0, 12.0, 16.0, 20.0),
         "alpha": (0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 1.0),
         "labelled-fraction": (0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0)}  # values a learner can pick


def reset_values() -> None:
    st.session_state["curves_values"] = list(DEFAULT_VALUES[st.session_state["curves_param"]])


def keep_valid_values() -> None:
    """Values from a link must belong to the current parameter's grid (multiselect options)."""
    grid = GRIDS[st.session_state["curves_param"]]
    kept = [v for v in st.session_state["curves_values"] if v in grid]
    st.session_state["curves_values"] = kept or list(DEFAULT_VALUES[st.session_state["curves_param"]])


def names(param: str) -> dict:
    return {"kd": t("curves.kd"), "baseline": t("curves.baseline"), "teacher": t("curves.teacher"),
            "x": t(f"curves.param_{param}"), "y": t("curves.accuracy")}


def sweep_figure(result):
    param = result.config.param
    return plots.sweep_figure(result.points, result.baseline_points, result.teacher_accuracy, names(param),
                              param in LOG_X)


def sweep_label(param: str):
    def label(event) -> str:
        if event.phase in ("baseline", "kd"):
            return t("curves.progress", param=t(f"curves.param_{param}"), x=event.x, seed=event.seed,
                     phase=t(f"curves.{event.phase}"))
        return t("curves.progress_teacher")
    return label


def sweep_live(job) -> None:
    """Inside the live panel: the points finished so far."""
    if job.partial is not None and job.partial.points:
        st.plotly_chart(sweep_figure(job.partial), key="curves_live_chart")


def show_sweep(result) -> None:
    config = result.config
    if result.seconds is None:
        st.info(t("curves.stopped", done=len(result.points), total=len(config.values)))
    else:
        st.success(t("curves.done", seconds=result.seconds))
    if not result.points:
        return
    param = t(f"curves.param_{config.param}")
    st.markdown("##### " + t("curves.sweep_title", param=param, seeds=len(config.seeds),
                             test_set=test_set(result.test_set)))
    fig = sweep_figure(result)
    export.chart(fig, f"sweep-{config.param}", key="curves_chart")
    xs = [p["x"] for p in result.points]
    at = st.select_slider(t("curves.curve_at"), xs, key="curves_curve_x",
                          **form.kept("select_slider", "curves_curve_x", xs[0], xs)) if len(xs) > 1 else xs[0]
    rows = [row for row in result.curves if row["x"] == at]
    curve_fig = learning_curves(rows, names(config.param), t("curves.curve_title"),
                                {"x": t("curves.epoch"), "y": t("curves.accuracy")})
    export.chart(curve_fig, f"learning-curves-{config.param}-{at:g}", key="curves_learning")
    table = [{config.param: p["x"], "kd_mean": p["mean"], "kd_sd": p["sd"], "baseline_mean": b["mean"],
              "baseline_sd": b["sd"], "seeds": len(p["per_seed"])} for p, b in zip(result.points, result.baseline_points)]
    says(result, param)
    st.markdown(f"**{t('curves.table')}**")
    st.dataframe(table, hide_index=True)
    export.export_buttons(f"sweep-{config.param}", "curves_export", rows=table, fig=fig,
                          settings={"sweep": config.param, "seeds": config.seeds, **asdict(config.base)})


def says(result, param: str) -> None:
    """The plain-words readout of a sweep: its shape beyond noise and KD against hard labels at its best."""
    n = result.test_set.n if isinstance(result.test_set, TestSet) else 0
    shape = readout.sweep(result.points, result.baseline_points, n)
    st.markdown(f"**{t('curves.readout_title')}**")
    lines = [t(f"curves.readout_{shape['shape']}", param=param, best=shape["best_x"], worst=shape["worst_x"],
               range=shape["range_points"], noise=shape["noise_points"])]
    if shape["shape"] == "flat":
        lines.append(t(f"curves.flat_{result.config.param}"))
    lines.append(t("curves.readout_best", param=param, best=shape["best_x"], gain=shape["best_gain_points"],
                   verdict=t(f"curves.verdict_{shape['best_verdict']}")))
    st.info("\n\n".join(lines))
    if shape["seeds"] == 1:
        st.warning(t("curves.one_seed"))


def omit_label(event) -> str:
    if event.phase in ("hard", "kd"):
        return t("curves.omit_progress", seed=event.seed, phase=t(f"curves.phase_{event.phase}"))
    return t("curves.progress_teacher")


def show_omit(result: dict) -> None:
    digit = result["digit"]
    c = st.columns(4)
    c[0].metric(t("curves.metric_hard", digit=digit), f"{100 * result['hard_accuracy_on_digit']:.1f}%")
    c[1].metric(t("curves.metric_kd", digit=digit), f"{100 * result['kd_accuracy_on_digit']:.1f}%")
    c[2].metric(t("curves.metric_kd_corrected"), f"{100 * result['kd_accuracy_on_digit_bias_corrected']:.1f}%")
    c[3].metric(t("curves.metric_bias"), f"+{result['kd_bias']:.2f}")
    omit_names = {"raw": t("curves.raw"), "corrected": t("curves.corrected"), "hard": t("curves.hard"),
                  "kd": t("curves.kd"), "y": t("curves.accuracy")}
    st.markdown("##### " + t("curves.omit_title", count=result["digit_test_images"], digit=digit))
    fig = plots.omit_figure(result, omit_names)
    export.chart(fig, f"omitted-digit-{digit}", key="omit_chart")
    st.markdown(t("curves.omit_overall", test_set=test_set(result["test_set"]), hard=100 * result["hard_accuracy_overall"],
                  kd=100 * result["kd_accuracy_overall"], kd_corrected=100 * result["kd_accuracy_overall_bias_corrected"],
                  teacher=100 * result["teacher_accuracy_on_digit"], digit=digit,
                  hard_corrected=100 * result["hard_accuracy_on_digit_bias_corrected"],
                  hard_overall_corrected=100 * result["hard_accuracy_overall_bias_corrected"]))
    export.export_buttons(f"omitted-digit-{digit}", "omit_export", rows=result["per_seed"], fig=fig,
                          settings=result["config"])

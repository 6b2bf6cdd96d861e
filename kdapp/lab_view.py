"""How the Distillation Lab shows a run: its explanation and one-line settings summary, the three
step cards, live and final learning curves, the results table, the metrics and the plain-words readout."""
from dataclasses import asdict

import pandas as pd
import streamlit as st

from kdcore.plots.lab import learning_curves, soft_label_bars

from . import export, present, share
from .folder_box import image_of
from .folder_box import thumbnails as folder_thumbnails
from .ui import lang, t, test_set

STEP_OF_PHASE = {"data": 1, "teacher": 1, "soft_labels": 2, "baseline": 3, "kd": 3, "profile": 3}


def explain() -> None:
    """The three steps and the objective, written out."""
    st.markdown(t("lab.intro"))
    st.latex(r"L = (1-\alpha)\,\mathrm{CE}\big(y,\ \sigma(z_s)\big) + \alpha\,T^{2}\,"
             r"\mathrm{KL}\big(\sigma(z_t/T)\ \|\ \sigma(z_s/T)\big)")
    st.caption(t("lab.formula_caption"))


def summary(schema: dict) -> str:
    """The page's settings in one line (presenter mode folds the settings under it)."""
    v = share.current(schema)
    return t("lab.summary", dataset=schema["dataset"].fmt(v["dataset"]), student=schema["student"].fmt(v["student"]),
             width=v["width"], T=v["T"], alpha=v["alpha"], epochs=schema["epochs"].fmt(v["epochs"]), frac=schema["frac"].fmt(v["frac"]),
             seeds=v["seeds"])


def step_cards(active: int, done: int) -> None:
    for column, step in zip(st.columns(3), (1, 2, 3)):
        icon = "✅" if step <= done else ("⏳" if step == active else "⬜")
        column.markdown(f"{icon} **{t(f'lab.step{step}')}**  \n<small>{t(f'lab.step{step}_what')}</small>",
                        unsafe_allow_html=True)


def curves_figure(rows):
    names = {"teacher": t("lab.teacher"), "baseline": t("lab.baseline"), "kd": t("lab.kd")}
    return learning_curves(rows, names, t("lab.curves_title"), {"x": t("lab.epoch"), "y": t("lab.accuracy_axis")})


def phase_label(event) -> str:
    return t(f"lab.phase_{event.phase}", seed=event.seed or 0, epoch=getattr(event, "epoch", 0))


def live(job) -> None:
    """Inside the live panel: step cards and the curves so far."""
    step = STEP_OF_PHASE.get(job.last.phase, 1) if job.last else 1
    step_cards(step, step - 1)
    rows = job.curves
    if rows:  # one figure per epoch and language, shared by every learner watching this job
        drawn = ("curves", len(rows), lang())
        if drawn not in job.drawn:
            job.drawn[drawn] = curves_figure(rows)
        st.plotly_chart(job.drawn[drawn], width="stretch", key="lab_live_curves")


def flops(n: float) -> str:
    """Multiply-adds per image with a unit that keeps three figures: 48.2 k, 20.1 M."""
    return f"{n / 1e6:.1f} M" if n >= 1e6 else f"{n / 1e3:.1f} k"


def results_table(result) -> pd.DataFrame:
    def pct(key):
        mean, sd = result.mean_sd(key)
        return f"{100 * mean:.2f} ± {100 * sd:.2f}" if len(result.per_seed) > 1 else f"{100 * mean:.2f}"

    rows = []
    for name, accuracy, agreement, prof in (
            (t("lab.teacher"), f"{100 * result.teacher.test_accuracy:.2f}", "—", result.teacher_profile),
            (t("lab.baseline"), pct("baseline_accuracy"), pct("baseline_agreement"), result.student_profile),
            (t("lab.kd"), pct("kd_accuracy"), pct("kd_agreement"), result.student_profile)):
        rows.append({t("lab.col_model"): name, t("lab.col_accuracy"): accuracy, t("lab.col_agreement"): agreement,
                     t("lab.col_params"): f"{prof['params']:,}", t("lab.col_flops"): flops(prof["flops"]),
                     t("lab.col_latency"): f"{prof['latency_ms']:.3f}"})
    return pd.DataFrame(rows)


def show_result(result) -> None:
    config, readout = result.config, result.readout()
    kd, _ = result.mean_sd("kd_accuracy")
    base, _ = result.mean_sd("baseline_accuracy")
    hyper = config.method.params
    if not present.active():  # a projector shows the result itself first
        step_cards(0, 3)
    a, b, c = st.columns(3)
    a.metric(t("lab.teacher"), f"{100 * result.teacher.test_accuracy:.2f} %",
             help=t("lab.teacher_cached") if result.teacher.cached else t("lab.teacher_trained", s=result.teacher.seconds))
    b.metric(t("lab.baseline"), f"{100 * base:.2f} %")
    c.metric(t("lab.kd"), f"{100 * kd:.2f} %", f"{readout['gain_points']:+.2f} {t('lab.points')}")
    st.caption(t("lab.evaluated_on", test=test_set(result.test_set), seeds=len(result.per_seed), s=result.seconds))
    st.info(t(f"lab.readout_{readout['verdict']}", gain=readout["gain_points"], noise=readout["noise_points"],
              kept=readout["kept_percent"], size=readout["size_percent"],
              labelled=round(100 * config.student.labelled_fraction), T=hyper["temperature"], alpha=hyper["alpha"]))
    st.table(results_table(result).set_index(t("lab.col_model")))  # every column shown, wrapping, at any width
    curves = curves_figure(result.teacher.curve + result.curves)
    st.plotly_chart(curves, width="stretch", key="lab_final_curves", config=export.plot_config("lab-curves"))
    export.export_buttons("lab", "lab_export", rows=result.per_seed, fig=curves, weights=result.kd_student_state,
                          settings=asdict(config))
    soft_example(result, hyper["temperature"])


def soft_example(result, temperature: float) -> None:
    """The teacher's soft labels for one test image (the thumbnail the learner picked), beside it."""
    logits, data = result.teacher.test_logits, st.session_state.get("lab_data")
    same_data = data is not None and len(data.x_test) == len(logits) and data.num_classes == logits.shape[1]
    index = min(st.session_state.get("lab_example", 0), len(logits) - 1)
    classes = data.classes if same_data else range(logits.shape[1])
    with st.expander(t("lab.soft_labels_example"), expanded="lab_example" in st.session_state):
        picture, bars = st.columns([1, 4], vertical_alignment="center")
        if same_data:
            picture.image(image_of(data, index), width="stretch", clamp=True,
                          caption=t("lab.soft_image", i=index, name=data.classes[int(data.y_test[index])]))
        bars.plotly_chart(soft_label_bars(logits[index], temperature, [str(c) for c in classes],
                                          {"T": t("lab.at_T"), "y": t("lab.probability")}, t("lab.soft_title")),
                          width="stretch", key="lab_soft_example")
        st.caption(t("lab.soft_caption"))


def past_runs(runs) -> int:
    """Which of the session's runs to show: a chooser when there are several (the latest first chosen)."""
    if len(runs) == 1:
        return 0
    return st.selectbox(t("lab.past_runs"), range(len(runs)), index=len(runs) - 1, key="lab_run_choice",
                        format_func=lambda i: t("lab.run_label", n=i + 1, T=runs[i].config.method.params["temperature"],
                                                alpha=runs[i].config.method.params["alpha"],
                                                frac=100 * runs[i].config.student.labelled_fraction))


def thumbnails() -> None:
    """The session's dataset as clickable thumbnails, once one is loaded."""
    if st.session_state.get("lab_data") is not None:
        folder_thumbnails(st.session_state["lab_data"])

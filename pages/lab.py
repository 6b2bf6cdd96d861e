"""Distillation Lab: pretrain a teacher, generate soft labels, train a student with and without them."""
from dataclasses import replace

import pandas as pd
import streamlit as st

from kdapp import export, share
from kdapp.share import Setting
from kdapp.ui import device_name, drive, show_error, t, test_set
from kdcore import data as datasets
from kdcore.errors import DataUnavailable, KDLabError
from kdcore.lab import LabConfig, run_lab
from kdcore.plots.lab import learning_curves, soft_label_bars

DEFAULTS = LabConfig()
FRACTIONS = [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0]
PHASE_STEP = {"data": 1, "teacher": 1, "soft_labels": 2, "baseline": 3, "kd": 3, "profile": 3, "done": 3}
SCHEMA = {  # URL name → widget: the settings round-trip through the link (kdapp.share)
    "dataset": Setting("lab_dataset", str, DEFAULTS.dataset, choices=tuple(datasets.LOADERS)),
    "subset": Setting("lab_subset", int, 0, 0, 60000),
    "teacher_epochs": Setting("lab_teacher_epochs", int, DEFAULTS.teacher.epochs, 1, 30),
    "student": Setting("lab_student", str, DEFAULTS.student, choices=("mlp", "cnn")),
    "width": Setting("lab_width", int, DEFAULTS.student_width, 1, 256),
    "T": Setting("lab_T", float, DEFAULTS.temperature, 0.5, 20.0),
    "alpha": Setting("lab_alpha", float, DEFAULTS.alpha, 0.0, 1.0),
    "epochs": Setting("lab_epochs", int, DEFAULTS.epochs, 1, 200),
    "frac": Setting("lab_fraction", float, DEFAULTS.labelled_fraction, choices=tuple(FRACTIONS)),
    "seeds": Setting("lab_seeds", int, 1, 1, 5),
}


@st.cache_resource(show_spinner=False)
def load_dataset(name: str, subset: int | None):
    return datasets.load(name, subset=subset)


def use_embedded():
    st.session_state["lab_dataset"] = "mnist5k"


def settings_form() -> LabConfig | None:
    """The run settings, in a form so moving a slider never interrupts a run."""
    with st.form("lab_settings", border=True):
        st.markdown(f"**{t('lab.settings')}**")
        dataset = st.selectbox(t("lab.dataset"), list(datasets.LOADERS), key="lab_dataset",
                               format_func=lambda n: t(f"lab.ds_{n.replace('-', '_')}"))
        subset = st.number_input(t("lab.subset"), 0, 60000, step=1000, key="lab_subset", help=t("lab.subset_help"))
        teacher_epochs = st.slider(t("lab.teacher_epochs"), 1, 30, key="lab_teacher_epochs")
        student = st.radio(t("lab.student"), ["mlp", "cnn"], horizontal=True, key="lab_student",
                           format_func=lambda s: t(f"lab.student_{s}"))
        width = st.slider(t("lab.width"), 1, 256, key="lab_width", help=t("lab.width_help"))
        temperature = st.slider(t("lab.temperature"), 0.5, 20.0, step=0.5, key="lab_T",
                                help=t("lab.temperature_help"))
        alpha = st.slider(t("lab.alpha"), 0.0, 1.0, step=0.05, key="lab_alpha", help=t("lab.alpha_help"))
        epochs = st.slider(t("lab.epochs"), 1, 200, key="lab_epochs")
        fraction = st.select_slider(t("lab.fraction"), FRACTIONS, key="lab_fraction",
                                    format_func=lambda f: f"{100 * f:g} %", help=t("lab.fraction_help"))
        n_seeds = st.number_input(t("lab.seeds"), 1, 5, key="lab_seeds", help=t("lab.seeds_help"))
        if not st.form_submit_button(t("lab.train"), type="primary", width="stretch"):
            return None
    return LabConfig(dataset=dataset, subset=int(subset) or None, teacher=replace(DEFAULTS.teacher, epochs=teacher_epochs),
                     student=student, student_width=width, temperature=temperature, alpha=alpha, epochs=epochs,
                     labelled_fraction=fraction, seeds=tuple(range(int(n_seeds))), device=device_name())


def step_cards(active: int, done: int):
    for column, step in zip(st.columns(3), (1, 2, 3)):
        icon = "✅" if step <= done else ("⏳" if step == active else "⬜")
        column.markdown(f"{icon} **{t(f'lab.step{step}')}**  \n<small>{t(f'lab.step{step}_what')}</small>",
                        unsafe_allow_html=True)


def curve_names():
    return {"teacher": t("lab.teacher"), "baseline": t("lab.baseline"), "kd": t("lab.kd")}


def curves_figure(teacher_curve, student_curves):
    return learning_curves(teacher_curve, student_curves, curve_names(), t("lab.curves_title"),
                           {"x": t("lab.epoch"), "y": t("lab.accuracy_axis")})


def train(config: LabConfig):
    """Run the Lab with a live progress bar, step cards and learning curves; returns the LabResult."""
    steps, bar, chart = st.empty(), st.progress(0.0, text=t("lab.phase_data")), st.empty()
    teacher_curve, student_curves, paints = [], [], [0]

    def on_record(record):
        phase = record["phase"]
        if phase == "teacher" and "eval_accuracy" in record:
            teacher_curve.append((record["epoch"], record["eval_accuracy"]))
        elif "eval_accuracy" in record:
            student_curves.append({"phase": phase, "seed": record["seed"], "epoch": record["epoch"],
                                   "accuracy": record["eval_accuracy"]})

    def repaint(record):
        step = PHASE_STEP[record["phase"]]
        with steps.container():
            step_cards(step, step - 1 if record["phase"] != "done" else 3)
        label = t(f"lab.phase_{record['phase']}", seed=record.get("seed", 0), epoch=record.get("epoch", 0))
        bar.progress(min(record["overall"], 1.0), text=label)
        if teacher_curve or student_curves:
            paints[0] += 1  # each repaint is a new element in the placeholder, so it needs a new key
            chart.plotly_chart(curves_figure(teacher_curve, student_curves), width="stretch", key=f"lab_live_{paints[0]}")

    def records():
        for record in run_lab(config, load_dataset(config.dataset, config.subset)):
            on_record(record)
            yield record

    last = drive(records(), repaint, min_interval=0.25)
    for placeholder in (steps, bar, chart):
        placeholder.empty()
    return last["result"]


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
                     t("lab.col_params"): f"{prof['params']:,}", t("lab.col_flops"): f"{prof['flops'] / 1e6:.2f} M",
                     t("lab.col_latency"): f"{prof['latency_ms']:.3f}"})
    return pd.DataFrame(rows)


def show_result(result):
    config = result.config
    readout = result.readout()
    kd, _ = result.mean_sd("kd_accuracy")
    base, _ = result.mean_sd("baseline_accuracy")
    step_cards(0, 3)
    a, b, c = st.columns(3)
    a.metric(t("lab.teacher"), f"{100 * result.teacher.test_accuracy:.2f} %",
             help=t("lab.teacher_cached") if result.teacher.cached else t("lab.teacher_trained", s=result.teacher.seconds))
    b.metric(t("lab.baseline"), f"{100 * base:.2f} %")
    c.metric(t("lab.kd"), f"{100 * kd:.2f} %", f"{readout['gain_points']:+.2f} {t('lab.points')}")
    st.caption(t("lab.evaluated_on", test=test_set(result.test_description), seeds=len(result.per_seed), s=result.seconds))
    st.info(t(f"lab.readout_{readout['verdict']}", gain=readout["gain_points"], noise=readout["noise_points"],
              kept=readout["kept_percent"], size=readout["size_percent"],
              labelled=round(100 * config.labelled_fraction), T=config.temperature, alpha=config.alpha))
    st.dataframe(results_table(result), hide_index=True, width="stretch", key="lab_results_table")
    curves = curves_figure(result.teacher.curve, result.curves)
    st.plotly_chart(curves, width="stretch", key="lab_final_curves", config=export.plot_config("lab-curves"))
    export.export_buttons("lab", "lab_export", rows=result.per_seed, fig=curves, weights=result.kd_student_state)
    with st.expander(t("lab.soft_labels_example")):
        image = 0
        st.plotly_chart(soft_label_bars(result.teacher.test_logits[image], config.temperature, range(10),
                                        {"T": t("lab.at_T"), "y": t("lab.probability")}, t("lab.soft_title")),
                        width="stretch", key="lab_soft_example")
        st.caption(t("lab.soft_caption"))


st.title(t("lab.title"))
st.markdown(t("lab.intro"))
st.latex(r"L = (1-\alpha)\,\mathrm{CE}\big(y,\ \sigma(z_s)\big) + \alpha\,T^{2}\,"
         r"\mathrm{KL}\big(\sigma(z_t/T)\ \|\ \sigma(z_s/T)\big)")
st.caption(t("lab.formula_caption"))

share.restore("lab", SCHEMA)
left, right = st.columns([1, 2.7], gap="large")
with left:
    config = settings_form()
    share.publish(SCHEMA)
    share.link_hint()
with right:
    if config is not None:
        try:
            result = train(config)
            st.session_state.setdefault("lab_runs", []).append(result)
        except DataUnavailable as err:
            show_error(err)
            st.button(t("lab.use_embedded"), on_click=use_embedded, key="lab_use_embedded")
        except KDLabError as err:
            show_error(err)
    runs = st.session_state.get("lab_runs", [])
    if runs:
        if len(runs) > 1:
            chosen = st.selectbox(t("lab.past_runs"), range(len(runs)), index=len(runs) - 1, key="lab_run_choice",
                                  format_func=lambda i: t("lab.run_label", n=i + 1, T=runs[i].config.temperature,
                                                          alpha=runs[i].config.alpha,
                                                          frac=100 * runs[i].config.labelled_fraction))
        else:
            chosen = 0
        show_result(runs[chosen])
    elif config is None:
        step_cards(0, 0)
        st.info(t("lab.start_hint"))

"""Methods: a card per distillation method and training scheme (idea, formula, hyper-parameters,
paper), and a side-by-side comparison run with progress."""
import json
from pathlib import Path

import pandas as pd
import streamlit as st

import kdapp
from kdapp import shared
from kdapp.ui import device_name, drive, lang, show_error, t
from kdcore import data as datasets
from kdcore import methods, registry, schemes
from kdcore.compare import DEFAULT_METHODS, CompareConfig, run_compare
from kdcore.errors import KDLabError
from kdcore.plots.methods import accuracy_bars, time_bars
from kdcore.teacher import TeacherConfig

DEFAULTS = CompareConfig()
CIFAR_SUBSET = 5000  # CIFAR-10 training images used on a CPU unless the Lab sets a subset
ENTRIES = [*[name for name in methods.METHODS if name != "hard"], *schemes.SCHEMES]


def name_of(entry: str) -> str:
    return t(f"methods.m_{entry}_name")


HYPER_ZH = json.loads((Path(kdapp.__file__).parent / "hyper_zh.json").read_text(encoding="utf-8"))


def hyper_doc(doc: str) -> str:
    """A hyper-parameter's one-line doc: the class's English, or its Chinese translation."""
    return HYPER_ZH.get(doc, doc) if lang() == "zh" else doc


def card(entry: str, hyper: dict, consumes=None) -> None:
    cls = registry.get(entry)
    with st.container(border=True):
        st.markdown(f"**{name_of(entry)}** · `{entry}`")
        st.markdown(t(f"methods.m_{entry}_intuition"))
        st.latex(cls.formula_tex)
        if consumes:
            st.caption(t("methods.consumes", what=", ".join(t(f"methods.uses_{c}") for c in sorted(consumes))))
        if hyper:
            st.markdown(f"*{t('methods.hyper')}*\n\n" + "\n".join(
                f"- `{key} = {rule.default:g}` {rule.interval} — {hyper_doc(rule.doc)}" for key, rule in hyper.items()))
        else:
            st.caption(t("methods.no_hyper"))
        st.caption(f"{t('methods.paper')}: {cls.paper}")


def cards(entries: list[str], hyper_of, consumes_of) -> None:
    columns = st.columns(2)
    for i, entry in enumerate(entries):
        with columns[i % 2]:
            card(entry, hyper_of(entry), consumes_of(entry))


def lab_teacher() -> tuple[str, TeacherConfig, int | None]:
    """The dataset, teacher and subset of the learner's latest Lab run, so its cached teacher is reused."""
    run = shared.run_config()
    return run.data.dataset, run.teacher, run.data.subset


def settings_form() -> CompareConfig | None:
    dataset, teacher, subset = lab_teacher()
    with st.form("methods_form"):
        chosen = st.multiselect(t("methods.choose"), ENTRIES, list(DEFAULT_METHODS), key="methods_choice",
                                format_func=name_of)
        columns = st.columns([2, 2, 3, 1, 3])
        dataset = columns[0].selectbox(t("methods.dataset"), list(datasets.LOADERS), key="methods_dataset",
                                       index=list(datasets.LOADERS).index(dataset))
        student = columns[1].radio(t("methods.student"), ["mlp", "cnn"], horizontal=True, key="methods_student")
        epochs = columns[2].slider(t("methods.epochs"), 1, 30, DEFAULTS.run.student.epochs, key="methods_epochs")
        seeds = columns[3].number_input(t("methods.seeds"), 1, 5, 1, key="methods_seeds")
        fraction = columns[4].select_slider(t("methods.labelled"), [0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0],
                                            DEFAULTS.run.student.labelled_fraction, key="methods_labelled",
                                            format_func=lambda f: f"{100 * f:g} %")
        if not st.form_submit_button(t("methods.run"), type="primary", key="methods_run"):
            return None
    if not chosen:
        st.warning(t("methods.empty"))
        return None
    if dataset == "cifar10" and subset is None:
        subset = CIFAR_SUBSET
    run = DEFAULTS.run.replace(**{"data.dataset": dataset, "data.subset": subset, "teacher": teacher,
                                  "student.family": student, "student.epochs": epochs,
                                  "student.labelled_fraction": fraction, "seeds": tuple(range(int(seeds))),
                                  "device": device_name()})
    return CompareConfig(run, methods=tuple(chosen)).validate()


def run(config: CompareConfig) -> None:
    bar = st.progress(0.0)

    def show(event):
        if event.phase in registry.ENTRIES:
            text = t("methods.running", method=name_of(event.phase), seed=event.seed)
        else:
            text = t("methods.teacher_phase")
        bar.progress(min(1.0, event.progress), text=text)

    result = drive(run_compare(config), show)
    bar.empty()
    st.session_state["methods_result"] = result.to_dict()


def results(result: dict) -> None:
    st.subheader(t("methods.results"))
    st.caption(t("methods.teacher_acc", acc=result["teacher_accuracy"], test=result["test_set"]))
    rows, baseline = result["results"], result["baseline"]["mean"]
    table = pd.DataFrame({
        t("methods.col_method"): [name_of(r["method"]) for r in rows],
        t("methods.col_mean"): [f"{100 * r['mean']:.2f} %" for r in rows],
        t("methods.col_sd"): [f"{100 * r['sd']:.2f}" for r in rows],
        t("methods.col_gain"): [f"{100 * (r['mean'] - baseline):+.2f}" for r in rows],
        t("methods.col_seconds"): [f"{r['seconds']:.1f}" for r in rows],
        t("methods.col_cpu"): [f"{r['cpu_seconds']:.1f}" for r in rows]})
    st.dataframe(table, hide_index=True, key="methods_table")
    names = {r["method"]: name_of(r["method"]) for r in rows}
    st.plotly_chart(accuracy_bars(rows, names, t("methods.chart_title", n=len(result["seeds"])),
                                  t("methods.axis_accuracy") + " (%)"), key="methods_accuracy_chart")
    st.plotly_chart(time_bars(rows, names, t("methods.time_title"), t("methods.axis_seconds")),
                    key="methods_time_chart")
    st.caption(t("methods.total", s=result["seconds"]))


st.title(t("methods.title"))
st.markdown(t("methods.intro"))
st.subheader(t("methods.losses"))
cards(list(methods.METHODS), lambda name: methods.METHODS[name].hyper, lambda name: methods.METHODS[name].consumes)
st.subheader(t("methods.schemes"))
st.caption(t("methods.schemes_intro"))
cards(list(schemes.SCHEMES), lambda name: schemes.SCHEMES[name].hyper, lambda name: None)

st.header(t("methods.compare"))
st.markdown(t("methods.compare_intro"))
try:
    config = settings_form()
    if config is not None:
        run(config)
except KDLabError as err:
    show_error(err)
if "methods_result" in st.session_state:
    results(st.session_state["methods_result"])

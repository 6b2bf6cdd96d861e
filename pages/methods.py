"""Methods: a card per distillation method and training scheme (idea; formula, paper and tunable
hyper-parameters on opening it), and a side-by-side comparison run in the background."""
import streamlit as st

from kdapp import form, keep, live, methods_view, share, shared
from kdapp.share import Setting
from kdapp.ui import device_name, show_error, t
from kdcore import data as datasets
from kdcore import methods, schemes
from kdcore.compare import DEFAULT_METHODS, CompareConfig, run_compare
from kdcore.config import STUDENTS
from kdcore.errors import KDLabError

DEFAULTS = CompareConfig()
CIFAR_SUBSET = 5000  # CIFAR-10 training images used on a CPU unless the Lab sets a subset
ENTRIES = (*[name for name in methods.METHODS if name != "hard"], *schemes.SCHEMES)
LAB = shared.run_config()  # the learner's latest Lab run: its dataset and cached teacher are reused
SCHEMA = {
    "methods": Setting("methods_choice", str, DEFAULT_METHODS, choices=ENTRIES, max_items=len(ENTRIES),
                       label="methods.choose", widget="multiselect", fmt=methods_view.name_of),
    "dataset": Setting("methods_dataset", str, LAB.data.dataset, choices=tuple(datasets.LOADERS),
                       label="methods.dataset", widget="selectbox", path="data.dataset", fmt=shared.dataset_name),
    "student": Setting("methods_student", str, DEFAULTS.run.student.family, choices=STUDENTS,
                       label="methods.student", widget="radio", path="student.family",
                       fmt=lambda s: t(f"lab.student_{s}")),
    "epochs": Setting("methods_epochs", int, DEFAULTS.run.student.epochs, 1, 30, label="methods.epochs",
                      path="student.epochs"),
    "seeds": Setting("methods_seeds", int, 1, 1, 5, label="methods.seeds", widget="number", path="seeds",
                     convert=lambda n: tuple(range(n))),
    "labelled": Setting("methods_labelled", float, DEFAULTS.run.student.labelled_fraction, label="methods.labelled",
                        choices=(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0), widget="select_slider",
                        path="student.labelled_fraction", fmt=lambda f: f"{100 * f:g} %"),
}


def settings_form() -> CompareConfig | None:
    busy = live.running("methods")
    with st.form("methods_form"):
        form.widget(SCHEMA["methods"], disabled=busy)
        form.widgets(SCHEMA, ["dataset", "student", "epochs", "seeds", "labelled"], columns=5, disabled=busy)
        st.caption(t("methods.tune_hint"))
        if not st.form_submit_button(t("methods.run"), type="primary", key="methods_run", disabled=busy):
            return None
    chosen = tuple(st.session_state["methods_choice"])
    if not chosen:
        st.warning(t("methods.empty"))
        return None
    subset = LAB.data.subset or (CIFAR_SUBSET if st.session_state["methods_dataset"] == "cifar10" else None)
    run = form.to_config(DEFAULTS.run, SCHEMA).replace(**{"data.subset": subset, "teacher": LAB.teacher,
                                                          "device": device_name()})
    return CompareConfig(run, methods=chosen, hyper=methods_view.hyper_overrides(chosen)).validate()


st.title(t("methods.title"))
st.markdown(t("methods.intro"))
st.subheader(t("methods.losses"))
methods_view.cards(methods.METHODS)
st.subheader(t("methods.schemes"))
st.caption(t("methods.schemes_intro"))
methods_view.cards(schemes.SCHEMES)

st.header(t("methods.compare"))
st.markdown(t("methods.compare_intro"))
share.restore("methods", SCHEMA)
keep.restore("methods", "methods_result")
ended = live.finished("methods")
if ended is not None and (result := live.report(ended, show_error)) is not None:
    st.session_state["methods_result"] = result.to_dict()
    keep.save("methods", st.session_state["methods_result"])
try:
    config = settings_form()
    if config is not None:
        live.start("methods", run_compare(config), share=("methods", config))
except KDLabError as err:
    show_error(err)
share.publish(SCHEMA)
share.link_hint()
live.panel("methods", methods_view.running_label)
if "methods_result" in st.session_state and not live.running("methods"):
    methods_view.results(st.session_state["methods_result"])

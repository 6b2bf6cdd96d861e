"""Distillation Lab: pretrain a teacher, generate soft labels, train a student with and without them."""
import streamlit as st

from kdapp import folder_box, form, keep, lab_view, live, present, share, shared
from kdapp.lab_link import publish_run, show_linked
from kdapp.share import Setting
from kdapp.ui import device_name, show_error, t
from kdcore import data as datasets
from kdcore import lab
from kdcore.config import STUDENTS, RunConfig
from kdcore.errors import DataUnavailable, KDLabError

DEFAULTS = RunConfig()
KEPT_RUNS = 5  # past runs the page offers (and saves for a reload)
HYPER = DEFAULTS.method.params
SCHEMA = {  # URL name → setting, declared once: widget, URL round-trip and config come from here
    "dataset": Setting("lab_dataset", str, DEFAULTS.data.dataset, choices=tuple(datasets.LOADERS), label="lab.dataset",
                       widget="selectbox", path="data.dataset", fmt=shared.dataset_name),
    "subset": Setting("lab_subset", int, 0, 0, 60000, label="lab.subset", widget="number", step=1000,
                      help="lab.subset_help", path="data.subset", convert=lambda n: n or None),
    "teacher_epochs": Setting("lab_teacher_epochs", int, 0, choices=tuple(range(31)), label="lab.teacher_epochs",
                              path="teacher.epochs", help="lab.teacher_epochs_help", convert=lambda n: n or None,
                              widget="select_slider", fmt=lambda n: str(n) if n else t("lab.recipe_epochs")),
    "student": Setting("lab_student", str, DEFAULTS.student.family, choices=STUDENTS, label="lab.student",
                       widget="radio", path="student.family", fmt=lambda s: t(f"lab.student_{s}")),
    "width": Setting("lab_width", int, DEFAULTS.student.width, 1, 256, label="lab.width", help="lab.width_help",
                     path="student.width"),
    "T": Setting("lab_T", float, HYPER["temperature"], 0.5, 20.0, label="lab.temperature", step=0.5,
                 help="lab.temperature_help", path="method.temperature"),
    "alpha": Setting("lab_alpha", float, HYPER["alpha"], 0.0, 1.0, label="lab.alpha", step=0.05, help="lab.alpha_help",
                     path="method.alpha"),
    "epochs": Setting("lab_epochs", int, 0, choices=tuple(range(201)), label="lab.epochs", path="student.epochs",
                      help="lab.epochs_help", convert=lambda n: n or None, widget="select_slider",
                      fmt=lambda n: str(n) if n else t("lab.recipe_epochs")),
    "frac": Setting("lab_fraction", float, DEFAULTS.student.labelled_fraction, label="lab.fraction",
                    choices=(0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0), widget="select_slider", help="lab.fraction_help",
                    path="student.labelled_fraction", fmt=lambda f: f"{100 * f:g} %"),
    "seeds": Setting("lab_seeds", int, 1, 1, 5, label="lab.seeds", widget="number", help="lab.seeds_help",
                     path="seeds", convert=lambda n: tuple(range(n))),
}


@st.cache_resource(show_spinner=False)
def load_dataset(name: str, subset: int | None):
    return datasets.load(name, subset=subset)


def use_embedded():
    st.session_state["lab_dataset"] = "mnist5k"


def settings(controls, place) -> RunConfig | None:
    """The run settings as plain widgets: a change reruns the page and the address follows it, no run
    starts (locked while a run is in progress). The config when Train was pressed."""
    busy = live.running("lab")
    pressed = controls.button(t("lab.train"), type="primary", width="stretch", disabled=busy, key="lab_train")
    if busy:
        controls.caption(t("live.running_elsewhere"))
    with place:
        form.widgets(SCHEMA, SCHEMA, disabled=busy)
        own = folder_box.source_box(disabled=busy)
    if not pressed:
        return None
    return chosen().replace(**{"data.dataset": own}) if own else chosen()


def chosen() -> RunConfig:
    """The run the widgets describe, on this session's device."""
    return form.to_config(DEFAULTS, SCHEMA).replace(device=device_name())


def start(config: RunConfig) -> None:
    try:
        config.validate()
        data = load_dataset(config.data.dataset, config.data.subset)
    except DataUnavailable as err:
        show_error(err)
        st.button(t("lab.use_embedded"), on_click=use_embedded, key="lab_use_embedded")
        return
    shared.remember(config)
    st.session_state["lab_data"] = data
    st.session_state["lab_share"] = ("lab", config, data.fingerprint)
    live.start("lab", lab.run_lab(config, data), share=st.session_state["lab_share"])


st.title(t("lab.title"))
if not present.active():  # a projector shows the result first, the explanation under it
    lab_view.explain()
share.restore("lab", SCHEMA)
keep.restore("lab", "lab_runs", lambda view: [lab.from_state(state) for state in view["runs"]])
show_linked(chosen(), load_dataset, KEPT_RUNS)
ended = live.finished("lab")
if ended is not None and (result := live.report(ended, show_error)) is not None:
    publish_run(ended, st.session_state.get("lab_share"))
    st.session_state["lab_runs"] = [*st.session_state.get("lab_runs", []), result][-KEPT_RUNS:]
    keep.save("lab", {"runs": [lab.to_state(run) for run in st.session_state["lab_runs"]]})
controls, right, place = present.run_layout(t("lab.settings"), lab_view.summary(SCHEMA))
config = settings(controls, place)
with place:
    share.publish(SCHEMA)
    share.link_hint("share.hint_follows")
with right:
    try:
        if config is not None:
            start(config)
    except KDLabError as err:
        show_error(err)
    if not present.active():  # a projector shows them under the result
        lab_view.thumbnails()
    live.panel("lab", lab_view.phase_label, lab_view.live)
    runs = st.session_state.get("lab_runs", [])
    if runs and not live.running("lab"):
        lab_view.show_result(runs[lab_view.past_runs(runs)])
    elif not live.running("lab"):
        lab_view.step_cards(0, 0)
        st.info(t("lab.start_hint"))
if present.active():
    with right:
        lab_view.thumbnails()
    lab_view.explain()

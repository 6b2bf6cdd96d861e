"""NLP distillation: a character-level teacher LM, a scratch student and distilled students, trained
in the background with live bits-per-character curves."""
import streamlit as st

from kdapp import form, keep, live, nlp_view, share
from kdapp.share import Setting
from kdapp.ui import device_name, show_error, t
from kdcore.errors import KDLabError
from kdcore.nlp import METHODS, NLPConfig, NLPExperiment, corpus

DEFAULTS = NLPConfig()
SCHEMA = {
    "corpus": Setting("nlp_corpus", str, "builtin", choices=corpus.SOURCES, label="nlp.corpus", widget="radio",
                      fmt=lambda s: t(f"nlp.corpus_{s}")),
    "methods": Setting("nlp_methods", str, DEFAULTS.methods, choices=METHODS, max_items=len(METHODS),
                       label="nlp.methods", widget="multiselect", fmt=lambda m: t(f"nlp.method_{m}")),
    "T": Setting("nlp_temperature", float, DEFAULTS.temperature, 0.5, 4.0, label="nlp.temperature", step=0.5,
                 help="nlp.temperature_help"),
    "alpha": Setting("nlp_alpha", float, DEFAULTS.alpha, 0.0, 1.0, label="nlp.alpha", step=0.1, help="nlp.alpha_help"),
    "chars": Setting("nlp_max_chars", int, 0, choices=(20_000, 50_000, 100_000, 200_000, 0), label="nlp.max_chars",
                     widget="select_slider", fmt=lambda n: f"{n:,}" if n else t("nlp.all_chars")),
    "teacher_steps": Setting("nlp_teacher_steps", int, DEFAULTS.teacher_training.steps, 10, 1500,
                             label="nlp.teacher_steps", step=10),
    "student_steps": Setting("nlp_student_steps", int, DEFAULTS.student_training.steps, 10, 1500,
                             label="nlp.student_steps", step=10),
}


def settings_form() -> NLPExperiment | None:
    busy = live.running("nlp")
    with st.form("nlp_form"):
        st.subheader(t("nlp.settings"))
        left, right = st.columns(2)
        form.widget(SCHEMA["corpus"], left, disabled=busy)
        upload = left.file_uploader(t("nlp.upload"), type=["txt"], key="nlp_upload", help=t("nlp.upload_help"))
        for name in ("methods", "T", "alpha"):
            form.widget(SCHEMA[name], right, disabled=busy)
        with st.expander(t("nlp.more")):
            form.widgets(SCHEMA, ["chars", "teacher_steps", "student_steps"], disabled=busy)
        if not st.form_submit_button(t("nlp.train"), type="primary", key="nlp_run", disabled=busy):
            return None
    value = {name: form.value(setting) for name, setting in SCHEMA.items()}
    text = corpus.load(value["corpus"], upload.getvalue() if upload is not None else None, value["chars"] or None)
    config = NLPConfig(teacher_training=DEFAULTS.teacher_training.with_steps(value["teacher_steps"]),
                       student_training=DEFAULTS.student_training.with_steps(value["student_steps"]),
                       methods=tuple(m for m in METHODS if m in value["methods"]), temperature=value["T"],
                       alpha=value["alpha"], device=device_name())
    return NLPExperiment(text, config)


st.title(t("nlp.title"))
st.markdown(t("nlp.intro"))
share.restore("nlp", SCHEMA)
keep.restore("nlp", "nlp_result", nlp_view.restored)
ended = live.finished("nlp")
if ended is not None and (experiment := live.report(ended, show_error)) is not None:
    st.session_state["nlp_result"] = nlp_view.record(experiment)
    keep.save("nlp", st.session_state["nlp_result"])
try:
    experiment = settings_form()
    if experiment is not None:
        live.start("nlp", experiment.run(), share=("nlp", experiment.config, experiment.teacher_key()))
except KDLabError as err:
    show_error(err)
share.publish(SCHEMA)
share.link_hint()
live.panel("nlp", nlp_view.progress_label, nlp_view.live)
if not live.running("nlp"):
    if "nlp_result" in st.session_state:
        nlp_view.show(st.session_state["nlp_result"])
    else:
        st.info(t("nlp.not_run"))

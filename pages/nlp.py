"""NLP distillation: a character-level teacher LM, a scratch student and distilled students."""
import pandas as pd
import streamlit as st

from kdcore.events import Done, Epoch, Phase, Step

from kdapp.ui import device_name, drive, show_error, t
from kdcore.errors import KDLabError
from kdcore.nlp import METHODS, NLPConfig, NLPExperiment, corpus
from kdcore.nlp.figures import bpc_curves, next_char_bars
from kdcore.nlp.sampling import generate, next_char_probabilities

DEFAULTS = NLPConfig()
CHARACTER_LIMITS = [20_000, 50_000, 100_000, 200_000, 0]  # 0 = the whole corpus
SAMPLE_LENGTH = 200  # characters each model writes after the prompt

st.title(t("nlp.title"))
st.markdown(t("nlp.intro"))


def label(phase: str) -> str:
    return t(f"nlp.phase_{phase}")


def settings_form():
    with st.form("nlp_form"):
        st.subheader(t("nlp.settings"))
        left, right = st.columns(2)
        source = left.radio(t("nlp.corpus"), corpus.SOURCES, format_func=lambda s: t(f"nlp.corpus_{s}"), key="nlp_corpus")
        upload = left.file_uploader(t("nlp.upload"), type=["txt"], key="nlp_upload", help=t("nlp.upload_help"))
        methods = right.multiselect(t("nlp.methods"), METHODS, default=list(DEFAULTS.methods),
                                    format_func=lambda m: t(f"nlp.method_{m}"), key="nlp_methods")
        temperature = right.slider(t("nlp.temperature"), 0.5, 4.0, DEFAULTS.temperature, 0.5, key="nlp_temperature",
                                   help=t("nlp.temperature_help"))
        alpha = right.slider(t("nlp.alpha"), 0.0, 1.0, DEFAULTS.alpha, 0.1, key="nlp_alpha", help=t("nlp.alpha_help"))
        with st.expander(t("nlp.more")):
            limit = st.select_slider(t("nlp.max_chars"), CHARACTER_LIMITS, value=0, key="nlp_max_chars",
                                     format_func=lambda n: f"{n:,}" if n else t("nlp.all_chars"))
            teacher_steps = st.slider(t("nlp.teacher_steps"), 10, 1500, DEFAULTS.teacher_training.steps, 10,
                                      key="nlp_teacher_steps")
            student_steps = st.slider(t("nlp.student_steps"), 10, 1500, DEFAULTS.student_training.steps, 10,
                                      key="nlp_student_steps")
        if not st.form_submit_button(t("nlp.train"), type="primary", key="nlp_run"):
            return None
    text = corpus.load(source, upload.getvalue() if upload is not None else None, limit or None)
    config = NLPConfig(teacher_training=DEFAULTS.teacher_training.with_steps(teacher_steps),
                       student_training=DEFAULTS.student_training.with_steps(student_steps),
                       methods=tuple(methods), temperature=temperature, alpha=alpha, device=device_name())
    return NLPExperiment(text, config)


def run_live(experiment: NLPExperiment) -> dict:
    bar, chart = st.progress(0.0), st.empty()
    curves: dict = {}
    step: dict = {}

    def show(event):
        phase = event.phase
        if isinstance(event, Done):
            bar.progress(1.0, text=t("nlp.progress_done", seconds=experiment.seconds))
            return
        if isinstance(event, Step):
            step[phase] = event.step
            message = t("nlp.progress_step", phase=label(phase), step=event.step, steps=event.steps)
        else:
            cached = isinstance(event, Phase) and event.cached
            message = t("nlp.progress_cached" if cached else "nlp.progress_preparing", phase=label(phase))
        bar.progress(min(1.0, event.progress), text=message)
        if isinstance(event, Epoch):
            curves.setdefault(phase, []).append((step.get(phase, 0), event.elapsed, event.metrics["bpc"]))
            chart.plotly_chart(bpc_curves(curves, {p: label(p) for p in curves}, t("nlp.step"), t("nlp.bpc")))

    drive(experiment.run(), show)
    chart.empty()
    return {"summary": experiment.summary(), "tokenizer": experiment.corpus.tokenizer,
            "models": {phase: result.model for phase, result in experiment.results.items()},
            "prompt": experiment.corpus.text[len(experiment.corpus.text) * 9 // 10:][:24],
            "device": str(experiment.device)}


def results_table(run: dict):
    st.subheader(t("nlp.table"))
    rows = [{t("nlp.col_model"): label(phase), t("nlp.col_params"): f"{m['params']:,}",
             t("nlp.col_bpc"): round(m["val_bpc"], 3),
             t("nlp.col_gap"): f"{m['gap_closed']:.0%}" if "gap_closed" in m else "",
             t("nlp.col_train_speed"): f"{m['train_tokens_per_second']:,.0f}",
             t("nlp.col_infer_speed"): f"{m['inference_tokens_per_second']:,.0f}",
             t("nlp.col_seconds"): round(m["seconds"], 1)} for phase, m in run["summary"]["models"].items()]
    st.dataframe(pd.DataFrame(rows), hide_index=True)
    st.caption(t("nlp.table_caption", device=run["device"]))


@st.fragment
def explore(run: dict):
    st.subheader(t("nlp.explore"))
    left, right = st.columns([3, 2])
    prompt = left.text_input(t("nlp.prompt"), value=run["prompt"], key="nlp_prompt")
    temperature = right.slider(t("nlp.sample_temperature"), 0.1, 3.0, 1.0, 0.1, key="nlp_sample_temperature",
                               help=t("nlp.sample_temperature_help"))
    try:
        ids = run["tokenizer"].encode_prompt(prompt)
        probabilities = {phase: next_char_probabilities(model, ids, temperature) for phase, model in run["models"].items()}
    except KDLabError as err:
        show_error(err)
        return
    top = probabilities["teacher"].topk(10).indices.tolist()
    characters = [run["tokenizer"].chars[i] for i in top]
    st.plotly_chart(next_char_bars(characters, {p: v[top].tolist() for p, v in probabilities.items()},
                                   {p: label(p) for p in probabilities}, t("nlp.probability")), key="nlp_next_chart")
    st.caption(t("nlp.bars_caption"))
    st.markdown(f"**{t('nlp.samples')}**")
    seed = st.number_input(t("nlp.sample_seed"), 0, 10_000, 0, key="nlp_sample_seed")
    columns = st.columns(len(run["models"]))
    for column, (phase, model) in zip(columns, run["models"].items()):
        written = run["tokenizer"].decode(generate(model, ids, SAMPLE_LENGTH, temperature, seed=int(seed)).tolist())
        column.markdown(f"**{label(phase)}**")
        column.code(prompt + written, language=None, wrap_lines=True)


def comparison(run: dict):
    st.subheader(t("nlp.compare"))
    summary = run["summary"]
    for method in METHODS:
        st.markdown(t(f"nlp.explain_{method}"))
        measured = summary["models"].get(method)
        if measured is None:
            st.caption(t("nlp.not_in_run", method=t(f"nlp.method_{method}")))
            continue
        st.info(t("nlp.result_line", method=t(f"nlp.method_{method}"), bpc=measured["val_bpc"],
                  scratch=summary["scratch_bpc"], gain=summary["scratch_bpc"] - measured["val_bpc"],
                  gap=measured["gap_closed"], teacher=summary["teacher_bpc"]))
    students = {p: m["val_bpc"] for p, m in summary["models"].items() if p != "teacher"}
    st.markdown(t("nlp.best", method=label(min(students, key=students.get))))


try:
    experiment = settings_form()
    if experiment is not None:
        st.session_state["nlp_result"] = run_live(experiment)
except KDLabError as err:
    show_error(err)

finished = st.session_state.get("nlp_result")
if finished is None:
    st.info(t("nlp.not_run"))
else:
    summary = finished["summary"]
    st.subheader(t("nlp.curves"))
    st.plotly_chart(bpc_curves({p: m["curve"] for p, m in summary["models"].items()},
                               {p: label(p) for p in summary["models"]}, t("nlp.step"), t("nlp.bpc")),
                    key="nlp_curves_chart")
    results_table(finished)
    explore(finished)
    comparison(finished)

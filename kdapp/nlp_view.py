"""NLP distillation page parts: the live bits-per-character chart, the results table, the explorer
(next-character bars and samples under a temperature) and the per-method comparison."""
import uuid
from dataclasses import asdict

import pandas as pd
import streamlit as st

from kdcore import readout
from kdcore.errors import KDLabError
from kdcore.nlp import METHODS
from kdcore.nlp.figures import bpc_curves, next_char_bars
from kdcore.nlp.model import CharGPT, GPTConfig
from kdcore.nlp.sampling import generate, next_char_probabilities
from kdcore.nlp.tokenizer import CharTokenizer

from .ui import show_error, t, verdict_lines

SAMPLE_LENGTH = 200  # characters each model writes after the prompt


def label(phase: str) -> str:
    return t(f"nlp.phase_{phase}")


def progress_label(event) -> str:
    if getattr(event, "steps", None):
        return t("nlp.progress_step", phase=label(event.phase), step=event.step, steps=event.steps)
    cached = getattr(event, "cached", False)
    return t("nlp.progress_cached" if cached else "nlp.progress_preparing", phase=label(event.phase or "teacher"))


def curves_chart(curves: dict, key: str) -> None:
    st.plotly_chart(bpc_curves(curves, {p: label(p) for p in curves}, t("nlp.step"), t("nlp.bpc")), key=key)


def live(job) -> None:
    """Inside the live panel: validation bits per character of every model so far."""
    curves: dict = {}
    for epoch in list(job.epochs):
        curves.setdefault(epoch.phase, []).append((epoch.step, epoch.elapsed, epoch.metrics["bpc"]))
    if curves:
        curves_chart(curves, "nlp_live_chart")


def record(experiment) -> dict:
    """What the page keeps of a finished (or stopped) experiment, as plain data (kdcore.saved): the
    numbers, the vocabulary and each model's config and weights."""
    text = experiment.corpus.text
    models = {phase: {"config": asdict(result.model.config),
                      "state": {k: v.cpu() for k, v in result.model.state_dict().items()}}
              for phase, result in experiment.results.items()}
    return {"id": uuid.uuid4().hex, "summary": experiment.summary(), "chars": experiment.corpus.tokenizer.chars,
            "models": models, "prompt": text[len(text) * 9 // 10:][:24], "device": str(experiment.device)}


def restored(run: dict) -> dict:
    """A saved run, checked by building its models (a malformed one raises)."""
    models(run)
    return run


def models(run: dict) -> dict[str, CharGPT]:
    """The run's models, built from their weights once per run and session."""
    built = st.session_state.get("nlp_models")
    if built is None or built[0] != run["id"]:
        built = run["id"], {phase: CharGPT(GPTConfig(**entry["config"])) for phase, entry in run["models"].items()}
        for phase, model in built[1].items():
            model.load_state_dict(run["models"][phase]["state"])
            model.eval()
        st.session_state["nlp_models"] = built
    return built[1]


def results_table(run: dict) -> None:
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
def explore(run: dict) -> None:
    st.subheader(t("nlp.explore"))
    left, right = st.columns([3, 2])
    prompt = left.text_input(t("nlp.prompt"), value=run["prompt"], key="nlp_prompt")
    temperature = right.slider(t("nlp.sample_temperature"), 0.1, 3.0, 1.0, 0.1, key="nlp_sample_temperature",
                               help=t("nlp.sample_temperature_help"))
    try:
        tokenizer, built = CharTokenizer(run["chars"]), models(run)
        ids = tokenizer.encode_prompt(prompt)
        probabilities = {phase: next_char_probabilities(model, ids, temperature) for phase, model in built.items()}
    except KDLabError as err:
        show_error(err)
        return
    top = probabilities["teacher"].topk(10).indices.tolist()
    characters = [tokenizer.chars[i] for i in top]
    st.plotly_chart(next_char_bars(characters, {p: v[top].tolist() for p, v in probabilities.items()},
                                   {p: label(p) for p in probabilities}, t("nlp.probability")), key="nlp_next_chart")
    st.caption(t("nlp.bars_caption"))
    st.markdown(f"**{t('nlp.samples')}**")
    seed = st.number_input(t("nlp.sample_seed"), 0, 10_000, 0, key="nlp_sample_seed")
    for column, (phase, model) in zip(st.columns(len(built)), built.items()):
        written = tokenizer.decode(generate(model, ids, SAMPLE_LENGTH, temperature, seed=int(seed)).tolist())
        column.markdown(f"**{label(phase)}**")
        column.code(prompt + written, language=None, wrap_lines=True)


def comparison(run: dict) -> None:
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


def says(summary: dict, context: int) -> None:
    """The plain-words readout (kdcore.readout): each distilled student against the one from scratch
    and the best against the runner-up, beyond noise or not; a one-seed warning and what to try next."""
    models = summary["models"]
    if len(models) < 3 or any("val_window_sd" not in m for m in models.values()):  # nothing distilled, or saved before spreads were kept
        return
    said = readout.students(models)
    st.markdown(f"**{t('nlp.readout_title')}**")
    teacher, scratch = models["teacher"], models["scratch"]
    lines = [t("nlp.readout_sizes", teacher=teacher["val_bpc"], teacher_params=teacher["params"],
               scratch=scratch["val_bpc"], student_params=scratch["params"], ratio=teacher["params"] / scratch["params"])]
    lines += verdict_lines("nlp", said["against_scratch"], lambda v: f"{label(v['method'])} ({-v['lower_bpc']:+.3f} bpc)",
                           "noise_bpc")
    if len(said["against_scratch"]) > 1:
        lead = said["lead"]
        lines.append(t(f"nlp.readout_lead_{lead['verdict']}", best=label(said["best"]), runner=label(said["runner_up"]),
                       lower=lead["lower_bpc"], noise=2 * lead["noise_bpc"]))
    st.info("\n\n".join(lines))
    st.warning(t("nlp.one_seed", windows=scratch["val_windows"], context=context))
    verdicts = {v["verdict"] for v in said["against_scratch"]}
    st.caption(t("nlp.next_gain" if "gain" in verdicts else "nlp.next_loss" if verdicts == {"loss"} else "nlp.next_noise"))


def show(run: dict) -> None:
    st.subheader(t("nlp.curves"))
    curves_chart({p: m["curve"] for p, m in run["summary"]["models"].items()}, "nlp_curves_chart")
    results_table(run)
    says(run["summary"], run["models"]["scratch"]["config"]["context"])
    explore(run)
    comparison(run)

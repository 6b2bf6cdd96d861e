"""The course's live widgets, one function per `Lesson.widget` (kdcore.course.WIDGETS). Each answers
in well under two seconds on a CPU and trains nothing slow: computations are in kdcore.toys, the
logits come from the Lab's cached teacher when it exists (never trained here), and presenter mode
draws the result above the settings (kdapp.present)."""
import streamlit as st
import torch

from kdcore import models, soft, toys
from kdcore.config import DataConfig, TeacherConfig
from kdcore.errors import KDLabError
from kdcore.plots import course as plots
from kdcore.plots.soft import probability_bars
from kdcore.teacher import RECIPES, get_teacher, is_cached

from . import present, shared
from .ui import t

# Shown only while no teacher is cached: logits written for this lesson, said so under the chart.
EXAMPLE_LOGITS = (1.0, 2.5, 0.5, 6.0, -1.0, 3.5, -0.5, 1.5, 4.5, 0.0)
EXAMPLE_LABEL = 3
GRADIENT_TS = soft.log_temperatures(1.0, 20.0, 40)
WIDTHS = (4, 8, 16, 32, 64, 128)


@st.cache_resource(show_spinner=False)
def _data(config: DataConfig):
    return config.load()


@st.cache_resource(show_spinner=False)
def _teacher(config: TeacherConfig, data_config: DataConfig):
    return get_teacher(config, _data(data_config))


def lab_example() -> dict | None:
    """The Lab's cached teacher on its least certain test image {"logits" (C,), "label", "image" (H, W)
    in 0..1, "classes"}, or None when no teacher is cached yet (or its data cannot be read offline)."""
    config = shared.run_config()
    try:
        data = _data(config.data)
        if not is_cached(config.teacher, data):
            return None
        teacher = _teacher(config.teacher, config.data)
    except KDLabError:
        return None
    index = int(soft.most_confusing(teacher.test_logits, 1)[0])
    image = data.x_test[index].float().mean(0)  # (H, W), normalised
    image = (image - image.min()) / (image.max() - image.min()).clamp_min(1e-6)
    return {"logits": teacher.test_logits[index], "label": int(data.y_test[index]), "image": image.numpy(),
            "classes": data.classes, "accuracy": teacher.test_accuracy}


def _example() -> dict:
    return lab_example() or {"logits": torch.tensor(EXAMPLE_LOGITS), "label": EXAMPLE_LABEL, "image": None,
                             "classes": tuple(str(c) for c in range(10)), "accuracy": None}


def _source_note(example: dict) -> None:
    st.caption(t("course.source_lab") if example["image"] is not None else t("course.source_example"))


def temperature() -> None:
    example = _example()
    settings, result = present.result_first()
    T = settings.slider("T", 0.5, 20.0, 1.0, 0.5, key="course_T", help=t("course.T_help"))
    probs = soft.soften(example["logits"], T).unsqueeze(0)  # (1, C)
    with result:
        left, right = st.columns([1, 4]) if example["image"] is not None else (None, st.container())
        if left is not None:
            left.image(example["image"], caption=t("course.true_class", label=example["classes"][example["label"]]),
                       width="stretch", clamp=True)
        bars = probability_bars(probs, [example["label"]], example["classes"], [f"T = {T:g}"],
                                {"y": t("course.probability")})
        right.plotly_chart(bars, key="course_T_bars")
        h = soft.entropy(probs)[0].item()
        st.markdown(t("course.T_readout", T=T, top=100 * probs.max().item(), entropy=h,
                      most=soft.entropy(torch.ones(len(example["classes"])) / len(example["classes"])).item()))
        _source_note(example)


def objective() -> None:
    example = _example()
    settings, result = present.result_first()
    left, right = settings.columns(2)
    T = left.slider("T", 1.0, 20.0, 4.0, 0.5, key="course_obj_T")
    alpha = right.slider("α", 0.0, 1.0, 0.9, 0.05, key="course_obj_alpha", help=t("course.alpha_help"))
    student = torch.zeros_like(example["logits"])  # a fresh student: all logits about equal
    terms = toys.objective(example["logits"], student, example["label"], T, alpha)
    with result:
        c1, c2, c3 = st.columns(3)
        c1.metric(t("course.term_hard", alpha=alpha), f"{terms['hard']:.3f}")
        c2.metric(t("course.term_soft", alpha=alpha), f"{terms['kd']:.3f}")
        c3.metric(t("course.term_total"), f"{terms['total']:.3f}")
        norms = toys.gradient_norms(example["logits"], student, GRADIENT_TS)
        names = {"plain": t("course.grad_plain"), "scaled": t("course.grad_scaled"), "y": t("course.grad_y")}
        st.plotly_chart(plots.gradient_figure(GRADIENT_TS, norms, T, names), key="course_obj_grad")
        st.markdown(t("course.grad_readout", low=GRADIENT_TS[0], high=GRADIENT_TS[-1],
                      plain=norms["plain"][0] / norms["plain"][-1], scaled=max(norms["scaled"]) / min(norms["scaled"])))
        _source_note(example)


@st.cache_data(show_spinner=False, max_entries=64)
def _reversal(lambd: float, shift: float) -> dict:
    return toys.reversal(lambd, shift)


def reversal() -> None:
    settings, result = present.result_first()
    left, right = settings.columns(2)
    lambd = left.slider("λ", 0.0, 3.0, 1.0, 0.1, key="course_rev_lambda", help=t("course.lambda_help"))
    shift = right.slider(t("course.shift"), 0.0, 3.0, 2.0, 0.25, key="course_rev_shift")
    plain, adapted = _reversal(0.0, shift), _reversal(lambd, shift)
    with result:
        c1, c2, c3 = st.columns(3)
        c1.metric(t("course.rev_target"), f"{100 * adapted['target_accuracy']:.1f} %",
                  f"{100 * (adapted['target_accuracy'] - plain['target_accuracy']):+.1f}")
        c2.metric(t("course.rev_source"), f"{100 * adapted['source_accuracy']:.1f} %",
                  f"{100 * (adapted['source_accuracy'] - plain['source_accuracy']):+.1f}")
        c3.metric(t("course.rev_domain"), f"{100 * adapted['domain_accuracy']:.1f} %",
                  f"{100 * (adapted['domain_accuracy'] - plain['domain_accuracy']):+.1f}", delta_color="off", delta_arrow="off")
        names = {"source": t("course.source"), "target": t("course.target"), "class": t("course.class")}
        boundaries = {t("course.boundary_plain"): (plain["w"], plain["c"], "dash"),
                      t("course.boundary_dann", lambd=lambd): (adapted["w"], adapted["c"], "solid")}
        st.plotly_chart(plots.reversal_figure(plain["points"], boundaries, names), key="course_rev_fig")
        st.markdown(t("course.rev_readout", plain=100 * plain["target_accuracy"], adapted=100 * adapted["target_accuracy"],
                      angle0=plain["angle"], angle=adapted["angle"], domain=100 * adapted["domain_accuracy"]))


def _family_names() -> dict:
    """Model families in the learner's language, translated now: a widget may format its options
    outside the script run, where the language is not known."""
    return {family: t(f"course.family_{family.replace('-', '_')}") for family in ("teacher-cnn", "cnn", "mlp")}


def _lab_teacher() -> TeacherConfig:
    """The Lab's teacher settings with the digit recipe's family and width where the Lab left them to it
    (the widgets below build models for 28×28 grey digits)."""
    config = shared.run_config().teacher
    recipe = RECIPES["digits" if config.recipe == "auto" else config.recipe]
    return TeacherConfig(family=config.family or recipe["family"], width=config.width or recipe["width"])


def reuse() -> None:
    source_config = _lab_teacher()
    settings, result = present.result_first()
    c1, c2, c3 = settings.columns(3)
    family = c1.selectbox(t("course.reuse_family"), ("teacher-cnn", "cnn", "mlp"), key="course_reuse_family",
                          format_func=_family_names().get)
    width = c2.select_slider(t("course.reuse_width"), WIDTHS, source_config.width if source_config.width in WIDTHS else 16,
                             key="course_reuse_width")
    size = c3.radio(t("course.reuse_size"), (28, 16), key="course_reuse_size", horizontal=True,
                    format_func=lambda s: f"{s}×{s}")
    source = models.build(source_config.family, (1, 28, 28), 10, source_config.width)
    report = toys.reuse(source, models.build(family, (1, size, size), 10, width))
    with result:
        a, b = st.columns(2)
        a.metric(t("course.reuse_copied"), f"{report['copied']:,} / {report['total']:,}",
                 f"{100 * report['copied'] / report['total']:.0f} %", delta_color="off", delta_arrow="off")
        b.metric(t("course.reuse_distil"), t("course.yes") if report["same_classes"] else t("course.no"),
                 t("course.same_classes") if report["same_classes"] else t("course.other_classes"), delta_color="off", delta_arrow="off")
        rows = [{t("course.col_tensor"): r["name"], t("course.col_target"): "×".join(map(str, r["target"])),
                 t("course.col_source"): "×".join(map(str, r["source"])) if r["source"] else "—",
                 t("course.col_count"): r["count"], t("course.col_copy"): "✓" if r["copy"] else "✗"} for r in report["rows"]]
        st.dataframe(rows, hide_index=True, width="stretch")
        st.caption(t("course.reuse_note", family=source_config.family, width=source_config.width))


@st.cache_data(show_spinner=False, ttl=600)
def _costs(models_wanted: tuple) -> list[dict]:
    return toys.costs((1, 28, 28), models_wanted)


def devices() -> None:
    settings, result = present.result_first()
    left, right = settings.columns(2)
    family = left.radio(t("course.reuse_family"), ("mlp", "cnn"), key="course_dev_family", horizontal=True,
                        format_func=_family_names().get)
    width = right.select_slider(t("course.reuse_width"), WIDTHS, 32, key="course_dev_width")
    config = _lab_teacher()
    teacher, student = _costs(((config.family, config.width), (family, width)))
    with result:
        c1, c2, c3 = st.columns(3)
        c1.metric(t("course.dev_params"), f"{student['params']:,}", t("course.dev_ratio", r=teacher["params"] / student["params"]), delta_color="off", delta_arrow="off")
        c2.metric(t("course.dev_flops"), f"{student['flops']:,}", t("course.dev_ratio", r=teacher["flops"] / student["flops"]), delta_color="off", delta_arrow="off")
        c3.metric(t("course.dev_latency"), f"{student['latency_ms']:.3f} ms",
                  t("course.dev_ratio", r=teacher["latency_ms"] / student["latency_ms"]), delta_color="off", delta_arrow="off")
        st.caption(t("course.dev_teacher", params=teacher["params"], flops=teacher["flops"], ms=teacher["latency_ms"]))
        example = lab_example()
        st.caption(t("course.dev_accuracy", acc=100 * example["accuracy"]) if example else t("course.run_lab"))


def kl() -> None:
    settings, result = present.result_first()
    separation = settings.slider(t("course.kl_separation"), 1.0, 10.0, 7.0, 0.5, key="course_kl_sep")
    fit = toys.kl_fit(separation)
    with result:
        names = {"teacher": t("course.kl_teacher"), "forward": t("course.kl_forward"), "reverse": t("course.kl_reverse"),
                 "x": t("course.kl_x"), "y": t("course.kl_y")}
        st.plotly_chart(plots.kl_figure(fit, names), key="course_kl_fig")
        st.markdown(t("course.kl_readout", fm=fit["forward"]["mean"], fs=fit["forward"]["sd"],
                      rm=fit["reverse"]["mean"], rs=fit["reverse"]["sd"]))


WIDGETS = {"temperature": temperature, "objective": objective, "reversal": reversal, "reuse": reuse,
           "devices": devices, "kl": kl}

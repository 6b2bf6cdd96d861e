"""Soft labels: the teacher's probabilities under temperature T, entropy against T, and which
classes look alike to it. Everything is computed from the cached teacher's logits."""
import streamlit as st
import torch

from kdapp import export, share
from kdapp.share import Setting
from kdapp.ui import device_name, show_error, t, test_set
from kdcore import data as datasets
from kdcore import soft
from kdcore.device import resolve
from kdcore.errors import KDLabError
from kdcore.plots import soft as plots
from kdcore.teacher import TeacherConfig, get_teacher

CANDIDATES = 24  # thumbnails in the picker grid
SCHEMA = {
    "dataset": Setting("soft_dataset", str, "mnist5k", choices=datasets.EMBEDDED),
    "T": Setting("soft_T", float, 4.0, 0.5, 20.0),
    "log": Setting("soft_log", bool, False),
    "pick": Setting("soft_pick", str, "class", choices=("class", "confusing")),
    "class": Setting("soft_class", str, "all", choices=("all",) + datasets.DIGITS),
    "images": Setting("soft_images", int, (), 0, 99_999, max_items=8),
}
TEMPERATURES = soft.log_temperatures(0.5, 20.0, 60)


@st.cache_resource(show_spinner=False)
def load_teacher(dataset: str, device: str):
    """The dataset and its teacher (the Lab's default teacher, shared through the disk cache)."""
    data = datasets.load(dataset)
    return data, get_teacher(TeacherConfig(), data, resolve(device))


def candidates(data, teacher) -> list[int]:
    """Test-image indices for the thumbnail grid, per the picker settings."""
    if st.session_state["soft_pick"] == "confusing":
        return soft.most_confusing(teacher.test_logits, CANDIDATES).tolist()
    wanted = st.session_state["soft_class"]
    labels = data.y_test
    pool = torch.arange(len(labels)) if wanted == "all" else torch.nonzero(labels == data.classes.index(wanted)).flatten()
    return pool[:CANDIDATES].tolist()


def clear_choice() -> None:
    """A new filter shows new candidates: inspect the first of them."""
    st.session_state["soft_images"] = []


def picker(data, teacher) -> list[int]:
    """Thumbnail grid and a multiselect of the images to inspect; returns their test indices."""
    c1, c2, c3 = st.columns(3)
    c1.selectbox(t("soft_labels.dataset"), datasets.EMBEDDED, key="soft_dataset", on_change=clear_choice)
    c2.radio(t("soft_labels.pick"), ("class", "confusing"), key="soft_pick", horizontal=True,
             format_func=lambda v: t(f"soft_labels.pick_{v}"), on_change=clear_choice)
    c3.selectbox(t("soft_labels.class_filter"), ("all",) + data.classes, key="soft_class", on_change=clear_choice,
                 format_func=lambda v: t("soft_labels.all_classes") if v == "all" else v,
                 disabled=st.session_state["soft_pick"] == "confusing")
    shown = candidates(data, teacher)
    chosen = [i for i in st.session_state["soft_images"] if i < len(data.y_test)]
    if not chosen:
        chosen = shown[:4]
    st.session_state["soft_images"] = chosen
    st.caption(t("soft_labels.candidates", count=len(shown)))
    pixels = data.pixels(data.x_test[shown])[:, 0].numpy()  # (K, H, W) in [0, 1]
    st.image(list(pixels), width=48, caption=[f"#{i}" for i in shown])
    options = list(dict.fromkeys(shown + chosen))
    label = lambda i: t("soft_labels.image_option", index=i, label=data.classes[data.y_test[i]])  # noqa: E731
    return st.multiselect(t("soft_labels.images"), options, key="soft_images", format_func=label, max_selections=8)


@st.fragment
def explorer(data, teacher, chosen: list[int]) -> None:
    """The part that follows the T slider: reruns alone, from cached logits."""
    c1, c2 = st.columns([3, 1])
    c1.slider(t("soft_labels.temperature"), 0.5, 20.0, step=0.1, key="soft_T")
    c2.toggle(t("soft_labels.log_scale"), key="soft_log")
    share.publish(SCHEMA)
    T = st.session_state["soft_T"]
    view = soft.explain(teacher.test_logits, data.y_test, torch.tensor(chosen, dtype=torch.long), T)
    st.markdown(f"##### {t('soft_labels.bars_title', T=T)}")
    titles = [t("soft_labels.image_title", index=i, label=data.classes[data.y_test[i]], entropy=h)
              for i, h in zip(chosen, view["entropy"].tolist())]
    bars = plots.probability_bars(view["probs"], [int(data.y_test[i]) for i in chosen], data.classes, titles,
                                  {"y": t("soft_labels.probability")}, st.session_state["soft_log"])
    export.chart(bars, "soft-labels", key="soft_bars")

    left, right = st.columns(2)
    with left:
        st.markdown(f"##### {t('soft_labels.entropy_title')}")
        series = {t("soft_labels.entropy_all"): soft.entropy_curve(teacher.test_logits, TEMPERATURES),
                  t("soft_labels.entropy_chosen"): soft.entropy_curve(teacher.test_logits[chosen], TEMPERATURES)}
        names = {"y": t("soft_labels.entropy_y"), "uniform": t("soft_labels.uniform")}
        export.chart(plots.entropy_figure(TEMPERATURES, series, T, data.num_classes, names), "entropy", key="soft_entropy")
        st.markdown(f"**{t('soft_labels.lookalikes', T=T)}**")
        for true, other, share_of in ((p["true"], p["looks_like"], p["share"]) for p in view["lookalikes"]):
            st.markdown("- " + t("soft_labels.lookalike", true=data.classes[true], other=data.classes[other],
                                 share=100 * share_of))
    with right:
        st.markdown(f"##### {t('soft_labels.matrix_title', T=T)}")
        names = {"x": t("soft_labels.matrix_x"), "y": t("soft_labels.matrix_y"), "hover": t("soft_labels.matrix_hover")}
        heatmap = plots.similarity_heatmap(view["matrix"], data.classes, names)
        export.chart(heatmap, "dark-knowledge", key="soft_matrix")
        st.caption(t("soft_labels.matrix_help"))
    rows = [{"true_class": data.classes[i], **{data.classes[j]: p for j, p in enumerate(row)}, "temperature": T}
            for i, row in enumerate(view["matrix"].tolist())]
    export.export_buttons("dark-knowledge", "soft_export", rows=rows, fig=heatmap)


st.title(t("soft_labels.title"))
st.markdown(t("soft_labels.intro"))
share.restore("soft_labels", SCHEMA)
try:
    with st.spinner(t("soft_labels.loading")):
        data, teacher = load_teacher(st.session_state["soft_dataset"], device_name())
    st.caption(t("soft_labels.teacher_caption", params=teacher.params, accuracy=100 * teacher.test_accuracy,
                 test_set=test_set(data.test_description)))
    chosen = picker(data, teacher)
    share.publish(SCHEMA)
    share.link_hint()
    if chosen:
        explorer(data, teacher, chosen)
except KDLabError as err:
    show_error(err)

"""Soft labels: the teacher's probabilities under temperature T, entropy against T, and which
classes look alike to it. Everything is computed from the cached teacher's logits."""
import streamlit as st
import torch

from kdapp import form, share, shared, soft_view
from kdapp.share import Setting
from kdapp.ui import device_name, show_error, t, test_set
from kdcore import data as datasets
from kdcore import soft
from kdcore.device import resolve
from kdcore.errors import KDLabError
from kdcore.teacher import TeacherConfig, get_teacher

CANDIDATES = 24  # thumbnails in the picker grid
SCHEMA = {  # URL name → setting, declared once
    "dataset": Setting("soft_dataset", str, "mnist5k", choices=datasets.EMBEDDED, label="soft_labels.dataset",
                       widget="selectbox", fmt=shared.dataset_name),
    "T": Setting("soft_T", float, 4.0, 0.5, 20.0, label="soft_labels.temperature", step=0.1),
    "log": Setting("soft_log", bool, False, label="soft_labels.log_scale", widget="toggle"),
    "pick": Setting("soft_pick", str, "class", choices=("class", "confusing"), label="soft_labels.pick", widget="radio",
                    fmt=lambda v: t(f"soft_labels.pick_{v}")),
    "class": Setting("soft_class", str, "all", choices=("all",) + datasets.DIGITS),
    "images": Setting("soft_images", int, (), 0, 99_999, max_items=8),
}


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
    form.widget(SCHEMA["dataset"], c1, on_change=clear_choice)
    form.widget(SCHEMA["pick"], c2, on_change=clear_choice)
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
    return st.multiselect(t("soft_labels.images"), options, key="soft_images", format_func=label, max_selections=8,
                          **form.kept("multiselect", "soft_images", chosen))


@st.fragment
def explorer(data, teacher, chosen: list[int]) -> None:
    """The part that follows the T slider: reruns alone, from cached logits."""
    c1, c2 = st.columns([3, 1])
    form.widget(SCHEMA["T"], c1)
    form.widget(SCHEMA["log"], c2)
    share.publish(SCHEMA)
    soft_view.show(data, teacher, chosen, st.session_state["soft_T"], st.session_state["soft_log"])


st.title(t("soft_labels.title"))
st.markdown(t("soft_labels.intro"))
share.restore("soft_labels", SCHEMA)
try:
    with st.spinner(t("soft_labels.loading")):
        data, teacher = load_teacher(st.session_state["soft_dataset"], device_name())
    st.caption(t("soft_labels.teacher_caption", params=teacher.params, accuracy=100 * teacher.test_accuracy,
                 test_set=test_set(data.test_set)))
    chosen = picker(data, teacher)
    share.publish(SCHEMA)
    share.link_hint()
    if chosen:
        explorer(data, teacher, chosen)
except KDLabError as err:
    show_error(err)

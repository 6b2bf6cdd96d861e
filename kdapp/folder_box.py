"""The Lab's own-data box (a path, or an uploaded .zip, of an image folder) and the thumbnails that show
what a run trains on: one image per class; a class's button shows that image beside its soft labels."""
import streamlit as st

from kdcore import imagefolder

from .ui import t


def source_box(disabled: bool = False) -> str | None:
    """An image folder or .zip to train on instead of the chosen dataset (None: use the choice).
    An upload is stored in the cache folder under its content hash; nothing is written elsewhere."""
    with st.expander(t("lab.own_data")):
        st.caption(t("lab.own_data_help"))
        path = st.text_input(t("lab.own_data_path"), key="lab_folder", disabled=disabled).strip()
        upload = st.file_uploader(t("lab.own_data_upload"), type=["zip"], key="lab_upload", disabled=disabled)
    if upload is not None:
        return imagefolder.store_upload(upload.getvalue())
    return path or None


def thumbnails(data, limit: int = 10) -> None:
    """The first test image of each class (at most `limit` classes), captioned with the class name."""
    firsts = [(int((data.y_test == c).nonzero()[0, 0]), name) for c, name in enumerate(data.classes[:limit])
              if (data.y_test == c).any()]
    if not firsts:
        return
    st.caption(t("lab.thumbnails", n=data.num_classes))
    for column, (index, name) in zip(st.columns(len(firsts)), firsts):
        column.image(image_of(data, index), width="stretch", clamp=True)
        column.button(str(name), key=f"lab_thumb_{index}", on_click=pick, args=(index,), type="tertiary",
                      width="stretch")


def pick(index: int) -> None:
    """A thumbnail's button: the Lab's result shows this test image beside its soft labels."""
    st.session_state["lab_example"] = index


def image_of(data, index: int):
    """One test image as an array st.image shows (grey or RGB)."""
    image = data.pixels(data.x_test[index:index + 1]).permute(0, 2, 3, 1).numpy()[0]
    return image[:, :, 0] if image.shape[-1] == 1 else image

"""The Lab's own-data box (a path, or an uploaded .zip, of an image folder) and the thumbnails that show
what a run trains on: one image per class, with the class names."""
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
    images = data.pixels(data.x_test[[i for i, _ in firsts]]).permute(0, 2, 3, 1).numpy()
    st.caption(t("lab.thumbnails", n=data.num_classes))
    for column, image, (_, name) in zip(st.columns(len(firsts)), images, firsts):
        column.image(image[:, :, 0] if image.shape[-1] == 1 else image, caption=name, width="stretch", clamp=True)

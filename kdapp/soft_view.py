"""How the Soft labels page shows the teacher at one temperature: probability bars of the chosen
images, entropy against T, the look-alike classes and the class-similarity ("dark knowledge") matrix."""
import streamlit as st
import torch

from kdcore import soft
from kdcore.plots import soft as plots

from . import export
from .ui import t

TEMPERATURES = soft.log_temperatures(0.5, 20.0, 60)


def show(data, teacher, chosen: list[int], T: float, log_scale: bool) -> None:
    view = soft.explain(teacher.test_logits, data.y_test, torch.tensor(chosen, dtype=torch.long), T)
    st.markdown(f"##### {t('soft_labels.bars_title', T=T)}")
    titles = [t("soft_labels.image_title", index=i, label=data.classes[data.y_test[i]], entropy=h)
              for i, h in zip(chosen, view["entropy"].tolist())]
    bars = plots.probability_bars(view["probs"], [int(data.y_test[i]) for i in chosen], data.classes, titles,
                                  {"y": t("soft_labels.probability")}, log_scale)
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

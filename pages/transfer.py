"""Knowledge transfer: source domain → target domain with feature, model and adversarial transfer
against target-only and source-only baselines; accuracy vs label budget, DANN's domain classifier,
feature-space views and a plain-language readout. All logic lives in kdcore.transfer."""
import streamlit as st

from kdapp.ui import device_name, drive, show_error, t
from kdcore.errors import KDLabError
from kdcore.plots import transfer as plots
from kdcore.transfer import STRATEGIES, TransferConfig, compare, domains, features
from kdcore.transfer.readout import readout

SOURCES = ["mnist5k", "digits"]
TARGETS = ["digits", "mnist-m", "inverted", "rotated", "mnist5k", "usps", "svhn", "mnist"]
K_CHOICES = [0, 1, 5, 10, 50, "all"]
DEFAULTS = {"transfer_source": "mnist5k", "transfer_target": "digits", "transfer_strategies": list(STRATEGIES),
            "transfer_k": [1, 10], "transfer_seeds": [0], "transfer_align": True,
            "transfer_source_steps": TransferConfig.source_steps, "transfer_target_steps": TransferConfig.target_steps}


def uploaded_domain() -> str | None:
    """Save an uploaded .npz domain under the user dir (validated first) and return its path."""
    upload = st.file_uploader(t("transfer.upload"), type=["npz"], key="transfer_upload", help=t("transfer.upload_help"))
    if upload is None:
        return None
    try:
        return domains.store_upload(upload.getvalue())  # a malformed file gets a learner-readable message
    except KDLabError as err:
        show_error(err)
        return None


def domain_label(name: str) -> str:
    return t("transfer.uploaded", name=name.rsplit("/", 1)[-1].split("-", 1)[-1]) if domains.is_file(name) else t(f"transfer.d_{name}")


def settings_form(upload: str | None) -> TransferConfig | None:
    for key, value in DEFAULTS.items():
        st.session_state.setdefault(key, value)
    extra = [upload] if upload else []
    with st.form("transfer_form", border=True):
        c1, c2, c3 = st.columns(3)
        c1.selectbox(t("transfer.source"), SOURCES + extra, key="transfer_source", format_func=domain_label)
        c2.selectbox(t("transfer.target"), extra + TARGETS, key="transfer_target", format_func=domain_label)
        c3.checkbox(t("transfer.align"), key="transfer_align", help=t("transfer.align_help"))
        c1.multiselect(t("transfer.strategies"), list(STRATEGIES), key="transfer_strategies",
                       format_func=lambda s: t(f"transfer.s_{s}"))
        c2.multiselect(t("transfer.k"), K_CHOICES, key="transfer_k", help=t("transfer.k_help"))
        c3.multiselect(t("transfer.seeds"), list(range(5)), key="transfer_seeds", max_selections=5)
        c1.select_slider(t("transfer.source_steps"), [50, 200, 400, 600, 1000, 2000, 3000], key="transfer_source_steps",
                         help=t("transfer.source_steps_help"))
        c2.select_slider(t("transfer.target_steps"), [10, 50, 100, 150, 300, 600], key="transfer_target_steps")
        submitted = st.form_submit_button(t("transfer.run"), type="primary", key="transfer_run")
    s = st.session_state
    config = TransferConfig(source=s["transfer_source"], target=s["transfer_target"], align=s["transfer_align"],
                            source_steps=s["transfer_source_steps"], target_steps=s["transfer_target_steps"],
                            device=device_name())
    return config.validate() if submitted else None


def run_live(config: TransferConfig) -> None:
    st.button(t("transfer.stop"), key="transfer_stop")
    bar = st.progress(0.0, text=t("transfer.progress_data"))

    def show(event):
        if event.phase == "source":
            bar.progress(min(1.0, event.progress), text=t("transfer.progress_source", seed=event.seed))
        elif event.phase in STRATEGIES:
            bar.progress(min(1.0, event.progress), text=t("transfer.progress", strategy=t(f"transfer.s_{event.phase}"),
                                                         k=int(event.x or 0), seed=event.seed))
    s = st.session_state
    result = drive(compare(config, s["transfer_strategies"], s["transfer_k"], s["transfer_seeds"]), show)
    bar.empty()
    s["transfer_result"] = result
    s.pop("transfer_views", None)


def results_table(result) -> list[dict]:
    return [{t("transfer.col_strategy"): t(f"transfer.s_{r['strategy']}"), "k": str(r["k"]),
             t("transfer.col_accuracy"): round(100 * r["mean"], 1), "± sd": round(100 * r["sd"], 1),
             t("transfer.col_per_seed"): ", ".join(f"{100 * a:.1f}" for a in r["per_seed"]),
             t("transfer.col_seconds"): round(r["seconds"], 1)} for r in result.rows]


def show_readout(result) -> None:
    st.subheader(t("transfer.readout"))
    for key, values in readout(result):
        if "strategy" in values:
            values = {**values, "strategy": t(f"transfer.s_{values['strategy']}")}
        st.markdown("- " + t(f"transfer.{key}", **values))


def feature_views(result) -> None:
    st.subheader(t("transfer.views"))
    st.caption(t("transfer.views_help"))
    adapted = [s for s in ("adversarial", "model", "feature", "target-only") if s in result.models]
    if "source-only" not in result.models or not adapted:
        st.info(t("transfer.views_need"))
        return
    c1, c2 = st.columns(2)
    method = c1.radio(t("transfer.projection"), list(features.METHODS), key="transfer_projection", horizontal=True,
                      format_func=lambda m: t(f"transfer.p_{m}"))
    after = c2.selectbox(t("transfer.after_model"), adapted, key="transfer_after", format_func=lambda s: t(f"transfer.s_{s}"))
    cache = st.session_state.setdefault("transfer_views", {})
    names = {0: t("transfer.source_domain"), 1: t("transfer.target_domain")}
    columns = st.columns(2)
    for column, strategy, title in ((columns[0], "source-only", "transfer.before"), (columns[1], after, "transfer.after")):
        if (strategy, method) not in cache:
            with st.spinner(t("transfer.projecting")):
                cache[strategy, method] = features.view(result.models[strategy], result.source, result.target, method=method)
        fig = plots.feature_view(cache[strategy, method], names, t(title, strategy=t(f"transfer.s_{strategy}")))
        column.plotly_chart(fig, key=f"transfer_view_{strategy}_{method}")


def show_result(result) -> None:
    config = result.config
    st.success(t("transfer.done", source=domain_label(config.source), target=domain_label(config.target),
                 test=result.target_description, source_accuracy=100 * result.source_accuracy))
    st.dataframe(results_table(result), hide_index=True, key="transfer_table")
    names = {s: t(f"transfer.s_{s}") for s in STRATEGIES} | {"x": t("transfer.axis_k"), "y": t("transfer.axis_accuracy")}
    st.subheader(t("transfer.curve_title"))
    st.plotly_chart(plots.accuracy_vs_k(result.rows, names, len(result.target.y_train), result.target.num_classes),
                    key="transfer_curve")
    show_readout(result)
    if result.adversarial_curve:
        st.subheader(t("transfer.domain_title"))
        st.caption(t("transfer.domain_help"))
        names = {"domain": t("transfer.domain_accuracy"), "target": t("transfer.target_accuracy"), "lambda": "λ",
                 "chance": t("transfer.chance"), "x": t("transfer.axis_step"), "y": t("transfer.axis_accuracy")}
        st.plotly_chart(plots.domain_curve(result.adversarial_curve, names), key="transfer_domain_curve")
    feature_views(result)


st.title(t("transfer.title"))
st.markdown(t("transfer.intro"))
try:
    upload = uploaded_domain()
    config = settings_form(upload)
    if config is not None:
        run_live(config)
    if "transfer_result" in st.session_state:
        show_result(st.session_state["transfer_result"])
except KDLabError as err:
    show_error(err)

"""Knowledge transfer page parts: domain names, the upload box, the live label, the results table
(with the oracle column, labelled as cheating, on request), readout, DANN's domain classifier and
the feature-space views."""
import streamlit as st

from kdcore.errors import KDLabError
from kdcore.paths import data_dir
from kdcore.plots import transfer as plots
from kdcore.transfer import STRATEGIES, domains, features, mnist_m
from kdcore.transfer.readout import readout

from .ui import show_error, t, test_set

PAPER = {"source-only": 52.25, "adversarial": 76.66}  # Ganin & Lempitsky 2015, MNIST → MNIST-M, Table 2


def strategy_name(s: str) -> str:
    return t(f"transfer.s_{s}")


def domain_label(name: str) -> str:
    if domains.is_file(name):
        return t("transfer.uploaded", name=name.rsplit("/", 1)[-1].split("-", 1)[-1])
    if name == domains.MNIST_M:
        return t("transfer.d_mnist-m" if mnist_m.mnist_m_present() else "transfer.d_mnist-m_absent")
    return t(f"transfer.d_{name}")


def mnist_m_hint() -> None:
    """Offline: where the real MNIST-M goes."""
    if not mnist_m.mnist_m_present():
        st.caption(t("transfer.mnist_m_where", where=data_dir() / mnist_m.MNIST_M_FILES[0]))


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


def progress_label(event) -> str:
    if event.phase == "source":
        return t("transfer.progress_source", seed=event.seed)
    if event.phase in STRATEGIES:
        return t("transfer.progress", strategy=strategy_name(event.phase), k=int(event.x or 0), seed=event.seed)
    return t("transfer.progress_data")


def results_table(result, oracle: bool) -> list[dict]:
    rows = []
    for r in result.rows:
        row = {t("transfer.col_strategy"): strategy_name(r["strategy"]), "k": str(r["k"]),
               t("transfer.col_accuracy"): round(100 * r["mean"], 1), "± sd": round(100 * r["sd"], 1),
               t("transfer.col_per_seed"): ", ".join(f"{100 * a:.1f}" for a in r["per_seed"]),
               t("transfer.col_seconds"): round(r["seconds"], 1)}
        if oracle:
            row[t("transfer.col_oracle")] = round(100 * r["oracle_mean"], 1) if "oracle_mean" in r else None
        if result.config.target == domains.MNIST_M:
            row[t("transfer.col_paper")] = PAPER.get(r["strategy"])
        rows.append(row)
    return rows


def show_readout(result) -> None:
    st.subheader(t("transfer.readout"))
    for key, values in readout(result):
        if "strategy" in values:
            values = {**values, "strategy": strategy_name(values["strategy"])}
        st.markdown("- " + t(f"transfer.{key}", **values))
    if result.config.target == domains.MNIST_M and result.row("adversarial", 0) and result.row("source-only", 0):
        st.markdown("- " + t("transfer.read_paper", ours_so=100 * result.row("source-only", 0)["mean"],
                             ours_dann=100 * result.row("adversarial", 0)["mean"], n=len(result.source.y_train),
                             steps=result.config.source_steps))


def domain_chart(curve: list[dict], key: str) -> None:
    names = {"domain": t("transfer.domain_accuracy"), "target": t("transfer.target_accuracy"), "lambda": "λ",
             "chance": t("transfer.chance"), "x": t("transfer.axis_step"), "y": t("transfer.axis_accuracy")}
    st.plotly_chart(plots.domain_curve(curve, names), key=key)


def live_domain(job) -> None:
    """Inside the live panel: DANN's domain classifier so far (first seed)."""
    curve = [{"step": e.step, "domain_accuracy": e.metrics["domain_accuracy"], "eval_accuracy": e.metrics["accuracy"],
              "lambd": e.metrics["lambd"]} for e in list(job.epochs) if "domain_accuracy" in e.metrics]
    if curve:
        domain_chart(curve, "transfer_live_domain")


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
    after = c2.selectbox(t("transfer.after_model"), adapted, key="transfer_after", format_func=strategy_name)
    cache = st.session_state.setdefault("transfer_views", {})
    names = {0: t("transfer.source_domain"), 1: t("transfer.target_domain")}
    for column, strategy, title in zip(st.columns(2), ("source-only", after), ("transfer.before", "transfer.after")):
        if (strategy, method) not in cache:
            with st.spinner(t("transfer.projecting")):
                cache[strategy, method] = features.view(result.models[strategy], result.source, result.target, method=method)
        fig = plots.feature_view(cache[strategy, method], names, t(title, strategy=strategy_name(strategy)))
        column.plotly_chart(fig, key=f"transfer_view_{strategy}_{method}")


def show_result(result, oracle: bool) -> None:
    c = result.config
    st.success(t("transfer.done", source=domain_label(c.source), target=domain_label(c.target),
                 test=test_set(result.target_test), source_accuracy=100 * result.source_accuracy))
    st.caption(t("transfer.recipe", size=c.size, family=c.family, steps=c.source_steps, schedule=c.schedule, lr=c.lr))
    st.dataframe(results_table(result, oracle), hide_index=True, key="transfer_table")
    st.caption(t("transfer.selection_oracle" if oracle else "transfer.selection"))
    names = {s: strategy_name(s) for s in STRATEGIES} | {"x": t("transfer.axis_k"), "y": t("transfer.axis_accuracy")}
    st.subheader(t("transfer.curve_title"))
    st.plotly_chart(plots.accuracy_vs_k(result.rows, names, len(result.target.y_train), result.target.num_classes),
                    key="transfer_curve")
    show_readout(result)
    if result.adversarial_curve:
        st.subheader(t("transfer.domain_title"))
        st.caption(t("transfer.domain_help"))
        domain_chart(result.adversarial_curve, "transfer_domain_curve")
    feature_views(result)

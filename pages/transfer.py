"""Knowledge transfer: source domain → target domain with feature, model and adversarial transfer
against target-only and source-only baselines, run in the background; accuracy vs label budget,
DANN's domain classifier, feature-space views and a plain-language readout. Logic: kdcore.transfer."""
import dataclasses

import streamlit as st

from kdapp import form, keep, live, share
from kdapp import transfer_view as view
from kdapp.share import Setting
from kdapp.ui import device_name, show_error, t
from kdcore.errors import KDLabError
from kdcore.transfer import STRATEGIES, TransferConfig, compare, runner

DEFAULTS = TransferConfig()
SOURCES = ("mnist5k", "digits")
TARGETS = ("digits", "mnist-m", "mnist-m-like", "inverted", "rotated", "mnist5k", "usps", "svhn", "mnist")
K_CHOICES = ("0", "1", "5", "10", "50", "all")
SCHEMA = {
    "source": Setting("transfer_source", str, DEFAULTS.source, choices=SOURCES, label="transfer.source",
                      widget="selectbox", fmt=view.domain_label),
    "target": Setting("transfer_target", str, DEFAULTS.target, choices=TARGETS, label="transfer.target",
                      widget="selectbox", fmt=view.domain_label),
    "align": Setting("transfer_align", bool, DEFAULTS.align, label="transfer.align", widget="checkbox",
                     help="transfer.align_help"),
    "strategies": Setting("transfer_strategies", str, STRATEGIES, choices=STRATEGIES, max_items=len(STRATEGIES),
                          label="transfer.strategies", widget="multiselect", fmt=view.strategy_name),
    "k": Setting("transfer_k", str, ("1", "10"), choices=K_CHOICES, max_items=len(K_CHOICES), label="transfer.k",
                 widget="multiselect", help="transfer.k_help"),
    "seeds": Setting("transfer_seeds", int, 1, 1, 5, label="transfer.seeds", widget="number"),
    "source_steps": Setting("transfer_source_steps", int, 0, choices=(0, 50, 200, 600, 1500, 3000),
                            label="transfer.source_steps", widget="select_slider", help="transfer.source_steps_help",
                            fmt=lambda n: f"{n:,}" if n else t("transfer.recipe_steps")),
    "target_steps": Setting("transfer_target_steps", int, DEFAULTS.target_steps, choices=(10, 50, 100, 150, 300, 600),
                            label="transfer.target_steps", widget="select_slider"),
    "oracle": Setting("transfer_oracle", bool, False, label="transfer.oracle", widget="toggle", help="transfer.oracle_help"),
}
RUN = ("strategies", "k", "seeds", "source_steps", "target_steps")


def settings_form(upload: str | None):
    """(config, strategies, ks, seeds) when the learner pressed Run, else None."""
    busy = live.running("transfer")
    with st.form("transfer_form", border=True):
        c1, c2, c3 = st.columns(3)
        form.widget(SCHEMA["source"], c1, disabled=busy)
        target = SCHEMA["target"]
        form.widget(dataclasses.replace(target, choices=((upload,) if upload else ()) + target.choices), c2,
                    disabled=busy)
        form.widget(SCHEMA["align"], c3, disabled=busy)
        form.widgets(SCHEMA, RUN, columns=3, disabled=busy)
        submitted = st.form_submit_button(t("transfer.run"), type="primary", key="transfer_run", disabled=busy)
    view.mnist_m_hint()
    if not submitted:
        return None
    s = st.session_state
    config = TransferConfig(source=s["transfer_source"], target=s["transfer_target"], align=s["transfer_align"],
                            source_steps=s["transfer_source_steps"] or None, target_steps=s["transfer_target_steps"],
                            device=device_name())
    return config.validate(), list(s["transfer_strategies"]), list(s["transfer_k"]), range(s["transfer_seeds"])


st.title(t("transfer.title"))
st.markdown(t("transfer.intro"))
share.restore("transfer", SCHEMA)
keep.restore("transfer", "transfer_result", runner.from_state)
ended = live.finished("transfer")
if ended is not None and (result := live.report(ended, show_error)) is not None:
    st.session_state["transfer_result"] = result
    st.session_state.pop("transfer_views", None)
    keep.save("transfer", runner.to_state(result))
    if ended.result is None:
        st.info(t("live.stopped"))
try:
    request = settings_form(view.uploaded_domain())
    if request is not None:
        config, names, ks, seeds = request
        live.start("transfer", compare(config, names, ks, seeds), share=("transfer", *request))
except KDLabError as err:
    show_error(err)
form.widget(SCHEMA["oracle"])
share.publish(SCHEMA)
share.link_hint()
live.panel("transfer", view.progress_label, view.live_domain)
if "transfer_result" in st.session_state and not live.running("transfer"):
    view.show_result(st.session_state["transfer_result"], st.session_state["transfer_oracle"])

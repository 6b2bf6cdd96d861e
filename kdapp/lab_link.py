"""Result links for the Lab: a run that finished is published on this server (kdcore.published);
a learner who opens a Lab link whose settings match a published run sees it at once, with a note,
instead of training it again. Their own Train still runs it live."""
import time

import streamlit as st

from kdcore import lab, published
from kdcore.errors import KDLabError

from .ui import t


def publish_run(job, share) -> None:
    """After a run ends: publish it when it finished whole (a stopped run's part is not the run)."""
    if job.result is not None and share is not None and published.publishable(job.result.config):
        published.publish(share, lab.to_state(job.result))


def show_linked(config, load_dataset, kept: int) -> None:
    """Once, on a page opened from a link: add the published run with the link's settings, if any."""
    if not st.session_state.pop("share_linked_lab", False) or not published.publishable(config):
        return
    if any(run.config == config for run in st.session_state.get("lab_runs", [])):
        return  # this learner has that run already
    try:
        config.validate()
        data = load_dataset(config.data.dataset, config.data.subset)
    except KDLabError:
        return  # the learner's Train shows the problem
    found = published.find(("lab", config, data.fingerprint))
    if found is None:
        return
    state, at = found
    st.session_state["lab_data"] = data
    st.session_state["lab_runs"] = [*st.session_state.get("lab_runs", []), lab.from_state(state)][-kept:]
    st.info(t("lab.linked_result", when=time.strftime("%Y-%m-%d %H:%M", time.localtime(at))), icon="🔗")

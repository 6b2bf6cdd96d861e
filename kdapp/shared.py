"""Settings shared across pages, as one typed object in the learner's session: the RunConfig of the
learner's latest Lab run. Other pages (Methods, ...) reuse its data and teacher so the Lab's cached
teacher is reused, without reading another page's widget keys."""
import streamlit as st

from kdcore.config import RunConfig

from .ui import t

KEY = "shared_run"


def remember(config: RunConfig) -> None:
    st.session_state[KEY] = config


def run_config() -> RunConfig:
    """The learner's latest Lab RunConfig, or the defaults before any Lab run."""
    return st.session_state.get(KEY, RunConfig())


def dataset_name(name: str) -> str:
    """A dataset choice in the learner's language (the Lab's names), for every page's dataset box."""
    return t(f"lab.ds_{name.replace('-', '_')}")

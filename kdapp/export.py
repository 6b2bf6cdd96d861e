"""Export buttons: results as CSV, charts as interactive HTML (plotly.js inlined, so it opens
offline) and the trained student's weights.

PNG is rendered by the browser: every chart's toolbar has plotly's camera button, configured here
to save a 2× PNG named after the chart. Server-side PNG would need kaleido and a headless Chrome on
the server, which a classroom laptop may not have, so the app does not offer it.
"""
import io

import pandas as pd
import plotly.graph_objects as go
import streamlit as st
import torch

from .ui import t


def plot_config(name: str) -> dict:
    """plotly config for st.plotly_chart: the camera button downloads `<name>.png` at 2× scale."""
    return {"displaylogo": False, "toImageButtonOptions": {"format": "png", "filename": name, "scale": 2}}


def chart(fig: go.Figure, name: str, key: str) -> None:
    st.plotly_chart(fig, config=plot_config(name), key=key)


def flat(settings: dict, prefix: str = "") -> dict:
    """Nested settings (dataclasses.asdict of a config) as one level of dotted names; a method's
    (name, value) hyper-parameter pairs become method.<name>: {"student": {"epochs": 30}} → {"student.epochs": 30}."""
    out = {}
    for name, value in settings.items():
        if name == "hyper" and isinstance(value, (list, tuple)):
            out.update({f"{prefix}{k}": v for k, v in value})
        elif isinstance(value, dict):
            out.update(flat(value, f"{prefix}{name}."))
        else:
            out[f"{prefix}{name}"] = " ".join(map(str, value)) if isinstance(value, (list, tuple)) else value
    return out


def csv_text(rows: list[dict], settings: dict | None = None) -> str:
    """The rows, each followed by the run's settings (setting.<name> columns), so a file read on its
    own still says what produced it."""
    extra = {f"setting.{k}": v for k, v in flat(settings or {}).items()}
    return pd.DataFrame([{**row, **extra} for row in rows]).to_csv(index=False)


def chart_html(fig: go.Figure) -> str:
    """A standalone page (≈4.8 MB, plotly.js included) that works without a network."""
    return fig.to_html(include_plotlyjs=True, full_html=True)


def weights_bytes(state_dict: dict) -> bytes:
    """A state_dict as `torch.save` bytes: load with torch.load(..., weights_only=True)."""
    buffer = io.BytesIO()
    torch.save({k: v.cpu() for k, v in state_dict.items()}, buffer)
    return buffer.getvalue()


def export_buttons(name: str, key: str, rows: list[dict] | None = None, fig: go.Figure | None = None,
                   weights: dict | None = None, settings: dict | None = None) -> None:
    """A row of download buttons; files are built only when clicked (deferred), nothing reruns.
    `settings` (the run's config as a dict) go into every CSV row."""
    buttons = [(rows, "csv", lambda: csv_text(rows, settings), f"{name}.csv", "text/csv"),
               (fig, "html", lambda: chart_html(fig), f"{name}.html", "text/html"),
               (weights, "weights", lambda: weights_bytes(weights), f"{name}-student.pt", "application/octet-stream")]
    buttons = [b for b in buttons if b[0] is not None]
    row = st.container(horizontal=True)  # buttons sized to their labels, wrapping on narrow screens
    for _, kind, make, file_name, mime in buttons:
        row.download_button(t(f"share.{kind}"), make, file_name=file_name, mime=mime, key=f"{key}_{kind}",
                            on_click="ignore", icon="⬇️")
    if fig is not None:
        st.caption(t("share.png_hint"))

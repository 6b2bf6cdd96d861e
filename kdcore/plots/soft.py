"""Figures for the Soft Labels page: teacher probabilities under T, entropy against T, and the
"dark knowledge" matrix. Inputs are tensors already computed by kdcore.soft."""
import math

import plotly.graph_objects as go
import torch
from plotly.subplots import make_subplots

from .lab import COLOURS, LAYOUT

HARD_LABEL = "#2a9d55"  # the true class's bar


def probability_bars(probs: torch.Tensor, labels: list[int], classes, titles: list[str], names: dict,
                     log_scale: bool = False) -> go.Figure:
    """One small bar chart per image, side by side. probs: (B, C) softened teacher probabilities;
    labels: true class per image (its bar is drawn in green). names: "y" axis title, "true" hover text."""
    fig = make_subplots(rows=1, cols=len(labels), subplot_titles=titles, shared_yaxes=True, horizontal_spacing=0.02)
    for i, (row, label) in enumerate(zip(probs.tolist(), labels), start=1):
        colours = [HARD_LABEL if c == label else COLOURS["kd"] for c in range(len(classes))]
        fig.add_trace(go.Bar(x=list(classes), y=row, marker_color=colours, showlegend=False,
                             hovertemplate="%{x}: %{y:.4f}<extra></extra>"), row=1, col=i)
    y_axis = dict(type="log", range=[-6, 0.05]) if log_scale else dict(range=[0, 1.02])
    fig.update_yaxes(**y_axis)
    fig.update_yaxes(title_text=names["y"], row=1, col=1)
    fig.update_xaxes(tickfont=dict(size=9), dtick=1)
    fig.update_layout(**{**LAYOUT, "height": 260, "margin": dict(l=50, r=10, t=30, b=30)})
    return fig


def entropy_figure(temperatures: list[float], series: dict[str, list[float]], current_t: float, num_classes: int,
                   names: dict) -> go.Figure:
    """Mean entropy (bits) against T on a log axis, one line per series, the current T marked and
    the maximum log2(C) (uniform distribution) drawn as a dotted line."""
    fig = go.Figure()
    for (label, values), colour in zip(series.items(), (COLOURS["kd"], COLOURS["teacher"])):
        fig.add_trace(go.Scatter(x=temperatures, y=values, name=label, mode="lines", line=dict(color=colour)))
    fig.add_hline(y=math.log2(num_classes), line_dash="dot", line_color="#999",
                  annotation_text=names["uniform"], annotation_position="bottom right")
    fig.add_vline(x=current_t, line_color=COLOURS["baseline"], annotation_text=f"T = {current_t:g}")
    fig.update_layout(xaxis_type="log", xaxis_title="T", yaxis_title=names["y"], **{**LAYOUT, "height": 320})
    return fig


def similarity_heatmap(matrix: torch.Tensor, classes, names: dict) -> go.Figure:
    """The (C, C) dark-knowledge matrix. The colour scale ignores the diagonal (mostly the true
    class) so the look-alikes stand out; every cell shows its percentage."""
    values = (100 * matrix).tolist()
    off_diagonal = [[None if i == j else v for j, v in enumerate(row)] for i, row in enumerate(values)]
    text = [[f"{v:.1f}" if v >= 0.05 else "" for v in row] for row in values]
    fig = go.Figure(go.Heatmap(z=off_diagonal, x=list(classes), y=list(classes), text=text, texttemplate="%{text}",
                               colorscale="Blues", colorbar=dict(title="%"),
                               hovertemplate=names["hover"] + "<extra></extra>"))
    fig.update_layout(xaxis_title=names["x"], yaxis_title=names["y"], yaxis_autorange="reversed",
                      xaxis=dict(dtick=1, side="top"), yaxis=dict(dtick=1),
                      **{**LAYOUT, "height": 460, "margin": dict(l=60, r=20, t=60, b=20)})
    return fig

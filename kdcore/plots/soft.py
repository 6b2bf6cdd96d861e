"""Figures for the Soft Labels page: teacher probabilities under T, entropy against T, and the
"dark knowledge" matrix. Inputs are tensors already computed by kdcore.soft.

These figures are rebuilt on every move of the T slider, so they are assembled from plain layout
dicts (manual subplot domains, shapes instead of add_hline, no template: the app's theme styles
them): plotly's make_subplots and templates alone would cost more than the 100 ms budget.
"""
import math

import plotly.graph_objects as go
import torch

from .lab import COLOURS, LAYOUT

HARD_LABEL = "#2a9d55"  # the true class's bar
FAST_LAYOUT = {k: v for k, v in LAYOUT.items() if k != "template"}


def _line(axis: str, value: float, colour: str, dash: str, text: str, log_axis: bool = False) -> tuple[dict, dict]:
    """A full-width (axis="y") or full-height (axis="x") reference line and its label."""
    other = "x" if axis == "y" else "y"
    shape = {"type": "line", f"{axis}0": value, f"{axis}1": value, f"{other}0": 0, f"{other}1": 1,
             f"{other}ref": "paper", "line": {"color": colour, "dash": dash, "width": 1.5}}
    label = {axis: math.log10(value) if log_axis else value, other: 1 if axis == "x" else 0.98,  # annotations take log10 on log axes
             f"{other}ref": "paper", "text": text, "showarrow": False,
             "xanchor": "left" if axis == "x" else "right", "yanchor": "bottom" if axis == "x" else "top",
             "font": {"color": colour}}
    return shape, label


def probability_bars(probs: torch.Tensor, labels: list[int], classes, titles: list[str], names: dict,
                     log_scale: bool = False) -> go.Figure:
    """One small bar chart per image, side by side. probs: (B, C) softened teacher probabilities;
    labels: true class per image (its bar is drawn in green). names: "y" axis title."""
    count, gap = len(labels), 0.03
    width = (1 - gap * (count - 1)) / count
    y_axis = {"type": "log", "range": [-6, 0.05]} if log_scale else {"range": [0, 1.02]}
    data, layout = [], {"yaxis": {**y_axis, "title": {"text": names["y"]}}, "annotations": [], "showlegend": False}
    for i, (row, label) in enumerate(zip(probs.tolist(), labels)):
        axis = "" if i == 0 else str(i + 1)
        start = i * (width + gap)
        data.append({"type": "bar", "x": list(classes), "y": row, "xaxis": f"x{axis}", "yaxis": "y",
                     "marker": {"color": [HARD_LABEL if c == label else COLOURS["kd"] for c in range(len(classes))]},
                     "hovertemplate": "%{x}: %{y:.4f}<extra></extra>"})
        layout[f"xaxis{axis}"] = {"domain": [start, start + width], "dtick": 1, "tickfont": {"size": 9}}
        layout["annotations"].append({"text": titles[i], "x": start + width / 2, "y": 1.0, "xref": "paper",
                                      "yref": "paper", "yanchor": "bottom", "showarrow": False})
    return go.Figure(data=data, layout={**FAST_LAYOUT, **layout, "height": 260,
                                        "margin": {"l": 50, "r": 10, "t": 30, "b": 30}})


def log_ticks(values) -> dict:
    """Ticks of a log axis at 1, 2, 5 × 10^k within the values' range, written as plain numbers
    (plotly's own minor labels read "5 1 2 5 10 2" and drop the ends)."""
    low, high = min(values), max(values)
    ticks = [m * 10.0 ** k for k in range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
             for m in (1, 2, 5) if low * 0.999 <= m * 10.0 ** k <= high * 1.001]
    return {"tickvals": ticks, "ticktext": [f"{v:g}" for v in ticks]}


def entropy_figure(temperatures: list[float], series: dict[str, list[float]], current_t: float, num_classes: int,
                   names: dict) -> go.Figure:
    """Mean entropy (bits) against T on a log axis, one line per series, the current T marked and
    the maximum log2(C) (uniform distribution) drawn as a dotted line."""
    data = [{"type": "scatter", "mode": "lines", "x": temperatures, "y": values, "name": label, "line": {"color": colour}}
            for (label, values), colour in zip(series.items(), (COLOURS["kd"], COLOURS["teacher"]))]
    uniform, uniform_label = _line("y", math.log2(num_classes), "#999", "dot", names["uniform"])
    current, current_label = _line("x", current_t, COLOURS["baseline"], "solid", f"T = {current_t:g}", log_axis=True)
    layout = {**FAST_LAYOUT, "height": 320, "shapes": [uniform, current], "annotations": [uniform_label, current_label],
              "xaxis": {"type": "log", "title": {"text": "T"}, **log_ticks(temperatures)}, "yaxis": {"title": {"text": names["y"]}}}
    return go.Figure(data=data, layout=layout)


def similarity_heatmap(matrix: torch.Tensor, classes, names: dict) -> go.Figure:
    """The (C, C) dark-knowledge matrix. The colour scale ignores the diagonal (mostly the true
    class) so the look-alikes stand out; every cell shows its percentage."""
    values = (100 * matrix).tolist()
    off_diagonal = [[None if i == j else v for j, v in enumerate(row)] for i, row in enumerate(values)]
    text = [[f"{v:.1f}" if v >= 0.05 else "" for v in row] for row in values]
    heatmap = {"type": "heatmap", "z": off_diagonal, "x": list(classes), "y": list(classes), "text": text,
               "texttemplate": "%{text}", "colorscale": "Blues", "colorbar": {"title": {"text": "%"}},
               "hovertemplate": names["hover"] + "<extra></extra>"}
    layout = {**FAST_LAYOUT, "height": 460, "margin": {"l": 60, "r": 20, "t": 60, "b": 20},
              "xaxis": {"title": {"text": names["x"]}, "dtick": 1, "side": "top"},
              "yaxis": {"title": {"text": names["y"]}, "dtick": 1, "autorange": "reversed"}}
    return go.Figure(data=[heatmap], layout=layout)

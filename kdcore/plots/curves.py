"""Figures for the Transfer Curves page: sweep curves with an error band (mean ± sd over seeds) and
the omitted-class experiment."""
import plotly.graph_objects as go

from .lab import COLOURS, LAYOUT


def _band(fig: go.Figure, points: list[dict], name: str, colour: str) -> None:
    """Mean line with markers and a shaded ±1 sd band; y in percent."""
    xs = [p["x"] for p in points]
    upper = [100 * (p["mean"] + p["sd"]) for p in points]
    lower = [100 * (p["mean"] - p["sd"]) for p in points]
    fig.add_trace(go.Scatter(x=xs + xs[::-1], y=upper + lower[::-1], fill="toself", fillcolor=colour, opacity=0.2,
                             line=dict(width=0), hoverinfo="skip", showlegend=False, legendgroup=name))
    fig.add_trace(go.Scatter(x=xs, y=[100 * p["mean"] for p in points], name=name, legendgroup=name,
                             mode="lines+markers", line=dict(color=colour),
                             error_y=dict(type="data", array=[100 * p["sd"] for p in points], visible=False),
                             customdata=[len(p["per_seed"]) for p in points],
                             hovertemplate="%{x:g}: %{y:.2f}% (n = %{customdata})<extra></extra>"))


def sweep_figure(points: list[dict], baseline_points: list[dict], teacher_accuracy: float | None, names: dict,
                 log_x: bool) -> go.Figure:
    """Test accuracy (%) against the swept setting for the KD and hard-label students, mean ± sd."""
    fig = go.Figure()
    if baseline_points:
        _band(fig, baseline_points, names["baseline"], COLOURS["baseline"])
    if points:
        _band(fig, points, names["kd"], COLOURS["kd"])
    if teacher_accuracy is not None:
        fig.add_hline(y=100 * teacher_accuracy, line_dash="dot", line_color=COLOURS["teacher"],
                      annotation_text=names["teacher"], annotation_position="bottom right")
    fig.update_layout(xaxis_title=names["x"], yaxis_title=names["y"], xaxis_type="log" if log_x else "linear", **LAYOUT)
    xs = sorted({p["x"] for p in points + baseline_points})
    fig.update_xaxes(tickvals=xs, ticktext=[f"{x:g}" for x in xs])  # the swept values, as numbers, on any axis
    return fig


def omit_figure(result: dict, names: dict) -> go.Figure:
    """Accuracy (%) on the omitted digit's test images: hard-label vs KD student, before and after
    the bias correction."""
    fig = go.Figure()
    for phase in ("hard", "kd"):
        values = [100 * result[f"{phase}_accuracy_on_digit"], 100 * result[f"{phase}_accuracy_on_digit_bias_corrected"]]
        fig.add_trace(go.Bar(x=[names["raw"], names["corrected"]], y=values, name=names[phase],
                             marker_color=COLOURS["baseline" if phase == "hard" else "kd"],
                             text=[f"{v:.1f}%" for v in values], textposition="outside"))
    fig.update_layout(barmode="group", yaxis_title=names["y"], yaxis_range=[0, 110], **LAYOUT)
    return fig

"""Figures for the Methods page: test accuracy per method (mean ± sd over seeds) and time per run."""
import plotly.graph_objects as go

BASELINE_COLOUR, METHOD_COLOUR, TIME_COLOUR = "#e8793a", "#2a7bd4", "#6c757d"
LAYOUT = dict(template="plotly_white", height=380, margin=dict(l=60, r=20, t=50, b=90), showlegend=False)


def accuracy_bars(rows: list[dict], names: dict, title: str, axis: str) -> go.Figure:
    """rows: comparison rows (method, mean, sd, ...), baseline first; names: method → label.
    Bars in %, error bars ± one sd, the y range zoomed on the bars so differences are visible."""
    means = [100 * row["mean"] for row in rows]
    sds = [100 * row["sd"] for row in rows]
    low = max(0.0, min(m - s for m, s in zip(means, sds)) - 5)
    high = min(100.0, max(m + s for m, s in zip(means, sds)) + 2)
    fig = go.Figure(go.Bar(
        x=[names[row["method"]] for row in rows], y=means, error_y=dict(type="data", array=sds, visible=True),
        marker_color=[BASELINE_COLOUR if row["method"] == "hard" else METHOD_COLOUR for row in rows],
        text=[f"{m:.1f}" for m in means], textposition="outside", cliponaxis=False))
    fig.update_layout(title=title, yaxis_title=axis, yaxis_range=[low, high], **LAYOUT)
    return fig


def time_bars(rows: list[dict], names: dict, title: str, axis: str) -> go.Figure:
    """Mean wall-clock seconds per run of each method."""
    fig = go.Figure(go.Bar(x=[names[row["method"]] for row in rows], y=[row["seconds"] for row in rows],
                           marker_color=TIME_COLOUR, text=[f"{row['seconds']:.1f}" for row in rows],
                           textposition="outside", cliponaxis=False))
    fig.update_layout(title=title, yaxis_title=axis, **{**LAYOUT, "height": 300})
    return fig

"""Figures for the Knowledge Transfer page: target accuracy against the label budget k (mean ± sd
over seeds), the DANN domain classifier over training, and 2-D feature views."""
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from .curves import _band
from .lab import LAYOUT

COLOURS = {"source-only": "#6c757d", "target-only": "#e8793a", "feature": "#2ca02c", "model": "#2a7bd4",
           "adversarial": "#9467bd"}
DOMAIN_COLOURS = ("#2a7bd4", "#e8793a")  # source, target


def k_axis_value(k, target_train_size: int, classes: int) -> float:
    """Where k sits on the log x axis; 'all' at the mean number of target images per class."""
    return target_train_size / classes if k == "all" else float(k)


def accuracy_vs_k(rows: list[dict], names: dict, target_train_size: int, classes: int) -> go.Figure:
    """One band per strategy trained with labels; label-free strategies (k = 0) as flat bands across the k range."""
    fig = go.Figure()
    labelled = [r for r in rows if r["k"] != 0]
    xs = sorted({k_axis_value(r["k"], target_train_size, classes) for r in labelled}) or [1.0]
    for strategy in dict.fromkeys(r["strategy"] for r in rows):
        own = [r for r in rows if r["strategy"] == strategy]
        if own[0]["k"] == 0:
            points = [{**own[0], "x": x} for x in (xs[0], xs[-1])]
        else:
            points = sorted(({**r, "x": k_axis_value(r["k"], target_train_size, classes)} for r in own),
                            key=lambda p: p["x"])
        _band(fig, points, names[strategy], COLOURS[strategy])
    fig.update_layout(xaxis_title=names["x"], yaxis_title=names["y"], xaxis_type="log", **LAYOUT)
    return fig


def domain_curve(curve: list[dict], names: dict) -> go.Figure:
    """DANN: domain-classifier accuracy on training batches (→ 50 % when features stop telling the
    domains apart), target test accuracy, and λ, over training steps."""
    fig = make_subplots(specs=[[{"secondary_y": True}]])
    steps = [c["step"] for c in curve]
    fig.add_trace(go.Scatter(x=steps, y=[100 * c["domain_accuracy"] for c in curve], name=names["domain"],
                             mode="lines+markers", line=dict(color=COLOURS["adversarial"])))
    fig.add_trace(go.Scatter(x=steps, y=[100 * c["eval_accuracy"] for c in curve], name=names["target"],
                             mode="lines+markers", line=dict(color=COLOURS["model"])))
    fig.add_trace(go.Scatter(x=steps, y=[c["lambd"] for c in curve], name=names["lambda"], mode="lines",
                             line=dict(color=COLOURS["source-only"], dash="dot")), secondary_y=True)
    fig.add_hline(y=50, line_dash="dash", line_color="#999", annotation_text=names["chance"])
    fig.update_layout(xaxis_title=names["x"], yaxis_title=names["y"], **LAYOUT)
    fig.update_yaxes(title_text="λ", range=[0, 1.05], secondary_y=True)
    return fig


def feature_view(view: dict, names: dict, title: str) -> go.Figure:
    """Scatter of a 2-D projection: colour = domain, hover = digit label."""
    fig = go.Figure()
    for domain, colour in enumerate(DOMAIN_COLOURS):
        mask = view["domain"] == domain
        xy, labels = view["xy"][mask], view["label"][mask]
        fig.add_trace(go.Scatter(x=xy[:, 0].tolist(), y=xy[:, 1].tolist(), mode="markers", name=names[domain],
                                 marker=dict(color=colour, size=5, opacity=0.6), text=[str(v) for v in labels],
                                 hovertemplate="%{text}<extra></extra>"))
    fig.update_layout(title=title, xaxis=dict(showticklabels=False), yaxis=dict(showticklabels=False),
                      **{**LAYOUT, "height": 380})
    return fig

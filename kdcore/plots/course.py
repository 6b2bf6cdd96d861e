"""Figures for the course's live widgets (kdcore.toys computes what they show). Labels arrive translated."""
import plotly.graph_objects as go

from .lab import COLOURS, LAYOUT

SMALL = {**LAYOUT, "height": 320, "margin": {"l": 55, "r": 15, "t": 60, "b": 45},
         "legend": {"orientation": "h", "yanchor": "bottom", "y": 1.02, "x": 0}}
CLASS_COLOURS = ("#2a7bd4", "#e8793a")


def gradient_figure(temperatures, norms: dict, current: float, names: dict) -> go.Figure:
    """Size of the soft term's gradient against T (log–log), without and with the T² factor."""
    fig = go.Figure([go.Scatter(x=list(temperatures), y=norms["plain"], name=names["plain"], mode="lines",
                                line={"color": COLOURS["baseline"]}),
                     go.Scatter(x=list(temperatures), y=norms["scaled"], name=names["scaled"], mode="lines",
                                line={"color": COLOURS["kd"]})])
    fig.add_vline(x=current, line={"color": "#999", "dash": "dot"})
    fig.update_layout(**SMALL, xaxis={"type": "log", "title": "T", "tickvals": [1, 2, 5, 10, 20], "ticktext": ["1", "2", "5", "10", "20"]},
                      yaxis={"type": "log", "title": names["y"], "dtick": 1, "exponentformat": "power"})
    return fig


def reversal_figure(points: dict, boundaries: dict, names: dict) -> go.Figure:
    """The 2-D toy: source (circles) and target (crosses) points coloured by class, and one label
    boundary w·x + c = 0 per entry of `boundaries` {legend name: (w, c, dash)}."""
    fig = go.Figure()
    for domain, symbol in (("source", "circle"), ("target", "x")):
        for label in (0, 1):
            chosen = points[domain][points["y"] == label]
            fig.add_trace(go.Scatter(x=chosen[:, 0].tolist(), y=chosen[:, 1].tolist(), mode="markers",
                                     name=f"{names[domain]} · {names['class']} {label}", opacity=0.65,
                                     marker={"symbol": symbol, "size": 6, "color": CLASS_COLOURS[label]}))
    xs = [-3.5, 3.5]
    for name, (w, c, dash) in boundaries.items():
        if abs(w[1]) > 1e-9:  # y = −(w0 x + c) / w1
            fig.add_trace(go.Scatter(x=xs, y=[-(w[0] * x + c) / w[1] for x in xs], mode="lines", name=name,
                                     line={"color": "#333", "dash": dash}))
        else:
            fig.add_vline(x=-c / w[0], line={"color": "#333", "dash": dash})
    fig.update_layout(**{**SMALL, "height": 460, "margin": {**SMALL["margin"], "t": 80}},
                      xaxis={"range": [-3.5, 3.5], "zeroline": False, "title": "x₁"},
                      yaxis={"range": [-3.5, 6.5], "zeroline": False, "title": "x₂"})
    return fig


def kl_figure(fit: dict, names: dict) -> go.Figure:
    """The two-mode teacher density and the best single Gaussian under forward and reverse KL."""
    fig = go.Figure([go.Scatter(x=fit["x"], y=fit["teacher"], name=names["teacher"], fill="tozeroy",
                                line={"color": COLOURS["teacher"]}),
                     go.Scatter(x=fit["x"], y=fit["forward"]["density"], name=names["forward"],
                                line={"color": COLOURS["kd"], "width": 3}),
                     go.Scatter(x=fit["x"], y=fit["reverse"]["density"], name=names["reverse"],
                                line={"color": COLOURS["baseline"], "width": 3, "dash": "dash"})])
    fig.update_layout(**SMALL, xaxis={"title": names["x"]}, yaxis={"title": names["y"], "rangemode": "tozero"})
    return fig

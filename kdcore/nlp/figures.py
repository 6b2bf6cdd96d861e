"""Plotly figures for the NLP page: validation bpc curves and next-character distributions.
Values are passed as plain lists so tests can read them back from the figure's JSON."""
import plotly.graph_objects as go

COLOURS = {"teacher": "#1f77b4", "scratch": "#7f7f7f", "forward-kl": "#d62728", "reverse-kl": "#2ca02c",
           "sequence": "#9467bd"}


def visible(character: str) -> str:
    """A bar label a learner can read: space, newline and tab get symbols."""
    return {" ": "␣", "\n": "↵", "\t": "⇥"}.get(character, character if character.isprintable() else repr(character)[1:-1])


def bpc_curves(curves: dict, labels: dict, x_title: str, y_title: str) -> go.Figure:
    """curves: phase → [(step, seconds, val_bpc), ...]; labels: phase → legend text. The student from scratch,
    the baseline, is dashed and drawn last, so it stays visible where a distilled student's curve lies on it."""
    figure = go.Figure()
    for phase, points in sorted(curves.items(), key=lambda item: item[0] == "scratch"):
        figure.add_trace(go.Scatter(x=[p[0] for p in points], y=[p[2] for p in points], mode="lines+markers",
                                    name=labels[phase], line={"color": COLOURS.get(phase),
                                                              "dash": "dash" if phase == "scratch" else "solid"}))
    figure.update_layout(xaxis_title=x_title, yaxis_title=y_title, height=360, margin={"t": 30, "b": 40},
                         legend={"orientation": "h", "y": 1.12})
    return figure


def next_char_bars(characters: list, probabilities: dict, labels: dict, y_title: str) -> go.Figure:
    """Grouped bars: for each shown character, every model's probability. probabilities: phase → list."""
    shown = [visible(ch) for ch in characters]
    figure = go.Figure()
    for phase, values in probabilities.items():
        figure.add_trace(go.Bar(x=shown, y=[float(v) for v in values], name=labels[phase],
                                marker_color=COLOURS.get(phase)))
    figure.update_layout(barmode="group", yaxis_title=y_title, yaxis_rangemode="tozero", height=340,
                         margin={"t": 30, "b": 40}, legend={"orientation": "h", "y": 1.15})
    return figure

"""Figures for the Distillation Lab: live learning curves and the teacher's soft labels."""
import plotly.graph_objects as go
import torch

from . import whole_ticks

COLOURS = {"teacher": "#6c757d", "baseline": "#e8793a", "kd": "#2a7bd4"}
LAYOUT = dict(template="plotly_white", height=380, margin=dict(l=50, r=20, t=50, b=40),
              legend=dict(orientation="h", yanchor="top", y=-0.18, x=0))


def learning_curves(rows: list[dict], names: dict, title: str, axis: dict) -> go.Figure:
    """Held-out accuracy (%) per epoch from learning-curve rows {phase, seed, epoch, accuracy}
    (kdcore.events.curve_row): the teacher dotted, each student seed a line. names maps phase →
    legend label; axis has "x" and "y" titles."""
    fig = go.Figure()
    teacher = [r for r in rows if r["phase"] == "teacher"]
    if teacher:
        fig.add_trace(go.Scatter(x=[r["epoch"] for r in teacher], y=[100 * r["accuracy"] for r in teacher],
                                 name=names["teacher"], mode="lines+markers", line=dict(color=COLOURS["teacher"], dash="dot")))
    student_curves = [r for r in rows if r["phase"] != "teacher"]
    seeds = sorted({r["seed"] for r in student_curves})
    for phase in ("baseline", "kd"):
        for seed in seeds:
            rows = [r for r in student_curves if r["phase"] == phase and r["seed"] == seed]
            if rows:
                fig.add_trace(go.Scatter(x=[r["epoch"] for r in rows], y=[100 * r["accuracy"] for r in rows],
                                         name=names[phase], legendgroup=phase, showlegend=seed == seeds[0],
                                         mode="lines", line=dict(color=COLOURS[phase])))
    epochs = [r["epoch"] for r in rows + teacher + student_curves]
    fig.update_layout(title=title, xaxis_title=axis["x"], yaxis_title=axis["y"], **LAYOUT)
    fig.update_xaxes(**whole_ticks(max(epochs, default=1)))
    return fig


def soft_label_bars(teacher_logits: torch.Tensor, temperature: float, classes, names: dict, title: str) -> go.Figure:
    """One image's teacher probabilities at T = 1 and at the chosen T, side by side. logits: (C,)."""
    fig = go.Figure()
    for T, colour in ((1.0, COLOURS["teacher"]), (temperature, COLOURS["kd"])):
        probs = torch.softmax(teacher_logits / T, dim=0)
        fig.add_trace(go.Bar(x=list(classes), y=probs.tolist(), name=names["T"].format(T=T), marker_color=colour))
    fig.update_layout(title=title, barmode="group", yaxis_title=names["y"], yaxis_range=[0, 1],
                      **{**LAYOUT, "height": 280})
    return fig

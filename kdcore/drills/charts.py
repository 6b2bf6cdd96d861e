"""Plotly figures for the drill pages. Inputs are plain lists/dicts (values as Python lists so the
figure JSON stays readable in tests); titles and labels come translated from the caller."""
import plotly.graph_objects as go

from ..plots import day_ticks, whole_ticks

LAYOUT = dict(height=320, margin=dict(l=10, r=10, t=50, b=10), template="plotly_white")


def topic_scores_figure(scores: dict[str, float], names: dict[str, str], title: str) -> go.Figure:
    """Mean score (0..1) per topic as horizontal bars."""
    topics = list(scores)
    fig = go.Figure(go.Bar(x=[round(scores[k] * 100, 1) for k in topics], y=[names[k] for k in topics],
                           orientation="h", marker_color="#4c78a8", text=[f"{scores[k]:.0%}" for k in topics]))
    fig.update_layout(title=title, xaxis=dict(range=[0, 100], ticksuffix=" %"),
                      **{**LAYOUT, "height": 110 + 36 * len(topics)})  # bars of one thickness, however many
    fig.update_traces(width=0.6)
    return fig


def mastery_figure(rows: list[dict], names: dict[str, str], labels: dict[str, str]) -> go.Figure:
    """Per topic: FSRS retention of seen cards (bars, %) and cards due now (markers, right axis)."""
    y = [names[r["topic"]] for r in rows]
    fig = go.Figure()
    fig.add_bar(x=y, y=[None if r["retention"] is None else round(r["retention"] * 100, 1) for r in rows],
                name=labels["retention"], marker_color="#59a14f")
    fig.add_scatter(x=y, y=[r["due"] for r in rows], name=labels["due"], mode="markers", yaxis="y2",
                    marker=dict(size=12, color="#e15759", symbol="diamond"))
    fig.update_layout(title=labels["title"], yaxis=dict(title=labels["retention"], range=[0, 100]),
                      yaxis2=dict(title=labels["due"], overlaying="y", side="right", rangemode="tozero",
                                  **whole_ticks(max((r["due"] for r in rows), default=1))),
                      legend=dict(orientation="h", y=-0.25), **LAYOUT)
    return fig


def history_figure(days: list[dict], labels: dict[str, str]) -> go.Figure:
    """Answers per day (bars) and mean score per day (line, right axis)."""
    x = [d["day"] for d in days]
    fig = go.Figure()
    fig.add_bar(x=x, y=[d["answers"] for d in days], name=labels["answers"], marker_color="#4c78a8")
    fig.add_scatter(x=x, y=[round(d["mean_score"] * 100, 1) for d in days], name=labels["score"], yaxis="y2",
                    mode="lines+markers", line=dict(color="#f28e2b"))
    fig.update_layout(title=labels["title"], xaxis=day_ticks(x) if x else {},
                      yaxis=dict(title=labels["answers"], rangemode="tozero",
                                 **whole_ticks(max((d["answers"] for d in days), default=1))),
                      yaxis2=dict(title=labels["score"], overlaying="y", side="right", range=[0, 100]),
                      legend=dict(orientation="h", y=-0.25), **LAYOUT)
    return fig


def scores_figure(scores: list[dict], title: str, label: str) -> go.Figure:
    """Mock-interview (or coding) results over time, as % of the maximum."""
    fig = go.Figure(go.Scatter(x=[s["at"][:16].replace("T", " ") for s in scores],
                               y=[round(100 * s["score"] / s["total"], 1) if s["total"] else 0 for s in scores],
                               mode="lines+markers", name=label))
    fig.update_layout(title=title, yaxis=dict(title=label, range=[0, 105]), **LAYOUT)
    return fig


def retention_forecast_figure(rows: list[dict], target: float, labels: dict[str, str]) -> go.Figure:
    """Predicted recall (%) of the reviewed cards over the coming days, with the scheduler's target (0..1)."""
    fig = go.Figure(go.Scatter(x=[r["day"] for r in rows], y=[round(100 * r["retention"], 1) for r in rows],
                               mode="lines+markers", name=labels["retention"], line=dict(color="#59a14f")))
    fig.add_hline(y=100 * target, line_dash="dot", annotation_text=labels["target"])
    fig.update_layout(title=labels["title"], yaxis=dict(title=labels["retention"], range=[0, 100]), **LAYOUT)
    return fig


def class_mastery_figure(topics: list[dict], names: dict[str, str], labels: dict[str, str]) -> go.Figure:
    """Per topic: the class's mean retention (horizontal bars, %), each labelled with the number of learners
    it is the mean of (dashboard.class_overview's "topics" rows)."""
    fig = go.Figure(go.Bar(x=[None if r["mean"] is None else round(r["mean"] * 100, 1) for r in topics],
                           y=[names[r["topic"]] for r in topics], orientation="h", marker_color="#59a14f",
                           text=[labels["learners"].format(n=r["learners"]) for r in topics], textposition="outside",
                           cliponaxis=False, name=labels["retention"]))
    fig.update_layout(title=labels["title"], xaxis=dict(title=labels["retention"], range=[0, 115]),
                      yaxis=dict(autorange="reversed"), **{**LAYOUT, "height": 110 + 36 * len(topics)})
    return fig


def quiz_figure(options: list[str], counts: list[int], answer: int | None, title: str) -> go.Figure:
    """Answers per option of a class quiz as horizontal bars; once `answer` is revealed its bar turns green."""
    colors = ["#59a14f" if i == answer else ("#bab0ac" if answer is not None else "#4c78a8") for i in range(len(options))]
    fig = go.Figure(go.Bar(x=counts, y=options, orientation="h", marker_color=colors, text=counts))
    fig.update_layout(title=title, xaxis=dict(rangemode="tozero", **whole_ticks(max(counts, default=1) or 1)),
                      yaxis=dict(autorange="reversed"), **{**LAYOUT, "height": 110 + 48 * len(options)})
    return fig

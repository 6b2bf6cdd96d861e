"""Plotly figure builders, one module per page. They take data and already-translated labels and
return figures; they never import Streamlit."""
import math
from datetime import date


def whole_ticks(high: float, most: int = 10) -> dict:
    """Axis settings for whole numbers (epochs, counts) from 0 or 1 up to `high`: a step of 1, 2, 5, 10, …
    so at most `most` ticks, each a whole number (never 1.5 epochs or 3.74 answers)."""
    steps = (m * 10 ** k for k in range(12) for m in (1, 2, 5))
    return {"dtick": next(s for s in steps if high / s <= most), "tickformat": "d"}


def day_ticks(days: list[str]) -> dict:
    """A date axis of whole days ("2026-12-03" strings): ticks on days only, written "Dec 3", and at
    least a week wide, so one or two days of data never show hours like 23:59:59.9996."""
    first, last = date.fromisoformat(min(days)), date.fromisoformat(max(days))
    span = max(7, (last - first).days + 1)
    pad = (span - (last - first).days) / 2
    return {"type": "date", "tickformat": "%b %-d", "dtick": 86_400_000 * math.ceil(span / 10),
            "range": [f"{date.fromordinal(first.toordinal() - math.ceil(pad))}",
                      f"{date.fromordinal(last.toordinal() + math.ceil(pad))}"]}

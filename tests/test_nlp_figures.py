"""The NLP page's bpc chart: every model's curve, values as given; the baseline (student from scratch)
is dashed and drawn on top, so a distilled student's curve lying on it cannot hide it."""
from kdcore.nlp.figures import bpc_curves


def test_the_scratch_curve_is_dashed_and_drawn_last_with_every_value_kept():
    curves = {"teacher": [(2, 0.1, 6.1), (4, 0.2, 5.8)], "scratch": [(2, 0.1, 6.3), (4, 0.2, 6.2)],
              "forward-kl": [(2, 0.1, 6.3), (4, 0.2, 6.2)]}
    figure = bpc_curves(curves, {p: p.upper() for p in curves}, "step", "bpc")
    names = [trace.name for trace in figure.data]
    assert names == ["TEACHER", "FORWARD-KL", "SCRATCH"]
    assert [trace.line.dash for trace in figure.data] == ["solid", "solid", "dash"]
    assert list(figure.data[2].y) == [6.3, 6.2] and list(figure.data[0].x) == [2, 4]

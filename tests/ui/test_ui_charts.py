"""The plotly figure builders are pure functions: check what they draw, in both decimal conventions."""

from __future__ import annotations

from assessment import load_criteria, score
from services.catalog import CRITERIA_DIR, DEFAULT_CRITERIA
from ui.charts.results import dimension_bars, fmt, projection_bars, score_gauge

CRITERIA = load_criteria(CRITERIA_DIR / DEFAULT_CRITERIA)


def _report():
    return score(CRITERIA, [], products=["A", "B"])


def test_fmt_uses_the_readers_decimal_mark():
    assert fmt(1234.5) == "1,234.50"
    assert fmt(1234.5, ",") == "1.234,50"
    assert fmt(54.8249, ",") == "54,82"


def test_dimension_bars_label_every_dimension_outside_the_bar():
    report = _report()
    fig = dimension_bars(report, earned_label="Diperoleh", lost_label="Hilang", decimal=",")
    earned, lost = fig.data
    assert list(earned.y) == [d.title for d in report.dimensions]
    assert (earned.name, lost.name) == ("Diperoleh", "Hilang")
    assert list(lost.text) == [f"0,00 / {fmt(d.max, ',')}" for d in report.dimensions]
    assert lost.textposition == "outside"
    assert fig.layout.separators == ",."
    assert fig.layout.xaxis.range[1] > max(d.max for d in report.dimensions)


def test_score_gauge_shows_the_bands_and_both_ends_of_the_scale():
    fig = score_gauge(54.82, 100, CRITERIA.bands, decimal=",")
    gauge = fig.data[0]
    assert gauge.value == 54.82
    bands = sorted(CRITERIA.bands, key=lambda b: b.min)
    assert [tuple(s.range) for s in gauge.gauge.steps] == [(b.min, b.max) for b in bands]
    assert gauge.gauge.axis.tickvals[0] == 0 and gauge.gauge.axis.tickvals[-1] == 100
    assert fig.layout.separators == ",."
    assert fig.layout.margin.r >= 40  # "100" is not cut off in a narrow column


def test_projection_bars_mark_the_next_band():
    fig = projection_bars(
        54.82, 60.1, 78.0, labels=("Sekarang", "Dengan rencana"), decimal=",", next_label="Kategori B mulai 78,00"
    )
    assert list(fig.data[0].text) == ["54,82", "60,10"]
    assert fig.layout.shapes[0].y0 == 78.0
    assert [t.name for t in fig.data[1:]] == ["Kategori B mulai 78,00"]  # the dashed line, named in the legend
    assert fig.layout.showlegend and fig.data[0].showlegend is False
    english = projection_bars(54.82, 60.1, None, labels=("Now", "Planned"))
    assert list(english.data[0].text) == ["54.82", "60.10"]
    assert not english.layout.shapes

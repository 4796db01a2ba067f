"""The region's plotly builders, called directly: data in, figure out."""

from __future__ import annotations

from pathlib import Path

from assessment import load_criteria
from ui.charts.region import LABELLED_ROWS, dimension_trends, heatmap, trend_lines, zone_distribution

CRITERIA = load_criteria(Path(__file__).resolve().parents[2] / "criteria" / "ombudsman-2023.yaml")


def test_heatmap_puts_the_first_unit_on_top_in_percent():
    fig = heatmap(["Lemah", "Kuat"], ["Input", "Proses"], [[0.2, None], [0.9, 1.0]])
    trace = fig.data[0]
    assert trace.type == "heatmap"
    assert list(trace.y) == ["Lemah", "Kuat"] and fig.layout.yaxis.autorange == "reversed"
    assert [list(row) for row in trace.z] == [[20.0, None], [90.0, 100.0]]
    assert (trace.zmin, trace.zmax) == (0, 100)
    assert trace.texttemplate == "%{z:.0f}"
    assert "Lemah<br>Input: 20 %" in trace.text[0][0] and trace.text[0][1].endswith("— %")
    assert fig.layout.separators == ",."


def test_a_large_heatmap_drops_labels_but_keeps_a_readable_height():
    rows = [f"Unit {n}" for n in range(500)]
    fig = heatmap(rows, ["A", "B", "C", "D"], [[0.5] * 4 for _ in rows], separators=".,")
    assert len(fig.data[0].y) == 500 > LABELLED_ROWS
    assert fig.layout.yaxis.showticklabels is False and fig.data[0].texttemplate is None
    assert fig.layout.height <= 1600 and fig.layout.separators == ".,"


def test_zone_distribution_colours_each_category():
    fig = zone_distribution([("A · Kualitas Tertinggi", 2, "#1a7f37"), ("E · Kualitas Terendah", 0, "#8e0000")])
    bar = fig.data[0]
    assert list(bar.x) == [2, 0] and list(bar.marker.color) == ["#1a7f37", "#8e0000"]
    assert list(bar.text) == ["2 unit", "0 unit"] and fig.layout.yaxis.autorange == "reversed"


def test_trend_lines_draw_units_region_and_bands():
    fig = trend_lines(
        ["2024", "2025"],
        {"Dinsos": [50.0, 55.5], "Disdik": [None, 40.0]},
        region=[50.0, 47.75],
        region_label="Nilai wilayah",
        bands=CRITERIA.bands,
    )
    names = [t.name for t in fig.data]
    assert names == ["Dinsos", "Disdik", "Nilai wilayah"]
    assert list(fig.data[1].y) == [None, 40.0]  # a period without a score stays a gap
    assert fig.data[-1].line.width == 4 and fig.data[-1].texttemplate == "%{y:.2f}"
    assert len(fig.layout.shapes) == len(CRITERIA.bands)
    assert list(fig.layout.yaxis.range) == [0, 100]


def test_trend_lines_cap_the_number_of_unit_lines():
    series = {f"U{n}": [float(n), float(n)] for n in range(40)}
    fig = trend_lines(["a", "b"], series, max_units=10)
    assert len(fig.data) == 10


def test_dimension_trends_in_percent():
    fig = dimension_trends(["2024", "2025"], {"Input": [0.5, 0.525], "Proses": [None, 0.6]})
    assert [t.name for t in fig.data] == ["Input", "Proses"]
    assert list(fig.data[0].y) == [50.0, 52.5] and list(fig.data[1].y) == [None, 60.0]
    assert fig.layout.barmode == "group"

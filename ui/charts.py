"""Pure plotly figure builders: data in, figure out; tested without Streamlit."""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from assessment import Band, Report

ZONE_COLOURS = {"hijau": "#1a7f37", "kuning": "#d4a106", "merah": "#c62828", None: "#6b7280"}


def dimension_bars(
    report: Report, *, title: str = "", earned_label: str = "Diperoleh", lost_label: str = "Hilang"
) -> go.Figure:
    """Each dimension's points earned and lost, stacked to its maximum."""
    names = [d.title for d in report.dimensions]
    earned = [d.score for d in report.dimensions]
    lost = [round(d.max - d.score, 2) for d in report.dimensions]
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=earned,
        name=earned_label,
        orientation="h",
        marker_color=ZONE_COLOURS[report.band.zone],
        text=[f"{e:.2f} / {d.max:.2f}" for e, d in zip(earned, report.dimensions, strict=True)],
        textposition="inside",
    )
    fig.add_bar(y=names, x=lost, name=lost_label, orientation="h", marker_color="#e5e7eb")
    fig.update_layout(
        barmode="stack",
        title=title or None,
        height=80 + 60 * len(names),
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        legend={"orientation": "h", "y": -0.15},
        yaxis={"autorange": "reversed"},
    )
    return fig


def score_gauge(total: float, scale_max: float, bands: Sequence[Band], *, title: str = "") -> go.Figure:
    """The total on a gauge whose background shows the bands in their colours."""
    steps = [{"range": [b.min, b.max], "color": b.colour} for b in sorted(bands, key=lambda b: b.min)]
    fig = go.Figure(
        go.Indicator(
            mode="gauge+number",
            value=total,
            number={"valueformat": ".2f"},
            title={"text": title} if title else None,
            gauge={
                "axis": {"range": [min(b.min for b in bands), scale_max]},
                "steps": steps,
                "bar": {"color": "#111827", "thickness": 0.25},
            },
        )
    )
    fig.update_layout(height=230, margin={"l": 20, "r": 20, "t": 30, "b": 10})
    return fig


def projection_bars(current: float, projected: float, next_min: float | None, *, labels: tuple[str, str]) -> go.Figure:
    fig = go.Figure(
        go.Bar(
            x=list(labels),
            y=[current, projected],
            marker_color=["#9ca3af", "#2563eb"],
            text=[f"{current:.2f}", f"{projected:.2f}"],
            textposition="outside",
        )
    )
    if next_min is not None:
        fig.add_hline(y=next_min, line_dash="dash", line_color="#1a7f37")
    fig.update_layout(height=260, margin={"l": 10, "r": 10, "t": 20, "b": 10})
    return fig

"""Pure plotly figure builders: data in, figure out; tested without Streamlit.

Numbers follow the reader's language: ``decimal=","`` (Bahasa Indonesia) writes 49,85 on the
figure, ``decimal="."`` (English) writes 49.85.
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from assessment import Band, Report
from ui.i18n.markdown import escape_chart

ZONE_COLOURS = {"hijau": "#1a7f37", "kuning": "#d4a106", "merah": "#c62828", None: "#6b7280"}


def fmt(value: float, decimal: str = ".", decimals: int = 2) -> str:
    """A number with two decimals and the given decimal mark (thousands get the other mark)."""
    text = f"{value:,.{decimals}f}"
    if decimal == ",":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def _separators(decimal: str) -> str:
    # plotly: the decimal mark first, then the thousands mark
    return ",." if decimal == "," else ".,"


def dimension_bars(
    report: Report,
    *,
    title: str = "",
    earned_label: str = "Diperoleh",
    lost_label: str = "Hilang",
    decimal: str = ".",
) -> go.Figure:
    """Each dimension's points earned and lost, stacked to its maximum, "earned / max" written after the bar."""
    names = [escape_chart(d.title) for d in report.dimensions]
    earned = [d.score for d in report.dimensions]
    lost = [round(d.max - d.score, 2) for d in report.dimensions]
    labels = [f"{fmt(e, decimal)} / {fmt(d.max, decimal)}" for e, d in zip(earned, report.dimensions, strict=True)]
    fig = go.Figure()
    fig.add_bar(
        y=names,
        x=earned,
        name=earned_label,
        orientation="h",
        marker_color=ZONE_COLOURS[report.band.zone],
        customdata=labels,
        hovertemplate="%{y}: %{customdata}<extra></extra>",
    )
    # the label sits outside the stack (after the grey "lost" part) so a short bar never squeezes it
    fig.add_bar(
        y=names,
        x=lost,
        name=lost_label,
        orientation="h",
        marker_color="#e5e7eb",
        text=labels,
        textposition="outside",
        cliponaxis=False,
        customdata=labels,
        hovertemplate="%{y}: %{customdata}<extra></extra>",
    )
    widest = max((d.max for d in report.dimensions), default=1.0)
    fig.update_layout(
        barmode="stack",
        title=title or None,
        height=80 + 60 * len(names),
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        legend={"orientation": "h", "y": -0.15},
        yaxis={"autorange": "reversed"},
        xaxis={"range": [0, widest * 1.45]},
        separators=_separators(decimal),
    )
    return fig


def score_gauge(
    total: float, scale_max: float, bands: Sequence[Band], *, title: str = "", decimal: str = "."
) -> go.Figure:
    """The total on a gauge whose background shows the bands in their colours."""
    ordered = sorted(bands, key=lambda b: b.min)
    steps = [{"range": [b.min, b.max], "color": b.colour} for b in ordered]
    low = min(b.min for b in bands)
    fig = go.Figure(
        go.Indicator(
            mode="gauge+number",
            value=total,
            number={"valueformat": ".2f"},
            title={"text": title} if title else None,
            gauge={
                "axis": {"range": [low, scale_max], "tickvals": [low, *[b.min for b in ordered[1:]], scale_max]},
                "steps": steps,
                "bar": {"color": "#111827", "thickness": 0.25},
            },
        )
    )
    # room on both sides for the end ticks ("0", "100") in a narrow column
    fig.update_layout(height=230, margin={"l": 35, "r": 45, "t": 30, "b": 10}, separators=_separators(decimal))
    return fig


def projection_bars(
    current: float,
    projected: float,
    next_min: float | None,
    *,
    labels: tuple[str, str],
    decimal: str = ".",
    next_label: str = "",
) -> go.Figure:
    """Now and planned side by side; a dashed line (named by ``next_label``) where the next band starts."""
    fig = go.Figure(
        go.Bar(
            x=[escape_chart(label) for label in labels],
            y=[current, projected],
            marker_color=["#9ca3af", "#2563eb"],
            text=[fmt(current, decimal), fmt(projected, decimal)],
            textposition="outside",
            cliponaxis=False,
            showlegend=False,
        )
    )
    if next_min is not None:
        fig.add_hline(y=next_min, line_dash="dash", line_color="#1a7f37")
        if next_label:  # named in the legend: a label on the line would collide with the bars' numbers
            fig.add_scatter(
                x=[None],
                y=[None],
                mode="lines",
                name=escape_chart(next_label),
                line={"dash": "dash", "color": "#1a7f37"},
            )
    fig.update_layout(
        height=280,
        margin={"l": 10, "r": 10, "t": 20, "b": 10},
        separators=_separators(decimal),
        showlegend=bool(next_min is not None and next_label),
        legend={"orientation": "h", "y": -0.15},
    )
    return fig

"""Pure plotly builders for the region pages: plain data in, a figure out; tested without Streamlit."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import plotly.graph_objects as go

from assessment import Band
from ui.i18n.markdown import escape_chart

# red → yellow → green over the share of a dimension's maximum (0–100 %)
SHARE_SCALE = [[0.0, "#c62828"], [0.5, "#f2c94c"], [1.0, "#1a7f37"]]
LABELLED_ROWS = 60
# no red or green here: those colours mean zones on these pages
SERIES_COLOURS = [
    "#1f4e79",
    "#4a90c2",
    "#8e6bb8",
    "#7f7f7f",
    "#b07d48",
    "#2a9d8f",
]  # above this many units the heatmap drops row labels and cell numbers (hover still shows)


def heatmap(
    rows: Sequence[str],
    columns: Sequence[str],
    shares: Sequence[Sequence[float | None]],
    *,
    colorbar_title: str = "% dari maks.",
    hover: str = "{row}<br>{column}: {value} %",
    separators: str = ",.",
) -> go.Figure:
    """Units (rows, first at the top) × dimensions; each cell is the share (0..1) of the dimension's maximum."""
    # unit and dimension names are text people typed: plotly must show them, not read them as HTML
    rows, columns = [escape_chart(r) for r in rows], [escape_chart(c) for c in columns]
    z = [[None if s is None else round(100 * s, 1) for s in row] for row in shares]
    texts = [
        [
            hover.format(row=r, column=c, value="—" if v is None else f"{v:.0f}")
            for c, v in zip(columns, zr, strict=True)
        ]
        for r, zr in zip(rows, z, strict=True)
    ]
    labelled = len(rows) <= LABELLED_ROWS
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[_wrap(c) for c in columns],
            y=list(rows),
            zmin=0,
            zmax=100,
            colorscale=SHARE_SCALE,
            colorbar={"title": {"text": colorbar_title}, "ticksuffix": " %"},
            text=texts,
            hoverinfo="text",
            texttemplate="%{z:.0f}" if labelled else None,
            xgap=2,
            ygap=1 if labelled else 0,
        )
    )
    height = min(max(260, (26 if labelled else 4) * len(rows) + 120), 1600)
    fig.update_layout(
        separators=separators,
        height=height,
        margin={"l": 10, "r": 10, "t": 30, "b": 10},
        xaxis={"side": "top", "tickangle": 0},
        yaxis={"autorange": "reversed", "showticklabels": labelled, "automargin": True},
    )
    return fig


def zone_distribution(
    bands: Sequence[tuple[str, int, str]], *, unit_label: str = "unit", title: str = "", separators: str = ",."
) -> go.Figure:
    """Units per category, best category on top; each bar in its category's colour. bands: (label, count, colour)."""
    labels = [escape_chart(b[0]) for b in bands]
    counts = [b[1] for b in bands]
    fig = go.Figure(
        go.Bar(
            x=counts,
            y=labels,
            orientation="h",
            marker_color=[b[2] for b in bands],
            text=[f"{n} {unit_label}" for n in counts],
            textposition="outside",
            cliponaxis=False,
        )
    )
    fig.update_layout(
        separators=separators,
        title=title or None,
        height=60 + 38 * len(bands),
        margin={"l": 10, "r": 40, "t": 30 if title else 10, "b": 10},
        yaxis={"autorange": "reversed"},
        xaxis={"rangemode": "tozero", "dtick": 1 if max(counts + [0]) <= 10 else None},
        showlegend=False,
    )
    return fig


def trend_lines(
    periods: Sequence[str],
    series: Mapping[str, Sequence[float | None]],
    *,
    region: Sequence[float | None] | None = None,
    region_label: str = "Wilayah",
    bands: Sequence[Band] = (),
    scale_max: float = 100,
    max_units: int = 25,
    separators: str = ",.",
) -> go.Figure:
    """Totals across periods: a thin line per unit (up to max_units), a thick region line, band colours behind."""
    fig = go.Figure()
    periods = [escape_chart(p) for p in periods]
    for band in bands:
        fig.add_hrect(y0=band.min, y1=band.max, fillcolor=band.colour, opacity=0.08, line_width=0, layer="below")
    for name, values in list(series.items())[:max_units]:
        fig.add_scatter(
            x=list(periods),
            y=list(values),
            mode="lines+markers",
            name=escape_chart(name),
            line={"width": 1.5},
            connectgaps=False,
            opacity=0.75,
        )
    if region is not None:
        fig.add_scatter(
            x=list(periods),
            y=list(region),
            mode="lines+markers+text",
            name=escape_chart(region_label),
            line={"width": 4, "color": "#111827"},
            texttemplate="%{y:.2f}",
            textposition="top center",
        )
    fig.update_layout(
        separators=separators,
        height=420,
        margin={"l": 10, "r": 10, "t": 20, "b": 10},
        yaxis={"range": [0, scale_max], "title": None},
        xaxis={"type": "category"},
        legend={"orientation": "h", "y": -0.15},
    )
    return fig


def dimension_trends(
    periods: Sequence[str], dimensions: Mapping[str, Sequence[float | None]], *, separators: str = ",."
) -> go.Figure:
    """Mean share (0..1) of each dimension's maximum across periods, as grouped bars in percent."""
    fig = go.Figure()
    periods = [escape_chart(p) for p in periods]
    for name, shares in dimensions.items():
        values = [None if s is None else round(100 * s, 1) for s in shares]
        colour = SERIES_COLOURS[len(fig.data) % len(SERIES_COLOURS)]
        fig.add_bar(
            x=list(periods),
            y=values,
            name=escape_chart(name),
            texttemplate="%{y:.0f}",
            textposition="outside",
            marker_color=colour,
        )
    fig.update_layout(
        separators=separators,
        barmode="group",
        height=360,
        margin={"l": 10, "r": 10, "t": 20, "b": 10},
        yaxis={"range": [0, 105], "ticksuffix": " %"},
        xaxis={"type": "category"},
        legend={"orientation": "h", "y": -0.15},
    )
    return fig


def _wrap(label: str, width: int = 14) -> str:
    """Break a long axis label over lines (plotly's <br>) so it needs no rotation."""
    lines, current = [], ""
    for word in label.split():
        if current and len(current) + 1 + len(word) > width:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return "<br>".join([*lines, current])

"""Widgets of the region pages: period picker, filters, league table, downloads.

Each widget owns its state key and returns a typed value; data comes from services, never from SQL here.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd
import streamlit as st

from assessment.errors import KepatuhanError
from services.access import Actor
from services.exchange.formats import FORMATS, export_file, export_name
from services.region.overview import FilterOptions, RegionFilters, RegionOverview
from services.views import Period
from ui import feedback
from ui.i18n import lang, number, t, t_plain
from ui.resources import connection

ZONE_CSS = {
    "hijau": "background-color: #c6efce; color: #006100",
    "kuning": "background-color: #ffeb9c; color: #9c5700",
    "merah": "background-color: #ffc7ce; color: #9c0006",
}
BADGE = {"hijau": "green", "kuning": "orange", "merah": "red"}
DOWNLOAD_ICONS = {
    "xlsx": ":material/table:",
    "pdf": ":material/picture_as_pdf:",
    "csv": ":material/csv:",
    "template": ":material/edit_document:",
}
_EXPORT_LOCK = threading.Lock()  # one export at a time on the export cursor


def separators() -> str:
    return ",." if lang() == "id" else ".,"


def status_label(status: str) -> str:
    return t(f"region.status.{status}")


def zone_label(zone: str | None) -> str:
    return t(f"zone.{zone}") if zone else "—"


def zone_badge(zone: str | None) -> None:
    if zone:
        st.badge(zone_label(zone), color=BADGE[zone], icon=":material/circle:")


def pick_period(periods: Sequence[Period], *, key: str = "region_period") -> Period:
    """Sidebar picker; the latest period unless the URL (?periode=ID) names another."""
    by_id = {str(p.id): p for p in periods}
    wanted = st.query_params.get("periode")
    default = by_id.get(wanted or "", periods[0])
    chosen = st.sidebar.selectbox(
        t("picker.period"),
        list(periods),
        index=list(periods).index(default),
        format_func=lambda p: f"{p.name}{'' if p.status == 'open' else ' · ' + t('picker.closed')}",
        key=key,
    )
    st.query_params["periode"] = str(chosen.id)
    return chosen


def filters(options: FilterOptions, *, key: str = "rf") -> RegionFilters:
    """Sidebar filters by OPD, kind of unit, zone and status; nothing chosen means everything."""
    side = st.sidebar
    side.subheader(t("region.filters"))
    opd_names = dict(options.opds)
    opd = side.multiselect(
        t("region.filter.opd"),
        list(opd_names),
        format_func=opd_names.get,
        key=f"{key}_opd",
        placeholder=t("region.filter.all"),
    )
    unit_type = side.multiselect(
        t("region.filter.unit_type"),
        list(options.unit_types),
        key=f"{key}_type",
        format_func=lambda v: v or "—",
        placeholder=t("region.filter.all"),
    )
    zone = side.multiselect(
        t("region.filter.zone"),
        list(options.zones),
        format_func=zone_label,
        key=f"{key}_zone",
        placeholder=t("region.filter.all"),
    )
    status = side.multiselect(
        t("region.filter.status"),
        list(options.statuses),
        format_func=status_label,
        key=f"{key}_status",
        placeholder=t("region.filter.all"),
    )
    return RegionFilters(opd=tuple(opd), unit_type=tuple(unit_type), zone=tuple(zone), status=tuple(status))


def league_table(ov: RegionOverview) -> None:
    """Sortable league table: rank, unit, OPD, status, self and verified score, category, zone, dimensions."""
    dims = [f"{d.title} (%)" for d in ov.dimensions]
    rows = []
    for line in ov.lines:
        row = {
            t("region.col.rank"): line.rank,
            t("region.col.unit"): line.name,
            t("region.col.total"): line.total,
            t("region.col.category"): line.band_code or "—",
            t("region.col.zone"): zone_label(line.zone),
            t("region.col.verified"): line.verified,
            t("region.col.to_next"): line.to_next,
            t("region.col.status"): status_label(line.status),
            t("region.col.opd"): line.opd,
            t("region.col.unit_type"): line.unit_type,
            t("region.col.code"): line.code,
        }
        row.update({name: None if s is None else round(100 * s, 1) for name, s in zip(dims, line.shares, strict=True)})
        rows.append(row)
    frame = pd.DataFrame(rows)
    if frame.empty:
        st.info(t("region.no_units"))
        return
    zones = [line.zone for line in ov.lines]
    coloured = [t("region.col.total"), t("region.col.category"), t("region.col.zone")]

    def paint(column: pd.Series) -> list[str]:
        return [ZONE_CSS.get(z or "", "") for z in zones]

    # the Styler's text is what the table shows (sorting still uses the numbers): format in the reader's language
    formats = {
        name: (lambda v: number(v))
        for name in (t("region.col.total"), t("region.col.verified"), t("region.col.to_next"))
    }
    formats.update({name: (lambda v: number(v, 1)) for name in dims})
    formats[t("region.col.rank")] = "{:.0f}"
    config = league_columns(dims)
    st.dataframe(
        frame.style.apply(paint, subset=coloured).format(formats, na_rep="—"),
        hide_index=True,
        width="stretch",
        height=min(38 + 35 * len(frame), 560),
        column_config=config,
        placeholder="—",
    )


def league_columns(dims: Sequence[str]) -> dict[str, Any]:
    """Widths and short headers so the league table fits a 1400 px screen with the sidebar open (issue 9):
    the long header stays as the column's tooltip; OPD, kind, code and the dimension shares start hidden
    (the heatmap below shows the shares, the Excel export has every column)."""
    number_col = st.column_config.NumberColumn
    config: dict[str, Any] = {
        t("region.col.rank"): number_col(width=80),
        t("region.col.unit"): st.column_config.TextColumn(width=230),
        t("region.col.total"): number_col(width=95),
        t("region.col.category"): st.column_config.TextColumn(width=75),
        t("region.col.zone"): st.column_config.TextColumn(width=100),
        t("region.col.verified"): number_col(
            t_plain("wide.region.verified_short"), width=90, help=t_plain("region.col.verified")
        ),
        t("region.col.to_next"): number_col(
            t_plain("wide.region.to_next_short"), width=90, help=t_plain("region.col.to_next")
        ),
        t("region.col.status"): st.column_config.TextColumn(width=100),
    }
    hidden = [t("region.col.opd"), t("region.col.unit_type"), t("region.col.code"), *dims]
    config.update({name: {"hidden": True} for name in hidden})
    return config


def band_legend(ov: RegionOverview) -> None:
    """What each category means: its score range, label and zone."""
    rows = [
        {
            t("region.col.category"): b.code,
            t("region.legend.range"): f"{number(band.min)} – {number(band.max)}",
            t("region.legend.label"): b.label,
            t("region.col.zone"): zone_label(b.zone),
        }
        for b, band in zip(ov.band_counts, sorted(ov.criteria.bands, key=lambda x: -x.min), strict=True)
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch")
    st.caption(t("region.legend.help"))


def table(rows: list[dict], *, numbers: Sequence[str] = (), height: int | None = None) -> None:
    """A plain read-only table; numbers shown in the reader's language (two decimals, Babel), sorted as numbers,
    missing values as —."""
    data = pd.DataFrame(rows)
    formats = {name: (lambda v: number(v)) for name in numbers if name in data.columns}
    st.dataframe(
        data.style.format(formats, na_rep="—"),
        hide_index=True,
        width="stretch",
        placeholder="—",
        **({"height": height} if height else {}),
    )


def _export_cursor():
    """A cursor of its own for exports: the download callable runs on another thread than the page script."""
    key = "_region_export_cursor"
    if key not in st.session_state:
        st.session_state[key] = connection().cursor()
    return st.session_state[key]


def deferred(make: Callable[[Any], bytes]) -> Callable[[], bytes]:
    """A download callable: make(connection) runs only on click, on the export cursor, one export at a time.

    Everything it needs (actor, ids) is captured now, on the page's thread.
    """
    cursor = _export_cursor()

    def run() -> bytes:
        with _EXPORT_LOCK:
            return make(cursor)

    return run


def downloads(actor: Actor, period: Period, *, unit_code: str | None = None, key: str = "dl") -> None:
    """One button per export format; the file is made only when its button is clicked."""
    cols = st.columns(len(FORMATS))
    language = lang()  # the CSV writes numbers the reader's way
    for col, fmt in zip(cols, FORMATS, strict=True):
        make = deferred(
            lambda con, fmt=fmt: (
                export_file(con, actor, fmt, period_id=period.id, unit_code=unit_code, lang=language).data
            )
        )

        name, mime = export_name(period.name, fmt, unit_code)
        col.download_button(
            t(f"region.download.{fmt}"),
            data=make,
            file_name=name,
            mime=mime,
            key=f"{key}_{fmt}",
            on_click="ignore",
            icon=DOWNLOAD_ICONS[fmt],
            width="stretch",
        )


def metric_number(value: float | None) -> str:
    return "—" if value is None else number(value)


def show_error(exc: KepatuhanError) -> None:
    """The region pages show refusals with the block icon, through the one helper."""
    feedback.show_error(exc, icon=":material/block:")

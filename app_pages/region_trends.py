"""Trends: the same units across periods; where the criteria differ, only what is comparable, said on screen."""

from __future__ import annotations

import streamlit as st

from assessment.errors import KepatuhanError
from services.directory import list_periods
from services.region import overview as region
from services.region import trends as region_trends
from ui.auth import current_actor
from ui.charts.region import dimension_trends, trend_lines
from ui.i18n import number, t
from ui.i18n.markdown import escape_markdown
from ui.resources import connection
from ui.sections import region_view as rv


def render() -> None:
    actor = current_actor()
    con = connection()
    st.title(t("region.trends.title"))
    periods = list_periods(con)
    if not periods:
        st.info(t("picker.empty"))
        return
    chosen = st.sidebar.multiselect(
        t("region.trends.periods"), periods, default=periods, format_func=lambda p: p.name, key="trend_periods"
    )
    if not chosen:
        st.info(t("region.trends.pick"))
        return
    try:
        all_scores = region_trends.trend_scores(con, actor, period_ids=[p.id for p in chosen])
    except KepatuhanError as exc:
        rv.show_error(exc)
        return
    latest = all_scores[-1]
    trends = region_trends.build_trends(all_scores, rv.filters(region.filter_options(latest), key="tf"))
    if trends.message:
        st.warning(escape_markdown(trends.message), icon=":material/compare_arrows:")
    names = [p.name for p in trends.periods]
    st.subheader(t("region.trends.totals"))
    st.caption(t("region.trends.totals_help"))
    bands = latest.criteria.bands if trends.level == "indikator" else ()
    fig = trend_lines(
        names,
        {u.name: u.totals for u in trends.units},
        region=[p.region.score if p.region else None for p in trends.periods],
        region_label=t("region.score"),
        bands=bands,
        scale_max=latest.criteria.scale.max,
        separators=rv.separators(),
    )
    st.plotly_chart(fig, key="trend_chart")
    _table(trends, names)
    if trends.dimensions:
        st.subheader(t("region.trends.dimensions"))
        shares = dict(zip([title for _, title in trends.dimensions], trends.region_dimension_shares, strict=True))
        st.plotly_chart(dimension_trends(names, shares, separators=rv.separators()), key="trend_dims")
    if trends.indicators and len(names) >= 2:
        _indicators(trends, names)


def _table(trends: region_trends.RegionTrends, names: list[str]) -> None:
    change = t("region.trends.change")
    rows = []
    for u in trends.units:
        row = {t("region.col.unit"): u.name, t("region.col.opd"): u.opd}
        for name, total, band in zip(names, u.totals, u.bands, strict=True):
            row[name] = f"{number(total)} ({band})" if total is not None else "—"
        row[change] = u.change
        rows.append(row)
    region_row = {t("region.col.unit"): t("region.score"), t("region.col.opd"): ""}
    for p in trends.periods:
        region_row[p.name] = f"{number(p.region.score)} ({p.region.band.code})" if p.region else "—"
    known = [p.region.score for p in trends.periods if p.region]
    region_row[change] = round(known[-1] - known[0], 2) if len(known) >= 2 else None
    rows.append(region_row)
    rv.table(rows, numbers=[change])


def _indicators(trends: region_trends.RegionTrends, names: list[str]) -> None:
    st.subheader(t("region.trends.indicators"))
    st.caption(t("region.trends.indicators_help"))
    change = t("region.trends.change_pp")
    rows = []
    for ind in trends.indicators:
        first, last = ind.mean_share[0], ind.mean_share[-1]
        row = {t("results.col.indicator"): f"{ind.indicator} · {ind.question}"}
        row.update({n: None if s is None else round(100 * s, 1) for n, s in zip(names, ind.mean_share, strict=True)})
        row[change] = None if first is None or last is None else round(100 * (last - first), 1)
        rows.append(row)
    rows.sort(key=lambda r: (r[change] is None, r[change] or 0.0))
    rv.table(rows, numbers=[*names, change], height=420)

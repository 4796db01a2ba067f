"""Drill-down from the region to one unit: its results, answers and evidence, read-only, with its exports."""

from __future__ import annotations

import streamlit as st

from assessment.errors import KepatuhanError
from services.answering import results
from services.directory import list_periods, visible_units
from services.region import overview as region
from ui.auth import current_actor
from ui.charts.results import dimension_bars, score_gauge
from ui.i18n import decimal_mark, number, t
from ui.i18n.markdown import escape_markdown
from ui.resources import connection
from ui.sections import region_unit_view as uv
from ui.sections import region_view as rv
from ui.sections.gates_view import unit_section
from ui.widgets.path_table import path_to_next_band


def render(region_page: st.Page | None = None) -> None:
    actor = current_actor()
    con = connection()
    st.title(t("region.unit.title"))
    if region_page is not None:
        st.page_link(region_page, label=t("region.unit.back"), icon=":material/arrow_back:")
    periods = list_periods(con)
    units = visible_units(con, actor)
    if not periods or not units:
        st.info(t("picker.empty"))
        return
    period = rv.pick_period(periods)
    unit = uv.pick_unit(units)
    if unit is None:
        st.info(t("region.unit.choose"))
        return
    try:
        view = region.unit_detail(con, actor, period_id=period.id, unit_id=unit.id)
    except KepatuhanError as exc:
        rv.show_error(exc)
        return
    st.subheader(escape_markdown(unit.name))
    if view is None:
        st.info(t("region.unit.not_started", period=period.name))
        return
    report = results.score_view(view)
    st.caption(
        t(
            "region.unit.caption",
            period=period.name,
            status=t("status." + view.assessment.status),
            done=report.answered,
            total=report.scored_indicators,
        )
    )
    st.info(t("region.unit.read_only"), icon=":material/lock:")
    cols = st.columns([2, 2, 3])
    with cols[0]:
        st.metric(t("results.total"), f"{number(report.total)} / {number(report.scale_max)}")
        st.markdown(f"**{t('results.category')}:** {report.band.code} — {escape_markdown(report.label)}")
        rv.zone_badge(report.band.zone)
        if not report.complete:
            st.warning(t("results.incomplete", done=report.answered, total=report.scored_indicators))
    cols[1].plotly_chart(
        score_gauge(report.total, report.scale_max, view.criteria.bands, decimal=decimal_mark()), key="unit_gauge"
    )
    cols[2].plotly_chart(
        dimension_bars(report, earned_label=t("results.earned"), lost_label=t("results.lost"), decimal=decimal_mark()),
        key="unit_dims",
    )
    unit_section(view, report)  # result with its gates and both label families, when the criteria have them
    with st.container(border=True):
        st.markdown(f"**{t('region.unit.downloads')}**")
        rv.downloads(actor, period, unit_code=unit.code, key="unit_dl")
    path_to_next_band(view, report)
    uv.answers_table(view, report)
    uv.evidence_list(view)

"""Region overview for Ortala: region score, statuses, league table, zones, heatmap, missed indicators, levers."""

from __future__ import annotations

import streamlit as st

from assessment.errors import KepatuhanError
from services.directory import list_periods
from services.region import overview as region
from ui.auth import current_actor
from ui.charts.region import heatmap, zone_distribution
from ui.i18n import number, t
from ui.resources import connection
from ui.sections import region_view as rv
from ui.sections.gates_view import region_section
from ui.sections.region_import import import_panel


def render(drill_page: st.Page | None = None) -> None:
    actor = current_actor()
    con = connection()
    st.title(t("region.title"))
    periods = list_periods(con)
    if not periods:
        st.info(t("picker.empty"))
        return
    period = rv.pick_period(periods)
    try:
        scores = region.period_scores(con, actor, period_id=period.id)
    except KepatuhanError as exc:
        rv.show_error(exc)
        return
    ov = region.build_overview(scores, rv.filters(region.filter_options(scores)))
    c = ov.criteria
    st.caption(t("region.caption", region=scores.region_name, period=period.name, criteria=c.title))
    if scores.partial_scope:
        st.info(t("region.partial", n=ov.scope_units), icon=":material/visibility:")
    if any(u.unit.is_demo for u in scores.units):
        st.info(t("overview.demo"), icon=":material/science:")
    _headline(ov)
    region_section(scores)  # the region's labels and every unit's result, when the criteria have them
    with st.container(border=True):
        st.markdown(f"**{t('region.downloads')}**")
        rv.downloads(actor, period, key="region_dl")
    st.subheader(t("region.league"))
    st.caption(t("region.league_help"))
    rv.league_table(ov)
    _drill(ov, period.id, drill_page)
    st.subheader(t("region.zones"))
    left, right = st.columns([3, 2], gap="large")
    bands = [(f"{b.code} · {b.label}", b.count, b.colour) for b in ov.band_counts]
    left.plotly_chart(
        zone_distribution(bands, unit_label=t("region.units_word"), separators=rv.separators()), key="zone_chart"
    )
    with right:
        rv.band_legend(ov)
    st.subheader(t("region.heatmap"))
    st.caption(t("region.heatmap_help"))
    if ov.heatmap_rows:
        fig = heatmap(
            [r.name for r in ov.heatmap_rows],
            [d.title for d in ov.dimensions],
            [r.shares for r in ov.heatmap_rows],
            colorbar_title=t("region.heatmap_scale"),
            separators=rv.separators(),
        )
        st.plotly_chart(fig, key="heatmap")
    else:
        st.info(t("region.none_assessed"))
    _missed(ov)
    _levers(ov)
    import_panel(actor, period)


def _headline(ov: region.RegionOverview) -> None:
    cols = st.columns(4)
    result = ov.region
    if result is None:
        cols[0].metric(t("region.score"), "—")
        st.warning(t("region.none_assessed"))
    else:
        cols[0].metric(t("region.score"), number(result.score), help=t("region.score_help"))
        cols[1].metric(t("results.category"), result.band.code)
        cols[1].caption(result.band.label)
        with cols[2]:
            st.markdown(f"**{t('region.zone')}**")
            rv.zone_badge(result.band.zone)
    cols[3].metric(t("region.assessed"), t("region.assessed_value", n=ov.scope_assessed, total=ov.scope_units))
    if ov.selection is not None:
        st.info(
            t("region.selection", n=ov.selection.units, score=number(ov.selection.score), band=ov.selection.band.code),
            icon=":material/filter_alt:",
        )
    counts = st.columns(len(ov.status_counts))
    for col, (status, n) in zip(counts, ov.status_counts.items(), strict=True):
        col.metric(rv.status_label(status), n, border=True)


def _drill(ov: region.RegionOverview, period_id: int, drill_page: st.Page | None) -> None:
    choices = list(ov.heatmap_rows) + [line for line in ov.lines if line.total is None]
    if not choices:
        return
    cols = st.columns([3, 2], vertical_alignment="bottom")
    chosen = cols[0].selectbox(
        t("region.drill.pick"),
        choices,
        index=0,
        format_func=lambda line: f"{line.name} · {rv.metric_number(line.total)}",
        key="drill_unit",
        help=t("region.drill.help"),
    )
    if drill_page is not None and chosen is not None:
        cols[1].page_link(
            drill_page,
            label=t("region.drill.open"),
            icon=":material/search:",
            query_params={"unit": chosen.code, "periode": str(period_id)},
        )


def _missed(ov: region.RegionOverview) -> None:
    st.subheader(t("region.missed"))
    st.caption(t("region.missed_help", n=ov.scope_assessed))
    if not ov.missed:
        st.success(t("results.nothing_to_improve"))
        return
    rows = [
        {
            t("results.col.indicator"): m.indicator,
            t("region.col.units_losing"): m.units_losing,
            t("region.col.lost_total"): m.lost_total,
            t("region.col.region_gain"): m.region_gain,
            t("region.col.dimension"): m.dimension,
            t("region.col.question"): m.question,
        }
        for m in ov.missed
    ]
    rv.table(rows, numbers=[t("region.col.lost_total"), t("region.col.region_gain")])


def _levers(ov: region.RegionOverview) -> None:
    st.subheader(t("region.levers"))
    st.caption(t("region.levers_help", n=ov.scope_assessed))
    st.markdown(f"**{t('region.levers.units')}**")
    rows = [
        {
            t("region.col.unit"): u.unit_name,
            t("region.col.total"): u.total,
            t("region.col.category"): u.band_code,
            t("region.col.region_gain_full"): u.region_gain,
            t("region.col.next"): u.next_band,
            t("region.col.to_next"): u.to_next,
            t("region.col.path_len"): u.path_len,
        }
        for u in ov.unit_levers
    ]
    rv.table(rows, numbers=[t("region.col.total"), t("region.col.region_gain_full"), t("region.col.to_next")])
    st.markdown(f"**{t('region.levers.pairs')}**")
    rows = [
        {
            t("region.col.unit"): lv.unit_name,
            t("results.col.indicator"): lv.indicator,
            t("region.col.region_gain"): lv.region_gain,
            t("region.col.unit_gain"): lv.unit_gain,
            t("region.col.question"): lv.question,
        }
        for lv in ov.levers
    ]
    rv.table(rows, numbers=[t("region.col.region_gain"), t("region.col.unit_gain")])

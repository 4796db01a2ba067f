"""The Ombudsman's published results beside the self-assessment: how optimistic each unit and the region were."""

from __future__ import annotations

import streamlit as st

from assessment.errors import KepatuhanError
from services.directory import list_periods
from services.followup import official
from services.followup.comparison import compare
from ui.auth import current_actor
from ui.feedback import show_flash
from ui.i18n import t
from ui.resources import connection
from ui.sections import followup_official as fo
from ui.sections import region_view as rv


def render() -> None:
    actor = current_actor()
    con = connection()
    st.title(t("fu.off.title"))
    show_flash()
    st.caption(t("fu.off.caption"))
    periods = list_periods(con)
    if not periods:
        st.info(t("picker.empty"))
        return
    try:
        comparison = compare(con, actor)
    except KepatuhanError as exc:
        rv.show_error(exc)
        return
    if actor.role == "admin":
        with st.expander(t("fu.off.record"), expanded=not any(u.official is not None for u in comparison.units),
                         icon=":material/edit_note:"):
            fo.admin_forms(con, actor, periods, official.entities(con, actor))
    if comparison.region:
        st.subheader(t("fu.off.region_title"))
        fo.region_table(comparison)
    st.subheader(t("fu.off.units_title"))
    if not comparison.units:
        st.info(t("fu.off.none"))
    else:
        with_official = [p.name for p in periods if any(u.period_name == p.name and u.official is not None
                                                        for u in comparison.units)]
        if with_official:
            chosen = st.selectbox(t("fu.off.chart_period"), with_official, key="fu_off_chart_period")
            fig = fo.optimism_chart(comparison, chosen)
            if fig is not None:
                st.plotly_chart(fig, key="fu_off_chart")
        fo.unit_table(comparison)
        st.subheader(t("fu.off.dims_title"))
        fo.dimension_table(comparison)
    st.subheader(t("fu.off.products_title"))
    fo.products_table(comparison)

"""Survey links for staff: per unit links, posters, paper answers; for the admin also population, kiosks, held
answers. A unit head sees only their own unit (checked again in the services)."""

from __future__ import annotations

import streamlit as st

from services.directory import list_periods, visible_units
from ui.auth import current_actor
from ui.context import _pick_period, _pick_unit
from ui.i18n import t
from ui.i18n.markdown import escape_markdown
from ui.resources import connection
from ui.sections import survey_staff


def render() -> None:
    actor = current_actor()
    con = connection()
    st.title(t("sv.links_title"))
    all_periods = [p for p in list_periods(con) if p.status == "open"]
    all_units = visible_units(con, actor)
    if not all_periods or not all_units:
        st.info(t("sv.no_open_period"))
        return
    period = _pick_period(all_periods)
    unit = _pick_unit(all_units)
    if unit is None:
        st.info(t("picker.choose"))
        return
    st.caption(f"{escape_markdown(unit.name)} · {escape_markdown(period.name)}")
    tabs = st.tabs(
        [t("sv.tab.links"), t("sv.tab.population"), t("sv.tab.kiosks"), t("sv.tab.held")]
        if actor.is_admin
        else [t("sv.tab.links")]
    )
    with tabs[0]:
        survey_staff.links_section(actor, period, unit)
    if actor.is_admin:
        with tabs[1]:
            survey_staff.population_section(actor, period, unit)
        with tabs[2]:
            survey_staff.kiosk_section(actor, unit)
        with tabs[3]:
            survey_staff.held_section(actor, period)

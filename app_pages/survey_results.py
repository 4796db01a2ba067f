"""Survey results (PermenPANRB 14/2017) of one unit and period; the region league table for Ortala."""

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
    st.title(t("sv.results_title"))
    all_periods = list_periods(con)
    all_units = visible_units(con, actor)
    if not all_periods or not all_units:
        st.info(t("picker.empty"))
        return
    period = _pick_period(all_periods)
    unit = _pick_unit(all_units)
    if unit is not None:
        st.caption(f"{escape_markdown(unit.name)} · {escape_markdown(period.name)}")
        survey_staff.results_view(actor, period, unit)
    if actor.role in ("admin", "viewer", "verifier"):
        survey_staff.league_view(actor, period)

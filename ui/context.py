"""Who is working on which assessment in this browser session.

The period and unit live in the URL (?periode=..&unit=..) so a reload or a shared link
opens the same assessment; a bad link gets a message and the picker, never a traceback.
"""

from __future__ import annotations

import streamlit as st

from assessment.errors import KepatuhanError
from services.answering.assessing import AssessmentView, assessment_id_for
from services.directory import list_periods, visible_units
from services.views import OrgUnit, Period
from ui.auth import current_actor
from ui.feedback import show_error
from ui.i18n import t
from ui.live_view import live_view
from ui.resources import connection


def _unit_label(unit: OrgUnit) -> str:
    return f"{unit.name}{' · DEMO' if unit.is_demo else ''}"


def pick_assessment() -> AssessmentView | None:
    """Sidebar picker of period and unit; returns the open assessment or None."""
    con = connection()
    actor = current_actor()
    all_periods = list_periods(con)
    all_units = visible_units(con, actor)
    if not all_periods or not all_units:
        st.sidebar.info(t("picker.empty"))
        return None
    period = _pick_period(all_periods)
    unit = _pick_unit(all_units)
    if unit is None:
        return None
    try:
        return live_view(assessment_id_for(con, actor, period_id=period.id, unit_id=unit.id))
    except KepatuhanError as exc:
        show_error(exc)
        return None


# the last choice, kept outside the widgets: moving to another page clears both the URL and widget state
LAST_PERIOD, LAST_UNIT = "_picked_period", "_picked_unit"


def _pick_period(all_periods: list[Period]) -> Period:
    wanted = st.query_params.get("periode") or st.session_state.get(LAST_PERIOD)
    by_id = {str(p.id): p for p in all_periods}
    if wanted is not None and wanted not in by_id:
        st.sidebar.warning(t("picker.bad_period"))
        wanted = None
    default = by_id.get(wanted) if wanted else next((p for p in all_periods if p.status == "open"), all_periods[0])
    chosen = st.sidebar.selectbox(
        t("picker.period"),
        all_periods,
        index=all_periods.index(default),
        format_func=lambda p: f"{p.name}{'' if p.status == 'open' else ' · ' + t('picker.closed')}",
        key="pick_period",
    )
    st.query_params["periode"] = str(chosen.id)
    st.session_state[LAST_PERIOD] = str(chosen.id)
    return chosen


def _pick_unit(all_units: list[OrgUnit]) -> OrgUnit | None:
    wanted = st.query_params.get("unit") or st.session_state.get(LAST_UNIT)
    codes = {u.code: u for u in all_units}
    if wanted is not None and wanted not in codes:
        st.sidebar.warning(t("picker.bad_unit"))
        wanted = None
    index = all_units.index(codes[wanted]) if wanted else (0 if len(all_units) == 1 else None)
    chosen = st.sidebar.selectbox(
        t("picker.unit"),
        all_units,
        index=index,
        format_func=_unit_label,
        key="pick_unit",
        placeholder=t("picker.unit_placeholder"),
    )
    if chosen is None:
        return None
    st.query_params["unit"] = chosen.code
    st.session_state[LAST_UNIT] = chosen.code
    return chosen


def choose_hint() -> str:
    """What to do before a unit is chosen, in the words of what the user may do there."""
    actor = current_actor()
    return t("picker.choose") if actor.role in ("unit_head", "admin") else t("picker.choose_read_only")

"""Rencana tindak lanjut: a unit's actions (proposals from the path and findings, closing with evidence) and,
for Ortala, every unit's actions."""

from __future__ import annotations

import streamlit as st

from assessment.errors import KepatuhanError
from services.directory import list_periods
from ui.auth import current_actor
from ui.context import pick_assessment
from ui.feedback import show_flash
from ui.i18n import t
from ui.resources import connection
from ui.sections import followup_actions as fa
from ui.sections import region_view as rv


def render() -> None:
    actor = current_actor()
    st.title(t("fu.actions.title"))
    show_flash()
    st.caption(t("fu.actions.caption"))
    if actor.role in ("admin", "viewer", "verifier"):
        unit_tab, region_tab = st.tabs([t("fu.tab.unit"), t("fu.tab.region")])
    else:
        unit_tab, region_tab = st.container(), None
    view = pick_assessment()
    with unit_tab:
        if view is None:
            st.info(t("picker.choose"))
        else:
            try:
                fa.unit_section(actor, view)
            except KepatuhanError as exc:
                rv.show_error(exc)
    if region_tab is not None:
        with region_tab:
            periods = list_periods(connection())
            period = next((p for p in periods if view and p.id == view.period.id), periods[0] if periods else None)
            if period is None:
                st.info(t("picker.empty"))
                return
            st.caption(t("fu.region.caption", period=period.name))
            try:
                fa.region_section(actor, period.id, period.name)
            except KepatuhanError as exc:
                rv.show_error(exc)

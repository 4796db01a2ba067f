"""Readiness for the Ombudsman's visit window: countdown, the unit's board and visit dossier, the region board."""

from __future__ import annotations

import streamlit as st

from assessment.errors import KepatuhanError
from services.directory import list_periods
from services.followup import readiness
from services.followup.visit import set_visit_window
from ui.auth import current_actor
from ui.context import pick_assessment
from ui.feedback import attempt, flash, show_flash
from ui.i18n import t
from ui.resources import connection
from ui.sections import followup_readiness as fr
from ui.sections import region_view as rv


def render() -> None:
    actor = current_actor()
    con = connection()
    st.title(t("fu.ready.title"))
    show_flash()
    view = pick_assessment()
    periods = list_periods(con)
    if not periods:
        st.info(t("picker.empty"))
        return
    period = view.period if view else periods[0]
    fr.countdown(readiness.visit_window(period))
    st.caption(t("fu.ready.caption"))
    if view is None:
        st.info(t("fu.ready.pick_unit"), icon=":material/arrow_back:")
    else:
        try:
            questions = {i.id: i.question for i in view.criteria.indicators_by_id().values()}
            fr.unit_board(actor, readiness.unit_readiness(con, actor, period_id=period.id, unit_id=view.unit.id),
                          period.id, questions)  # fmt: skip
        except KepatuhanError as exc:
            rv.show_error(exc)
    if actor.role in ("admin", "viewer", "verifier"):
        st.divider()
        st.subheader(t("fu.ready.region_title", period=period.name))
        try:
            fr.region_board(readiness.region_readiness(con, actor, period_id=period.id))
        except KepatuhanError as exc:
            rv.show_error(exc)
    if actor.role == "admin":
        with st.expander(t("fu.visit.edit", period=period.name)):
            with st.form("fu_visit"):
                picked = st.date_input(t("fu.visit.window"), value=(period.visit_from, period.visit_to)
                                       if period.visit_from and period.visit_to else (), format="DD/MM/YYYY")
                sent = st.form_submit_button(t("fu.save"), icon=":material/save:")
            if sent:
                starts, ends = (tuple(picked) + (None, None))[:2] if picked else (None, None)
                ok, _ = attempt(lambda: set_visit_window(con, actor, period_id=period.id, starts=starts, ends=ends))
                if ok:
                    flash("success", t("fu.saved"))
                    st.rerun()

"""Region simulator: what would move the region (the mean of its units) to the next band."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from assessment.errors import KepatuhanError
from services.directory import list_periods
from services.followup import actions
from services.followup.simulator import simulate
from ui.auth import current_actor
from ui.feedback import attempt, flash, show_flash
from ui.i18n import number, t
from ui.resources import connection
from ui.sections import region_view as rv


def render() -> None:
    actor = current_actor()
    con = connection()
    st.title(t("fu.sim.title"))
    show_flash()
    st.caption(t("fu.sim.caption"))
    periods = list_periods(con)
    if not periods:
        st.info(t("picker.empty"))
        return
    period = rv.pick_period(periods, key="fu_sim_period")
    try:
        sim = simulate(con, actor, period_id=period.id)
    except KepatuhanError as exc:
        rv.show_error(exc)
        return
    if sim.partial_scope:
        st.info(t("fu.sim.partial"), icon=":material/visibility:")
    if sim.mean is None:
        st.info(t("fu.sim.empty"))
        return
    cols = st.columns(3)
    cols[0].metric(t("fu.sim.mean", n=sim.units_assessed), number(sim.mean), help=t("fu.sim.mean_help"))
    # the code in the metric, the label below it: a long label would be cut off in a metric column
    cols[1].metric(t("fu.sim.band"), sim.band.code)
    cols[1].caption(sim.band.label)
    if sim.target is None:
        cols[2].metric(t("fu.sim.target"), "—")
        st.success(t("fu.sim.top"), icon=":material/emoji_events:")
        return
    cols[2].metric(t("fu.sim.target"), sim.target.code)
    cols[2].caption(f"{sim.target.label} · {t('fu.sim.gap', gap=number(sim.gap))}")
    st.subheader(t("fu.sim.cheapest"))
    if not sim.reachable:
        st.warning(t("fu.sim.unreachable"))
    else:
        st.caption(t("fu.sim.cheapest_help", n=len(sim.cheapest)))
        rv.table([{t("region.col.unit"): f"{s.unit_code} · {s.unit_name}",
                   t("results.col.indicator"): f"{s.indicator} · {s.question}", t("fu.sim.unit_points"): s.points,
                   t("fu.sim.region_points"): s.region_gain} for s in sim.cheapest],
                 numbers=[t("fu.sim.unit_points"), t("fu.sim.region_points")])
        if actor.role == "admin":
            _plan(con, actor, period.id, sim)
    st.subheader(t("fu.sim.per_unit"))
    st.caption(t("fu.sim.per_unit_help", needed=number(sim.per_unit[0].needed_points) if sim.per_unit else "—"))
    rv.table([{t("region.col.unit"): f"{o.unit_code} · {o.unit_name}", t("fu.sim.total"): o.total,
               t("fu.sim.alone"): t("fu.sim.alone_yes", n=len(o.steps)) if o.reachable else t("fu.sim.alone_no"),
               t("fu.sim.steps"): ", ".join(s.indicator for s in o.steps)} for o in sim.per_unit],
             numbers=[t("fu.sim.total")])


def _plan(con, actor, period_id: int, sim) -> None:
    with st.form("fu_sim_plan"):
        st.markdown(f"**{t('fu.sim.plan')}**")
        c1, c2 = st.columns(2)
        owner = c1.text_input(t("fu.owner"), value=t("fu.missed.owner_default"), max_chars=120)
        due = c2.date_input(t("fu.due"), value=dt.date.today() + dt.timedelta(days=30), min_value=dt.date.today(),
                            format="DD/MM/YYYY")
        sent = st.form_submit_button(t("fu.sim.plan_button", n=len(sim.cheapest)), icon=":material/playlist_add:")
    if not sent:
        return
    made = 0
    for step in sim.cheapest:
        ok, _ = attempt(lambda step=step: actions.create_action(
            con, actor, period_id=period_id, unit_id=step.unit_id, source="path", indicators=[step.indicator],
            title=f"Naikkan {step.indicator} ke tingkat tertinggi: {step.question}"[:300], owner=owner, due_date=due))
        made += ok
    if made:
        flash("success", t("fu.sim.planned", n=made))
        st.rerun()

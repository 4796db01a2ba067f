"""The Output indicators filled from the user survey: "dari survei" with n, the fill button, a reasoned override,
and what the verifier sees. Called with one line from the questionnaire and the verification pages."""

from __future__ import annotations

import streamlit as st

from assessment import Dimension, Indicator
from assessment.errors import KepatuhanError
from services.answering.assessing import AssessmentView, record_tally
from services.surveys.output_feed import feed_output, feeds_for, mapped_indicators
from ui.auth import current_actor
from ui.feedback import show_error
from ui.i18n import t
from ui.i18n.markdown import escape_markdown
from ui.resources import connection


def feed_button(view: AssessmentView, dim: Dimension) -> None:
    """On a dimension with indicators the period's user survey maps onto: fill their tallies in one click."""
    con = connection()
    mapped = mapped_indicators(con, period_id=view.period.id, criteria_id=view.criteria.id)
    if not view.can_edit or not any(i.id in mapped for i in dim.indicators):
        return
    if st.button(t("sv.feed.button"), icon=":material/poll:", key=f"sv_feed_{view.assessment.id}"):
        try:
            outcome = feed_output(con, current_actor(), assessment_id=view.assessment.id)
        except KepatuhanError as exc:
            show_error(exc)
            return
        if outcome.fed:
            st.toast(t("sv.feed.done", fed=", ".join(f"{k} (n={n})" for k, n in outcome.fed.items())))
        else:
            st.toast(t("sv.feed.none"))
        if outcome.kept:
            st.toast(t("sv.feed.kept", kept=", ".join(outcome.kept)))
        st.rerun()


def feed_caption(view: AssessmentView, ind: Indicator) -> bool:
    """Say where a survey-fed tally came from. True when it is still the survey's (then only a reasoned change
    is offered, in place of the ordinary tally inputs)."""
    feed = feeds_for(connection(), current_actor(), assessment_id=view.assessment.id).get(ind.id)
    if feed is None:
        return False
    if feed.overridden_by:
        st.warning(
            t("sv.feed.overridden", who=escape_markdown(feed.overridden_by), reason=escape_markdown(feed.reason or "")),
            icon=":material/edit_note:",
        )
        return False
    st.info(t("sv.feed.caption", n=feed.n, when=feed.fed_at.strftime("%d-%m-%Y %H:%M")), icon=":material/poll:")
    counts = {r.value: r.count for r in view.answers.get(ind.id, []) if r.subject.startswith("tally:")}
    st.text(" · ".join(f"{o.value:g} {o.label}: {counts.get(o.value, 0)}" for o in ind.options))
    if view.can_edit:
        _override_form(view, ind, counts)
    return True


def _override_form(view: AssessmentView, ind: Indicator, counts: dict[float | None, int]) -> None:
    with st.expander(t("sv.feed.override")), st.form(f"sv_override_{view.assessment.id}_{ind.id}"):
        new = {
            o.value: st.number_input(
                f"{o.value:g} · {o.label}",
                min_value=0,
                max_value=100_000,
                step=1,
                value=int(counts.get(o.value, 0)),
                key=f"sv_ov_{ind.id}_{o.value:g}",
            )
            for o in ind.options
        }
        reason = st.text_area(t("sv.feed.reason"), max_chars=1000, key=f"sv_ov_reason_{ind.id}")
        if st.form_submit_button(t("sv.feed.save")):
            try:
                record_tally(
                    connection(),
                    current_actor(),
                    assessment_id=view.assessment.id,
                    indicator_id=ind.id,
                    counts={k: int(v) for k, v in new.items()},
                    reason=reason or "",
                )
            except KepatuhanError as exc:
                show_error(exc)
                return
            st.rerun()


def verifier_note(view: AssessmentView, ind: Indicator) -> None:
    """What the verifier must see: the tally came from the survey, or the unit head changed it and why."""
    feed = feeds_for(connection(), current_actor(), assessment_id=view.assessment.id).get(ind.id)
    if feed is None:
        return
    if feed.overridden_by:
        st.warning(
            t("sv.feed.overridden", who=escape_markdown(feed.overridden_by), reason=escape_markdown(feed.reason or "")),
            icon=":material/edit_note:",
        )
    else:
        st.caption(t("sv.feed.caption", n=feed.n, when=feed.fed_at.strftime("%d-%m-%Y %H:%M")))

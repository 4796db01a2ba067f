"""Questionnaire page of one dimension: indicators grouped by variable, one click per answer."""

from __future__ import annotations

from functools import partial

import streamlit as st

from assessment import Dimension, Indicator
from services.answering.assessing import AssessmentView
from ui.context import choose_hint, pick_assessment
from ui.feedback import phrase_text, show_flash
from ui.i18n import t
from ui.i18n.markdown import escape_markdown
from ui.live_view import live_report, live_state
from ui.sections.survey_output import feed_button, feed_caption
from ui.widgets.answer_widgets import (
    SUMMARY_FRAGMENT,
    answer_radio,
    card_fragment_key,
    note_input,
    summary_shown,
    tally_inputs,
    watch_summary,
)
from ui.widgets.dimension_nav import (
    anchor,
    dimension_summary,
    indicator_anchor,
    summary_state,
    variable_anchor,
    variable_links,
)
from ui.widgets.evidence_panel import evidence_panel
from ui.widgets.evidence_todo import scroll_to_requested_indicator

METHOD_ICONS = {
    "observasi": ":material/visibility:",
    "wawancara": ":material/record_voice_over:",
    "dokumen": ":material/description:",
    "survei": ":material/checklist:",
}


def render(dimension_id: str) -> None:
    view = pick_assessment()
    show_flash()
    if view is None:
        st.info(choose_hint())
        return
    dim = next((d for d in view.criteria.dimensions if d.id == dimension_id), None)
    if dim is None:
        st.error(t("dimension.missing"))
        return
    st.title(escape_markdown(dim.title))
    st.caption(t("dimension.subtitle", unit=view.unit.name, period=view.period.name))
    # a click re-renders its own card (and this summary when it changed), never the whole page (D7)
    st.fragment(_summary, key=SUMMARY_FRAGMENT)(view.assessment.id, dim.id)
    if view.read_only_reason:
        st.info(phrase_text(view.read_only_reason), icon=":material/lock:")
    groups = _groups(dim)
    variable_links(groups)
    feed_button(view, dim)  # issue 12: Output tallies from the user survey
    scroll_to_requested_indicator([i.id for i in dim.indicators], indicator_anchor)
    only_open = st.toggle(t("dimension.only_unanswered"), key=f"only_open:{dim.id}")
    results = {r.id: r for r in live_report(view.assessment.id).indicators}
    for title, indicators in groups:
        visible = [i for i in indicators if not only_open or results[i.id].status in ("belum", "sebagian")]
        if not visible:
            continue
        if title:
            st.subheader(escape_markdown(title), anchor=variable_anchor(title))
        for ind in visible:
            anchor(indicator_anchor(ind.id))
            st.fragment(_card, key=card_fragment_key(ind.id))(view.assessment.id, ind.id, dim.id)


def _summary(assessment_id: int, dimension_id: str) -> None:
    dimension_summary(assessment_id, dimension_id)
    summary_shown(summary_state(assessment_id, dimension_id))  # what a card's save compares with


def _card(assessment_id: int, indicator_id: str, dimension_id: str) -> None:
    """One indicator card, read afresh on each of its own reruns (a fragment keeps its first arguments)."""
    watch_summary(partial(summary_state, assessment_id, dimension_id))
    view, report, at_risk = live_state(assessment_id)
    ind = view.criteria.indicators_by_id()[indicator_id]
    status = next(r.status for r in report.indicators if r.id == indicator_id)
    _indicator_card(view, ind, status, at_risk.get(indicator_id))


def _groups(dim: Dimension) -> list[tuple[str, list[Indicator]]]:
    if not dim.variables:
        return [("", list(dim.indicators))]
    groups = [(v.title, [i for i in dim.indicators if i.variable == v.id]) for v in dim.variables]
    loose = [i for i in dim.indicators if i.variable is None]
    return groups + ([(t("dimension.other"), loose)] if loose else [])


def _indicator_card(view: AssessmentView, ind: Indicator, status: str, points_at_risk: float | None) -> None:
    with st.container(border=True):
        show_flash(card=ind.id)  # a refused save is told inside the card it belongs to
        mark = {
            "lengkap": ":green[:material/check_circle:]",
            "sebagian": ":orange[:material/timelapse:]",
            "na": ":gray[:material/remove_circle_outline:]",
        }.get(status, ":gray[:material/radio_button_unchecked:]")
        st.markdown(f"{mark} **{ind.id}** · {escape_markdown(ind.question)}")
        st.caption(f"{METHOD_ICONS[ind.method]} {t('method.' + ind.method)} · {_subject_text(view, ind)}")
        if ind.id in view.change_requests:  # the verifier returned the assessment with this comment
            st.warning(t("verify.change_requested_for_unit", note=view.change_requests[ind.id]),
                       icon=":material/rate_review:")  # fmt: skip
        if ind.guidance:
            with st.expander(t("indicator.guidance")):
                st.markdown(escape_markdown(ind.guidance))
        if ind.subject.kind == "unit":
            answer_radio(view, ind, "unit", t("indicator.answer"), with_meanings=True)
        else:
            with st.expander(t("indicator.levels")):
                for option in sorted(ind.options, key=lambda o: o.value):
                    label, meaning = escape_markdown(option.label), escape_markdown(option.meaning)
                    st.markdown(f"**{option.value:g} · {label}** — {meaning}")
            if ind.subject.kind == "product":
                _per_product(view, ind)
            else:
                _per_respondent(view, ind)
        _saved_line(view, ind)
        note_input(view, ind)
        evidence_panel(view, ind, points_at_risk=points_at_risk, lazy=True)


def _per_product(view: AssessmentView, ind: Indicator) -> None:
    if not view.products:
        st.warning(t("indicator.no_products"))
        return
    for product in view.products:
        answer_radio(view, ind, f"product:{product.code}", escape_markdown(product.name), with_meanings=False)


def _per_respondent(view: AssessmentView, ind: Indicator) -> None:
    if feed_caption(view, ind):  # issue 12: a tally filled from the user survey changes only with a reason
        return
    rows = view.answers.get(ind.id, [])
    has_tally = any(r.subject.startswith("tally:") for r in rows)
    expected = ind.subject.expected or 1
    default_mode = 1 if has_tally or expected > 10 else 0
    modes = [t("respondent.each"), t("respondent.tally")]
    mode = st.radio(
        t("respondent.mode"),
        modes,
        index=default_mode,
        horizontal=True,
        key=f"mode:{view.assessment.id}:{ind.id}",
        label_visibility="collapsed",
    )
    if mode == modes[1]:
        tally_inputs(view, ind)
        return
    if has_tally:
        st.info(t("respondent.tally_exists"))
    numbers = sorted({int(r.subject.split(":")[1]) for r in rows if r.subject.startswith("respondent:")})
    count = max([expected, *numbers]) if numbers else expected
    for n in range(1, count + 1):
        answer_radio(view, ind, f"respondent:{n}", f"{t('respondent.default_label')} {n}", with_meanings=False)


def _subject_text(view: AssessmentView, ind: Indicator) -> str:
    if ind.subject.kind == "product":
        return t("subject.product", n=len(view.products))
    if ind.subject.kind == "respondent":
        return t(
            "subject.respondent", label=ind.subject.label or t("respondent.default_label"), n=ind.subject.expected or 0
        )
    return t("subject.unit")


def _saved_line(view: AssessmentView, ind: Indicator) -> None:
    rows = view.answers.get(ind.id, [])
    if rows:
        last = max(rows, key=lambda r: r.updated_at)
        st.caption(t("indicator.saved_at", at=last.updated_at.strftime("%d-%m-%Y %H:%M"), who=last.updated_by))

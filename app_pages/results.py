"""Results: total, category and zone, dimensions, explanation, path to the next zone, what-if, submit."""

from __future__ import annotations

import streamlit as st

from assessment import Report, improvements
from assessment.errors import KepatuhanError
from services.answering import results
from services.answering.assessing import AssessmentView
from ui.charts.results import dimension_bars, projection_bars, score_gauge
from ui.context import choose_hint, current_actor, pick_assessment
from ui.feedback import error_message, flash, phrase_text, show_flash
from ui.i18n import decimal_mark, number, receipt_reference, t, t_plain
from ui.i18n.markdown import escape_markdown
from ui.resources import connection
from ui.sections.gates_view import unit_section
from ui.widgets.path_table import frame, path_to_next_band

BADGE_COLOURS = {"hijau": "green", "kuning": "orange", "merah": "red", None: "gray"}


def render() -> None:
    view = pick_assessment()
    show_flash()
    st.title(t("results.title"))
    if view is None:
        st.info(choose_hint())
        return
    report = results.score_view(view)
    st.caption(f"{escape_markdown(view.unit.name)} · {escape_markdown(view.period.name)}")
    _headline(view, report)
    from ui.sections.verification_panel import verified_section  # here, not at the top: see ui.widgets.path_table.frame

    verified_section(view)  # the verified score beside the self score, once a verification exists
    unit_section(view, report)  # result with its gates and both label families, when the criteria have them
    _dimensions(report)
    path_to_next_band(view, report)
    _what_if(view, report)
    _explanation(view, report)
    _submission(view, report)


def _headline(view: AssessmentView, report: Report) -> None:
    cols = st.columns([2, 2, 3])
    with cols[0]:
        st.metric(t("results.total"), f"{number(report.total)} / {number(report.scale_max)}")
        st.markdown(f"**{t('results.category')}:** {report.band.code} — {escape_markdown(report.label)}")
        zone = report.band.zone
        if zone:
            st.badge(t("zone." + zone), color=BADGE_COLOURS[zone], icon=":material/circle:")
        if not report.complete:
            st.warning(t("results.incomplete", done=report.answered, total=report.scored_indicators))
    with cols[1]:
        st.plotly_chart(
            score_gauge(report.total, report.scale_max, view.criteria.bands, decimal=decimal_mark()), key="gauge"
        )
    with cols[2]:
        st.plotly_chart(
            dimension_bars(
                report, earned_label=t("results.earned"), lost_label=t("results.lost"), decimal=decimal_mark()
            ),
            key="dimbars",
        )


def _dimensions(report: Report) -> None:
    rows = [
        {
            t("results.col.dimension"): escape_markdown(d.title),
            t("results.col.score"): number(d.score),
            t("results.col.max"): number(d.max),
            t("results.col.share"): number(100 * d.share, 1),
        }
        for d in report.dimensions
    ]
    st.table(frame(rows), hide_index=True, border="horizontal")


def _what_if(view: AssessmentView, report: Report) -> None:
    st.subheader(t("results.whatif"))
    st.caption(t("results.whatif_help"))
    options = improvements(view.criteria, report.indicators)
    if not options:
        st.success(t("results.nothing_to_improve"))
        return
    questions = view.criteria.indicators_by_id()
    labels = {i.indicator: f"{i.indicator} (+{number(i.points)}) · {questions[i.indicator].question}" for i in options}
    chosen = st.multiselect(
        t("results.whatif_pick"),
        list(labels),
        format_func=labels.get,
        key="whatif",
        placeholder=t("results.whatif_placeholder"),
    )
    projected = results.what_if(view, chosen) if chosen else report
    cols = st.columns([2, 3])
    cols[0].metric(
        t("results.projected"),
        number(projected.total),
        delta=("+" if projected.total >= report.total else "") + number(projected.total - report.total)
        if chosen
        else None,
    )
    cols[0].markdown(f"**{t('results.category')}:** {projected.band.code} — {projected.label}")
    if projected.band.zone:
        cols[0].badge(
            t("zone." + projected.band.zone), color=BADGE_COLOURS[projected.band.zone], icon=":material/circle:"
        )
    cols[1].plotly_chart(
        projection_bars(
            report.total,
            projected.total,
            report.next_band.min if report.next_band else None,
            labels=(t("results.now"), t("results.planned")),
            decimal=decimal_mark(),
            next_label=t_plain("results.next_band_line", band=report.next_band.code, min=number(report.next_band.min))
            if report.next_band
            else "",
        ),
        key="whatif_chart",
    )


def _explanation(view: AssessmentView, report: Report) -> None:
    st.subheader(t("results.explanation"))
    indicators = view.criteria.indicators_by_id()
    dims = {d.id: d.title for d in view.criteria.dimensions}
    rows = [
        {
            t("results.col.dimension"): dims[r.dimension],
            t("results.col.indicator"): f"{r.id} · {indicators[r.id].question}",
            t("results.col.status"): t("istatus." + r.status),
            t("results.col.earned"): round(r.earned, 2),
            t("results.col.lost"): round(r.lost, 2),
            t("results.col.max"): round(r.max_points, 2),
        }
        for r in report.indicators
    ]
    # pixel widths: the table fits a 1400 px screen with the sidebar open (issue 9); a long question is cut in
    # the cell and shown whole on hover
    points = st.column_config.NumberColumn(width=90)
    numeric = [t("results.col.earned"), t("results.col.lost"), t("results.col.max")]
    st.dataframe(
        # the shown text in the reader's language; sorting still uses the numbers
        frame(rows).style.format({name: (lambda v: number(v)) for name in numeric}),
        hide_index=True,
        width="stretch",
        height=420,
        column_config={
            t("results.col.dimension"): st.column_config.TextColumn(width=110),
            t("results.col.indicator"): st.column_config.TextColumn(width=360),
            t("results.col.status"): st.column_config.TextColumn(width=115),
            t("results.col.earned"): st.column_config.NumberColumn(width=105),
            t("results.col.lost"): points,
            t("results.col.max"): points,
        },
    )


def _submission(view: AssessmentView, report: Report) -> None:
    st.subheader(t("results.submit_title"))
    row = view.assessment
    if row.snapshot_sha256 and not row.editable:  # reopened (returned by the verifier): submit again below
        st.success(
            t(
                "results.submitted_ref",
                at=row.submitted_at.strftime("%d-%m-%Y %H:%M") if row.submitted_at else "—",
                who=row.submitted_by or "—",
                ref=receipt_reference(row.snapshot_sha256),
            )
        )
        with st.expander(t("results.fingerprint")):  # the full hash, for whoever checks it
            st.code(row.snapshot_sha256, language=None)
            st.caption(t("results.snapshot_help"))
        return
    if not view.can_edit:
        st.info(phrase_text(view.read_only_reason))
        return
    st.write(t("results.submit_help"))
    if not report.complete:
        st.warning(t("results.submit_incomplete", n=report.scored_indicators - report.answered))
    confirm = st.checkbox(t("results.submit_confirm"), key="submit_confirm")
    if st.button(t("results.submit_button"), type="primary", disabled=not confirm):
        try:
            sha = results.submit(connection(), current_actor(), assessment_id=row.id)
            flash("toast", t("results.submit_done_ref", ref=receipt_reference(sha)))
        except KepatuhanError as exc:
            flash("error", error_message(exc))
        st.rerun()

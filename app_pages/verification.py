"""Verification pages: the verifier's queue, and the review of one assessment indicator by indicator."""

from __future__ import annotations

import streamlit as st

from assessment import Indicator
from assessment.errors import KepatuhanError
from services.answering.results import missing_evidence
from services.directory import list_periods
from services.verification import decisions as verification
from services.verification.decisions import QueueItem, Review
from ui.auth import current_actor
from ui.feedback import attempt, show_error, show_flash
from ui.i18n import t
from ui.i18n.markdown import escape_markdown
from ui.resources import connection
from ui.sections.survey_output import verifier_note
from ui.sections.verification_panel import (
    STATE_MARKS,
    answer_lines,
    berita_acara_button,
    comparison,
    decision_controls,
    decision_status,
    differences_table,
    dimension_comparison,
)
from ui.widgets.evidence_panel import evidence_panel

PARAM = "penilaian"
STATUS_COLOURS = {"submitted": "blue", "in_review": "orange", "verified": "green", "reopened": "gray"}


def render_queue(review_page: st.Page | None = None) -> None:
    show_flash()
    st.title(t("verify.queue_title"))
    con, actor = connection(), current_actor()
    periods = list_periods(con)
    if not periods:
        st.info(t("picker.empty"))
        return
    default = next((p for p in periods if p.status == "open"), periods[0])
    period = st.selectbox(t("picker.period"), periods, index=periods.index(default), format_func=lambda p: p.name,
                          key="vq_period")  # fmt: skip
    try:
        items = verification.queue(con, actor, period_id=period.id, include_done=True)
    except KepatuhanError as exc:
        show_error(exc)
        return
    waiting = [i for i in items if i.status in ("submitted", "in_review")]
    st.caption(t("verify.queue_help"))
    if not waiting:
        st.info(t("verify.queue_empty"), icon=":material/inbox:")
    for item in waiting:
        _queue_row(item, review_page)
    done = [i for i in items if i not in waiting]
    if done:
        st.subheader(t("verify.queue_done"))
        for item in done:
            _queue_row(item, review_page)


def _queue_row(item: QueueItem, review_page: st.Page | None) -> None:
    with st.container(border=True):
        cols = st.columns([4, 2, 3, 2, 2], vertical_alignment="center")
        cols[0].markdown(f"**{escape_markdown(item.unit_name)}**")
        cols[0].caption(item.unit_code)
        cols[1].badge(t("status." + item.status), color=STATUS_COLOURS.get(item.status, "gray"))
        if item.resubmitted:
            cols[1].badge(t("verify.recheck"), icon=":material/replay:", color="orange")
        when = item.submitted_at.strftime("%d-%m-%Y %H:%M") if item.submitted_at else "—"
        cols[2].caption(t("verify.submitted_by", at=when, who=item.submitted_by or "—"))
        cols[3].caption(t("verify.queue_decided", n=item.decided, requested=item.change_requested))
        label = {"submitted": "verify.start", "in_review": "verify.continue"}.get(item.status, "verify.view")
        if cols[4].button(t(label), key=f"vq_open:{item.assessment_id}", type="primary" if item.status ==
                          "submitted" else "secondary"):  # fmt: skip
            if item.status == "submitted":
                started, _ = attempt(verification.start_review, connection(), current_actor(),
                                     assessment_id=item.assessment_id, deferred=True)  # fmt: skip
                if not started:
                    st.rerun()
            st.session_state[PARAM] = item.assessment_id
            if review_page is not None:
                st.switch_page(review_page, query_params={PARAM: str(item.assessment_id)})
            st.query_params[PARAM] = str(item.assessment_id)
            st.rerun()


def _chosen(con, actor) -> int | None:
    """The assessment under review: from the link (?penilaian=…), else a pick from the verifier's queue."""
    items: list[QueueItem] = []
    for period in list_periods(con):
        items += verification.queue(con, actor, period_id=period.id, include_done=True)
    wanted = st.query_params.get(PARAM) or str(st.session_state.get(PARAM) or "")
    ids = [i.assessment_id for i in items]
    if wanted and wanted.isdigit() and int(wanted) not in ids:
        ids.append(int(wanted))  # a link to an assessment outside the queue: the service decides who may see it
    if not ids:
        st.info(t("verify.queue_empty"), icon=":material/inbox:")
        return None
    names = {i.assessment_id: f"{i.unit_name} · {i.period_name}" for i in items}  # the status is shown below
    chosen = st.selectbox(
        t("verify.pick"),
        ids,
        index=ids.index(int(wanted)) if wanted.isdigit() else None,
        format_func=lambda a: names.get(a, f"#{a}"),
        placeholder=t("verify.pick_placeholder"),
        key="vr_pick",
    )
    if chosen is not None:
        st.query_params[PARAM] = str(chosen)
        st.session_state[PARAM] = chosen
    return chosen


def render_review() -> None:
    show_flash()
    con, actor = connection(), current_actor()
    st.title(t("verify.review_title"))
    try:
        aid = _chosen(con, actor)
        if aid is None:
            return
        rv = verification.review(con, actor, assessment_id=aid)
    except KepatuhanError as exc:
        show_error(exc)
        return
    view, row = rv.view, rv.view.assessment
    st.subheader(escape_markdown(view.unit.name))
    submitted = row.submitted_at.strftime("%d-%m-%Y %H:%M") if row.submitted_at else "—"
    st.caption(f"{escape_markdown(view.period.name)} · {t('status.' + row.status)} · "
               + t("verify.submitted_by", at=submitted, who=row.submitted_by or "—"))  # fmt: skip
    _status_notice(rv)
    comparison(rv)
    total = len(rv.scored_ids)
    st.progress(rv.done / total if total else 0.0, text=t("verify.progress", done=rv.done, total=total))
    st.caption(
        t("verify.counts", accepted=rv.count("accepted"), adjusted=rv.count("adjusted"),
          requested=rv.count("change_requested"), recheck=rv.count("recheck"), open=rv.count("open"))
    )  # fmt: skip
    _dimensions(rv)
    st.subheader(t("verify.differences", n=len(rv.differences)))
    differences_table(rv)
    with st.expander(t("verify.per_dimension")):
        dimension_comparison(rv)
    _finish(rv)


def _status_notice(rv: Review) -> None:
    status, row = rv.status, rv.view.assessment
    if status == "submitted" and rv.can_verify:
        st.info(t("verify.not_started"), icon=":material/play_circle:")
        if st.button(t("verify.start"), type="primary", key="vr_start"):
            attempt(verification.start_review, connection(), current_actor(), assessment_id=row.id, deferred=True,
                    done=t("verify.started"))
            st.rerun()
    elif status == "reopened":
        st.info(t("verify.with_unit"), icon=":material/undo:")
    elif status == "verified":
        at = row.verified_at.strftime("%d-%m-%Y %H:%M") if row.verified_at else "—"
        st.success(t("verify.verified_on", at=at, who=row.verified_by or "—"), icon=":material/verified:")
        berita_acara_button(rv)
    elif not rv.can_decide:
        st.info(t("verify.read_only"), icon=":material/lock:")


def _dimensions(rv: Review) -> None:
    criteria = rv.view.criteria
    only_open = st.toggle(t("verify.only_open"), key="vr_only_open")
    at_risk = missing_evidence(rv.view, rv.self_report)
    tabs = st.tabs([f"{d.title} · {sum(1 for i in d.indicators if rv.states[i.id] in ('accepted', 'adjusted'))}"
                    f"/{len(d.indicators)}" for d in criteria.dimensions])  # fmt: skip
    for tab, dim in zip(tabs, criteria.dimensions, strict=True):
        with tab:
            open_ids = [i.id for i in dim.indicators if rv.states[i.id] == "open"]
            if rv.can_decide and open_ids:
                st.button(
                    t("verify.accept_rest", n=len(open_ids)),
                    key=f"vr_rest:{dim.id}",
                    icon=":material/done_all:",
                    help=t("verify.accept_rest_help"),
                    on_click=attempt,
                    args=(verification.accept_remaining, connection(), current_actor()),
                    kwargs={"assessment_id": rv.view.assessment.id, "dimension_id": dim.id, "deferred": True,
                            "done": t("verify.accepted_rest", n=len(open_ids))},
                )  # fmt: skip
            shown = [i for i in dim.indicators if not only_open or rv.states[i.id] not in ("accepted", "adjusted")]
            if not shown:
                st.success(t("verify.dimension_done"))
            for ind in shown:
                _card(rv, ind, at_risk.get(ind.id))


def _card(rv: Review, ind: Indicator, points_at_risk: float | None) -> None:
    view = rv.view
    with st.container(border=True):
        st.markdown(f"{STATE_MARKS[rv.states[ind.id]]} **{ind.id}** · {escape_markdown(ind.question)}")
        st.caption(f"{t('method.' + ind.method)} · {_subject_text(rv, ind)}")
        left, right = st.columns([3, 2])
        with left:
            st.markdown(f"**{t('verify.unit_answer')}**")
            for line in answer_lines(view, ind):
                st.text(line)
            verifier_note(view, ind)  # issue 12: "dari survei", or the unit head's reason for changing it
            note = view.notes.get(ind.id)
            if note and note.note:
                st.markdown(f"**{t('verify.unit_note')}**")
                st.text(note.note)
            evidence_panel(view, ind, points_at_risk=points_at_risk)
        with right:
            decision_status(rv, ind)
            if rv.can_decide:
                decision_controls(rv, ind)


def _subject_text(rv: Review, ind: Indicator) -> str:
    if ind.subject.kind == "product":
        return t("subject.product", n=len(rv.view.products))
    if ind.subject.kind == "respondent":
        return t("subject.respondent", label=ind.subject.label or t("respondent.default_label"),
                 n=ind.subject.expected or 0)  # fmt: skip
    return t("subject.unit")


def _finish(rv: Review) -> None:
    if not rv.can_decide:
        return
    st.subheader(t("verify.finish_title"))
    aid = rv.view.assessment.id
    requested = rv.count("change_requested")
    left, right = st.columns(2)
    with left.container(border=True):
        st.markdown(f"**{t('verify.return')}**")
        st.caption(t("verify.return_help", n=requested))
        if st.button(t("verify.return"), key="vr_return", icon=":material/undo:", disabled=requested == 0):
            attempt(verification.request_changes, connection(), current_actor(), assessment_id=aid, deferred=True,
                    done=t("verify.returned"))
            st.rerun()
    with right.container(border=True):
        st.markdown(f"**{t('verify.complete')}**")
        pending = len(rv.scored_ids) - rv.done
        st.caption(t("verify.complete_help") if not pending else t("verify.complete_pending", n=pending))
        confirm = st.checkbox(t("verify.complete_confirm"), key="vr_confirm", disabled=bool(pending))
        if st.button(t("verify.complete"), key="vr_complete", type="primary", icon=":material/verified:",
                     disabled=bool(pending) or not confirm):  # fmt: skip
            attempt(verification.complete, connection(), current_actor(), assessment_id=aid, deferred=True,
                    done=t("verify.completed"))
            st.rerun()

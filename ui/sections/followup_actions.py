"""Widgets of the follow-up actions page: proposals, the manual form, the action table, the update form."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from services.access import Actor
from services.answering.assessing import AssessmentView
from services.answering.evidence_files import attach_evidence
from services.followup import actions, exports
from services.followup.actions import ActionLine
from services.followup.proposals import suggestions
from ui.feedback import attempt, flash
from ui.i18n import number, t
from ui.i18n.markdown import escape_markdown
from ui.resources import blobs, connection
from ui.sections.followup_common import highlighted_table
from ui.sections.region_view import deferred

MAX_PROPOSALS = 15


def _default_due() -> dt.date:
    return dt.date.today() + dt.timedelta(days=30)


def summary(lines: list[ActionLine]) -> None:
    open_lines = [line for line in lines if line.action.is_open]
    cols = st.columns(3)
    cols[0].metric(t("fu.metric.open"), len(open_lines))
    cols[1].metric(t("fu.metric.overdue"), sum(line.overdue for line in lines))
    cols[2].metric(t("fu.metric.points"), number(sum(line.action.expected_points for line in open_lines)))


def proposals(con, actor: Actor, view: AssessmentView) -> None:
    """Proposed actions: the path to the next category, other lost points, and the verifier's findings."""
    items = suggestions(con, actor, period_id=view.period.id, unit_id=view.unit.id)
    st.subheader(t("fu.proposals"))
    if not items:
        st.info(t("fu.proposals.none"))
        return
    st.caption(t("fu.proposals.help"))
    c1, c2 = st.columns(2)
    owner = c1.text_input(t("fu.owner"), key="fu_prop_owner", max_chars=120, placeholder=t("fu.owner.placeholder"))
    due = c2.date_input(t("fu.due"), value=_default_due(), min_value=dt.date.today(), key="fu_prop_due",
                        format="DD/MM/YYYY")  # fmt: skip
    for n, item in enumerate(items[:MAX_PROPOSALS]):
        with st.container(border=True):
            left, right = st.columns([5, 1.4], vertical_alignment="center")
            tag = t(f"fu.source.{item.source}") + (f" · {t('fu.on_path')}" if item.on_path else "")
            left.markdown(f"**{item.indicators[0]}** · {tag} · +{number(item.expected_points)} {t('fu.points')}")
            left.text(item.title)
            if item.detail:
                left.caption(item.detail)
            if item.planned:
                right.badge(t("fu.planned"), color="gray", icon=":material/event_available:")
            elif right.button(t("fu.make_action"), key=f"fu_make_{n}", icon=":material/add_task:",
                              disabled=not actions.may_plan(actor, view.unit.id)):  # fmt: skip
                ok, _ = attempt(lambda item=item: actions.create_action(
                    con, actor, period_id=view.period.id, unit_id=view.unit.id, title=item.title,
                    indicators=item.indicators, source=item.source, owner=owner, due_date=due))  # fmt: skip
                if ok:
                    flash("success", t("fu.created", title=item.title))
                    st.rerun()


def manual_form(con, actor: Actor, view: AssessmentView) -> None:
    ids = list(view.criteria.indicators_by_id())
    with st.form("fu_manual", clear_on_submit=False):
        st.markdown(f"**{t('fu.manual')}**")
        title = st.text_input(t("fu.title_field"), max_chars=300)
        chosen = st.multiselect(t("fu.indicators"), ids, placeholder=t("fu.indicators.placeholder"))
        c1, c2 = st.columns(2)
        owner = c1.text_input(t("fu.owner"), max_chars=120)
        due = c2.date_input(t("fu.due"), value=_default_due(), min_value=dt.date.today(), format="DD/MM/YYYY")
        sent = st.form_submit_button(t("fu.add"), icon=":material/add:")
    if sent:
        ok, _ = attempt(lambda: actions.create_action(
            con, actor, period_id=view.period.id, unit_id=view.unit.id, title=title, indicators=chosen,
            source="manual", owner=owner, due_date=due))  # fmt: skip
        if ok:
            flash("success", t("fu.created", title=title))
            st.rerun()


def action_rows(lines: list[ActionLine], *, with_unit: bool) -> tuple[list[dict], list[bool]]:
    rows = []
    for line in lines:
        a = line.action
        row = {t("region.col.unit"): f"{line.unit_code} · {line.unit_name}"} if with_unit else {}
        row.update({
            t("fu.col.status"): t(f"fu.status.{a.status}"),
            t("fu.col.due"): a.due_date.strftime("%d-%m-%Y"),
            t("fu.col.late"): t("fu.late_days", n=-line.days_left) if line.overdue else "",
            t("fu.col.title"): a.title,
            t("fu.col.indicators"): ", ".join(a.indicator_ids),
            t("fu.col.owner"): a.owner,
            t("fu.col.points"): a.expected_points,
            t("fu.col.evidence"): line.evidence_name or "",
            t("fu.col.source"): t(f"fu.source.{a.source}"),
        })  # fmt: skip
        rows.append(row)
    return rows, [line.overdue for line in lines]


def action_table(lines: list[ActionLine], *, with_unit: bool, key: str) -> None:
    if not lines:
        st.info(t("fu.none"))
        return
    rows, late = action_rows(lines, with_unit=with_unit)
    highlighted_table(rows, late, numbers=[t("fu.col.points")], key=key)
    st.caption(t("fu.late_help"))


def update_form(con, actor: Actor, view: AssessmentView, lines: list[ActionLine]) -> None:
    if not lines or not actions.may_plan(actor, view.unit.id):
        return
    st.subheader(t("fu.update"))
    by_id = {line.action.id: line for line in lines}
    # the label leaves the status out: it changes on save, and the chosen option must stay the same action
    chosen = st.selectbox(t("fu.pick_action"), list(by_id), key="fu_pick",
                          format_func=lambda i: f"#{i} · {by_id[i].action.title[:90]}")  # fmt: skip
    line = by_id[chosen]
    a = line.action
    allowed = [a.status, *actions.TRANSITIONS[a.status]]
    evidence = [e for ind in a.indicator_ids for e in view.evidence.get(ind, [])]
    with st.form(f"fu_update_{a.id}_{a.revision}"):
        status = st.selectbox(t("fu.col.status"), allowed, format_func=lambda s: t(f"fu.status.{s}"))
        c1, c2 = st.columns(2)
        owner = c1.text_input(t("fu.owner"), value=a.owner, max_chars=120)
        due = c2.date_input(t("fu.due"), value=max(a.due_date, dt.date.today()), min_value=dt.date.today(),
                            format="DD/MM/YYYY")  # fmt: skip
        note = st.text_area(t("fu.note"), max_chars=2000, help=t("fu.note.help"))
        existing = None
        if a.indicator_ids:
            st.markdown(f"**{t('fu.closing_evidence')}**")
            names = {e.id: f"{e.indicator_id} · {e.file_name}" for e in evidence}
            existing = st.selectbox(t("fu.evidence.existing"), [None, *names],
                                    format_func=lambda i: t("fu.evidence.none") if i is None else names[i])
            upload = st.file_uploader(t("fu.evidence.upload", ind=a.indicator_ids[0]), key=f"fu_up_{a.id}_{a.revision}")
            raise_it = st.checkbox(t("fu.raise"), value=True, help=t("fu.raise.help"))
        else:
            upload, raise_it = None, False
        sent = st.form_submit_button(t("fu.save"), icon=":material/save:")
    if not sent:
        return
    evidence_id = existing
    if status == "selesai" and upload is not None and view.assessment.id:
        ok, record = attempt(lambda: attach_evidence(
            con, blobs(), actor, assessment_id=view.assessment.id, indicator_id=a.indicator_ids[0],
            data=upload.getvalue(), file_name=upload.name, effective_date=dt.date.today()))  # fmt: skip
        if not ok:
            return
        evidence_id = record.id
    ok, raised = attempt(lambda: actions.update_action(
        con, actor, action_id=a.id, expected_revision=a.revision, status=status if status != a.status else None,
        owner=owner, due_date=due if due != a.due_date else None, note=note,
        evidence_id=evidence_id if status == "selesai" else None,
        raise_answer=bool(raise_it) and status == "selesai"))  # fmt: skip
    if ok:
        flash("success", t("fu.saved") + (" " + t("fu.raised", ids=", ".join(raised)) if raised else ""))
        st.rerun()


def downloads(actor: Actor, period_id: int, period_name: str, unit_id: int | None, unit_code: str | None,
              key: str) -> None:  # fmt: skip
    c1, c2 = st.columns(2)
    c1.download_button(
        t("fu.download.xlsx"),
        data=deferred(lambda con: exports.actions_xlsx(con, actor, period_id=period_id, unit_id=unit_id)),
        file_name=exports.actions_file_name(period_name, unit_code, "xlsx"), mime=exports.XLSX_MIME,
        on_click="ignore", icon=":material/table:", key=f"{key}_xlsx", width="stretch",
    )  # fmt: skip
    c2.download_button(
        t("fu.download.pdf"),
        data=deferred(lambda con: exports.actions_pdf(con, actor, period_id=period_id, unit_id=unit_id)),
        file_name=exports.actions_file_name(period_name, unit_code, "pdf"), mime=exports.PDF_MIME,
        on_click="ignore", icon=":material/picture_as_pdf:", key=f"{key}_pdf", width="stretch",
    )  # fmt: skip


def unit_section(actor: Actor, view: AssessmentView) -> None:
    con = connection()
    lines = actions.unit_actions(con, actor, period_id=view.period.id, unit_id=view.unit.id)
    st.subheader(escape_markdown(view.unit.name))
    summary(lines)
    action_table(lines, with_unit=False, key="fu_unit_table")
    downloads(actor, view.period.id, view.period.name, view.unit.id, view.unit.code, key="fu_unit_dl")
    update_form(con, actor, view, lines)
    if actions.may_plan(actor, view.unit.id):
        proposals(con, actor, view)
        manual_form(con, actor, view)


def region_section(actor: Actor, period_id: int, period_name: str) -> None:
    """Every unit's actions (overdue first) and, for the admin, one action per unit from a most-missed indicator."""
    from services.region import overview as region

    con = connection()
    lines = actions.region_actions(con, actor, period_id=period_id)
    summary(lines)
    action_table(lines, with_unit=True, key="fu_region_table")
    downloads(actor, period_id, period_name, None, None, key="fu_region_dl")
    if actor.role != "admin":
        return
    missed = region.region_overview(con, actor, period_id=period_id).missed
    if not missed:
        return
    st.subheader(t("fu.missed"))
    st.caption(t("fu.missed.help"))
    by_id = {m.indicator: m for m in missed}
    with st.form("fu_missed"):
        chosen = st.selectbox(t("fu.missed.pick"), list(by_id), format_func=lambda i: (
            f"{i} · {by_id[i].question[:80]} · {by_id[i].units_losing} unit · +{number(by_id[i].region_gain)}"))
        c1, c2 = st.columns(2)
        owner = c1.text_input(t("fu.owner"), value=t("fu.missed.owner_default"), max_chars=120)
        due = c2.date_input(t("fu.due"), value=_default_due(), min_value=dt.date.today(), format="DD/MM/YYYY")
        sent = st.form_submit_button(t("fu.missed.create"), icon=":material/playlist_add:")
    if sent:
        ok, created = attempt(lambda: actions.create_for_missed(con, actor, period_id=period_id, indicator_id=chosen,
                                                                owner=owner, due_date=due))  # fmt: skip
        if ok:
            flash("success", t("fu.missed.created", n=len(created), ind=chosen))
            st.rerun()

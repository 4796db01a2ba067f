"""Read-only pieces of the drill-down into one unit: unit picker, path to the next category, answers, evidence."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from assessment import Report
from assessment.errors import KepatuhanError
from services.answering import evidence_files
from services.answering.assessing import AssessmentView
from services.views import OrgUnit
from ui.auth import current_actor
from ui.feedback import show_error
from ui.i18n import t, t_plain
from ui.resources import blobs
from ui.sections.region_view import deferred, table


def pick_unit(units: Sequence[OrgUnit], *, key: str = "region_unit") -> OrgUnit | None:
    """Sidebar picker of the unit to look into; the URL (?unit=CODE) chooses it when it names a visible unit."""
    codes = {u.code: u for u in units}
    wanted = st.query_params.get("unit")
    index = list(units).index(codes[wanted]) if wanted in codes else None
    chosen = st.sidebar.selectbox(
        t("picker.unit"),
        list(units),
        index=index,
        key=key,
        format_func=lambda u: u.name,
        placeholder=t("picker.unit_placeholder"),
    )
    if chosen is not None:
        st.query_params["unit"] = chosen.code
    return chosen


def _value_text(view: AssessmentView, indicator_id: str, value: float | None) -> str:
    if value is None:
        return t("answer.na")
    ind = view.criteria.indicators_by_id().get(indicator_id)
    option = ind.option(value) if ind else None
    return f"{value:g} · {option.label}" if option else f"{value:g}"


def _subject_text(view: AssessmentView, subject: str, count: int) -> str:
    kind, _, rest = subject.partition(":")
    if kind == "product":
        names = {p.code: p.name for p in view.products}
        return t_plain("region.unit.subject.product", name=names.get(rest, rest))
    if kind == "respondent":
        return t("region.unit.subject.respondent", n=rest)
    if kind == "tally":
        return t("region.unit.subject.tally", n=count)
    return t("region.unit.subject.unit")


def answers_table(view: AssessmentView, report: Report) -> None:
    st.subheader(t("region.unit.answers"))
    results = {r.id: r for r in report.indicators}
    rows = []
    for dim in view.criteria.dimensions:
        for ind in dim.indicators:
            note = view.notes.get(ind.id)
            for a in view.answers.get(ind.id) or [None]:
                rows.append(
                    {
                        t("results.col.indicator"): f"{ind.id} · {ind.question}",
                        t("region.unit.subject"): _subject_text(view, a.subject, a.count) if a else None,
                        t("indicator.answer"): _value_text(view, ind.id, a.value) if a else None,
                        t("results.col.earned"): round(results[ind.id].earned, 2),
                        t("results.col.status"): t("istatus." + results[ind.id].status),
                        t("note.label"): note.note if note else None,
                        t("results.col.dimension"): dim.title,
                        t("region.unit.by"): f"{a.updated_by}, {a.updated_at:%d-%m-%Y %H:%M}" if a else None,
                    }
                )
    table(rows, numbers=[t("results.col.earned")], height=420)


def evidence_list(view: AssessmentView) -> None:
    st.subheader(t("region.unit.evidence", n=sum(len(v) for v in view.evidence.values())))
    records = [e for rows in view.evidence.values() for e in rows]
    if not records:
        st.info(t("region.unit.no_evidence"))
        return
    actor, store = current_actor(), blobs()
    for record in records:
        cols = st.columns([1, 5, 2])
        cols[0].text(record.indicator_id)
        # file names and descriptions are user text: plain text only
        cols[1].text(f"{record.file_name} · {record.description or '—'}")
        cols[1].caption(
            t(
                "evidence.meta",
                date=record.effective_date or "—",
                who=record.uploaded_by,
                at=record.uploaded_at.strftime("%d-%m-%Y %H:%M"),
            )
        )

        download = deferred(
            lambda con, rid=record.id: evidence_files.evidence_bytes(con, store, actor, evidence_id=rid)[1]
        )
        try:
            cols[2].download_button(
                t("evidence.download"),
                data=download,
                file_name=record.file_name,
                mime=record.media_type,
                key=f"region_ev_{record.id}",
                on_click="ignore",
            )
        except KepatuhanError as exc:
            show_error(exc, where=cols[2])

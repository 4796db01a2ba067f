"""Overview of one assessment: status, progress per dimension, what is still open."""

from __future__ import annotations

import streamlit as st

from services.answering.results import missing_evidence, score_view
from ui.context import choose_hint, pick_assessment
from ui.feedback import phrase_text, show_flash
from ui.i18n import t
from ui.i18n.markdown import escape_markdown
from ui.sections import followup_reminders
from ui.widgets.evidence_todo import missing_evidence_links


def render(dimension_pages: dict[str, st.Page] | None = None) -> None:
    view = pick_assessment()
    show_flash()
    st.title(t("overview.title"))
    followup_reminders.show()
    if view is None:
        st.info(choose_hint())
        return
    if view.unit.is_demo:
        st.info(t("overview.demo"), icon=":material/science:")
    report = score_view(view)
    period = view.period
    st.subheader(escape_markdown(view.unit.name))
    cols = st.columns(2)
    cols[0].metric(t("overview.period"), period.name)
    cols[1].metric(t("overview.status"), t("status." + view.assessment.status))
    window = (
        f"{period.visit_from:%d-%m-%Y} – {period.visit_to:%d-%m-%Y}" if period.visit_from and period.visit_to else "—"
    )
    # a line, not a metric: the dates are too long for a metric column and would be cut off
    st.markdown(f":material/event: **{t('overview.visit')}:** {window}")
    if view.read_only_reason:
        st.info(phrase_text(view.read_only_reason), icon=":material/lock:")
    if view.change_requests:
        ids = ", ".join(view.change_requests)
        st.warning(t("overview.changes_requested", n=len(view.change_requests), ids=ids), icon=":material/rate_review:")

    total = report.scored_indicators
    st.progress(
        report.answered / total if total else 0.0, text=t("overview.progress", done=report.answered, total=total)
    )
    results = {r.id: r for r in report.indicators}
    at_risk = missing_evidence(view, report)
    for dim in view.criteria.dimensions:
        open_items = [i for i in dim.indicators if results[i.id].status in ("belum", "sebagian")]
        done = len(dim.indicators) - len([i for i in dim.indicators if results[i.id].status == "belum"])
        with st.container(border=True):
            head = st.columns([3, 2])
            head[0].markdown(f"**{dim.title}**")
            head[0].progress(
                done / len(dim.indicators), text=t("overview.dim_progress", done=done, total=len(dim.indicators))
            )
            if dimension_pages and dim.id in dimension_pages:
                head[1].page_link(
                    dimension_pages[dim.id],
                    label=t("overview.open_dimension" if view.can_edit else "overview.view_dimension"),
                    icon=":material/arrow_forward:",
                )
            if open_items:
                with st.expander(t("overview.open_items", n=len(open_items))):
                    for ind in open_items:
                        state = t("overview.partial") if results[ind.id].status == "sebagian" else t("overview.empty")
                        st.text(f"{ind.id} · {state} · {ind.question}")
            page = dimension_pages.get(dim.id) if dimension_pages else None
            missing_evidence_links(view, list(dim.indicators), at_risk, page)

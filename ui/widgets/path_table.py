"""The path to the next band as a table, shared by the results page and the region drill-down."""

from __future__ import annotations

import streamlit as st

from assessment import Report
from services.answering.assessing import AssessmentView
from ui.i18n import number, t
from ui.i18n.markdown import escape_markdown
from ui.sections.gates_view import path_to_next_result


def frame(rows: list[dict]):
    """A pandas frame of the rows. pandas is imported when a page runs, not when app.py imports its
    pages: that keeps it out of the cold start of the login page."""
    import pandas as pd

    return pd.DataFrame(rows)


def path_to_next_band(view: AssessmentView, report: Report) -> None:
    if report.result is not None:  # the criteria have gates: the path leads to the next result (e.g. WBK)
        path_to_next_result(view, report)
        return
    st.subheader(t("results.path"))
    if report.next_band is None:
        st.success(t("results.top_band"))
        return
    st.write(
        t(
            "results.path_intro",
            band=report.next_band.code,
            label=report.next_band.label,
            min=number(report.next_band.min),
            gap=number(max(0.0, report.next_band.min - report.total)),
        )
    )
    indicators = view.criteria.indicators_by_id()
    running = report.total_exact
    rows = []
    for n, imp in enumerate(report.path, 1):
        running += imp.points
        ind = indicators[imp.indicator]
        rows.append(
            {
                "No.": n,  # not "#": headers are markdown too, and a lone "#" renders as an empty heading
                t("results.col.indicator"): f"**{imp.indicator}** · {escape_markdown(ind.question)}",
                t("results.col.target"): f"{imp.target_value:g} · "
                + escape_markdown(ind.option(imp.target_value).label),
                t("results.col.points"): "+" + number(imp.points),
                t("results.col.after"): number(running),
                t("results.col.evidence"): escape_markdown(imp.evidence_hint) if imp.evidence_hint else "—",
            }
        )
    # a static table wraps the long questions and evidence hints instead of cutting them off
    st.table(frame(rows), hide_index=True, border="horizontal")

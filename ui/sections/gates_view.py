"""Results (gates) and label families on the results page, the region drill-down and the region overview.

Each page calls one function: unit_section(view, report), region_section(scores); the path table delegates
to path_to_next_result when the criteria have gates. Criteria texts (gate titles, labels) are shown as
literal text; numbers in the reader's locale.
"""

from __future__ import annotations

import streamlit as st

from assessment import Report
from assessment.gates import GateCheck, ResultOutcome
from assessment.labels import LabelOutcome
from services.answering.assessing import AssessmentView
from services.region import standings
from services.region.data import PeriodScores
from ui.i18n import number, t
from ui.i18n.markdown import escape_markdown
from ui.resources import connection

SUFFIX_BOX = {"diberikan": st.success, "tidak": st.warning, "belum_ditentukan": st.info}
SUFFIX_ICON = {
    "diberikan": ":material/verified:",
    "tidak": ":material/report:",
    "belum_ditentukan": ":material/help:",
}


def _frame(rows: list[dict]):
    import pandas as pd  # at render time, as ui.widgets.path_table: keeps pandas out of the login page's cold start

    return pd.DataFrame(rows)


def unit_section(view: AssessmentView, report: Report) -> None:
    """The unit's result with every gate, and its labels (own family first) with the recorded facts."""
    criteria = view.criteria
    if criteria.results is None and not criteria.label_families:
        return
    st.subheader(t("gates.title"))
    if report.result is not None:
        result_block(report.result)
    if criteria.label_families:
        labels = standings.unit_labels(connection(), criteria, report, period_id=view.period.id, unit_id=view.unit.id)
        labels_block(labels, entity=False)


def result_block(result: ResultOutcome) -> None:
    achieved = result.achieved >= 0
    st.badge(
        f"{t('gates.result')}: {result.label}",
        color="green" if achieved else "red",
        icon=":material/workspace_premium:" if achieved else ":material/cancel:",
    )
    nxt = result.next
    if nxt is not None:
        st.warning(t("gates.failing", label=nxt.label, n=len(nxt.failing), total=len(nxt.gates)))
    elif achieved:
        st.success(t("gates.all_passed", n=len(result.levels[result.achieved].gates), label=result.label))
    with st.expander(t("gates.levels"), expanded=nxt is not None):
        for level in result.levels:
            st.markdown(f"**{escape_markdown(level.label)}**")
            st.table(_frame([_gate_row(g) for g in level.gates]), hide_index=True, border="horizontal")
        if any(g.uncertain for level in result.levels for g in level.gates):
            st.caption(t("gates.uncertain_help"))


def _gate_row(g: GateCheck) -> dict:
    # four short columns so a phone shows the status too; the part furthest from its threshold stands for
    # an all/any gate of several parts, and is named (a single part repeats the gate's own title)
    worst = min(g.parts, key=lambda p: p.score - p.required)
    gate = escape_markdown(g.title) + (" \\*" if g.uncertain else "")
    if len(g.parts) > 1:
        gate += " · " + t("gates.part_of", title=escape_markdown(worst.title), n=len(g.parts))
    return {
        t("gates.col.status"): f":green[{t('gates.passed')}]" if g.passed else f":red[**{t('gates.not_passed')}**]",
        t("gates.col.gate"): gate,
        t("gates.col.score_needed"): f"{number(worst.score)} / {number(worst.required)}",
        t("gates.col.gap"): "—" if g.passed else number(g.gap),
    }


def labels_block(labels: tuple[LabelOutcome, ...], *, entity: bool) -> None:
    """Own family first (unit on a unit page, entity on the region page), the other at the same score."""
    ordered = sorted(labels, key=lambda lab: (lab.applies_to == "entity") != entity)
    for lab in ordered:
        own = (lab.applies_to == "entity") == entity
        if own:
            key = "labels.own_region" if entity else "labels.own_unit"
        else:
            key = "labels.unit_same_score" if entity else "labels.entity_same_score"
        st.markdown(f"**{t(key)}** · {escape_markdown(lab.title)}: **{escape_markdown(lab.text)}**")
        if not own and not entity:
            st.caption(t("labels.entity_help"))
        if lab.suffix is not None:
            state = lab.suffix.state
            SUFFIX_BOX[state](
                t(
                    f"labels.suffix.{state}",
                    text=escape_markdown(lab.suffix.text),
                    reason=escape_markdown(lab.suffix.reason),
                ),
                icon=SUFFIX_ICON[state],
            )


def path_to_next_result(view: AssessmentView, report: Report) -> None:
    """The fewest improvements after which every gate of the next result holds (replaces the band path)."""
    result = report.result
    assert result is not None
    st.subheader(t("gates.path"))
    nxt = result.next
    if nxt is None:
        st.success(t("gates.top", label=escape_markdown(result.label)))
        return
    if not result.path_reachable:
        st.warning(t("gates.path_unreachable", label=escape_markdown(nxt.label)))
        return
    st.write(t("gates.path_intro", label=escape_markdown(nxt.label)))
    indicators = view.criteria.indicators_by_id()
    running = report.total_exact
    rows = []
    for n, imp in enumerate(report.path, 1):
        running += imp.points
        ind = indicators[imp.indicator]
        option = ind.option(imp.target_value)
        rows.append(
            {
                "No.": n,
                t("results.col.indicator"): f"**{imp.indicator}** · {escape_markdown(ind.question)}",
                t("results.col.target"): f"{imp.target_value:g} · " + escape_markdown(option.label if option else ""),
                t("results.col.points"): "+" + number(imp.points),
                t("results.col.after"): number(running),
                t("results.col.evidence"): escape_markdown(imp.evidence_hint) if imp.evidence_hint else "—",
            }
        )
    st.table(_frame(rows), hide_index=True, border="horizontal")
    if not result.path_optimal:
        st.caption(t("gates.path_not_shortest"))


def region_section(scores: PeriodScores) -> None:
    """The region's labels (entity family at the mean of its units) and every unit's result and label."""
    criteria = scores.criteria
    if criteria.results is None and not criteria.label_families:
        return
    stand = standings.period_standings(connection(), scores)
    st.subheader(t("standings.region_title"))
    if not stand.units:
        st.info(t("standings.none"))
        return
    if stand.region_labels:
        labels_block(stand.region_labels, entity=True)
        if any(lab.suffix for lab in stand.region_labels):
            st.caption(t("labels.region_facts_help"))
    if stand.result_counts:
        st.markdown(f"**{t('standings.counts')}**")
        cols = st.columns(len(stand.result_counts))
        for col, (_, label, n) in zip(cols, stand.result_counts, strict=True):
            col.metric(label, n, border=True)
    rows = []
    for u in stand.units:
        row = {t("standings.col.unit"): u.name}
        if stand.has_gates:  # the result before the number: on a narrow screen it is what must stay in view
            row[t("standings.col.result")] = u.result.code if u.result else "—"
        row[t("standings.col.total")] = u.total
        if stand.has_gates:
            nxt = u.result.next if u.result else None
            row[t("standings.col.failing")] = "; ".join(g.title for g in nxt.failing) if nxt else "—"
        if stand.has_labels:
            unit_label = u.label("unit")
            entity = u.label("entity")
            row[t("standings.col.unit_label")] = unit_label.text if unit_label else "—"
            if entity is not None and entity.suffix is not None:
                # short: the reason is spelled out above for the region and on each unit's page
                row[t("standings.col.suffix")] = f"{entity.suffix.text}: {t('labels.state.' + entity.suffix.state)}"
        rows.append(row)
    # a dataframe shows cells as plain text (never markdown), so unit names need no escaping here
    st.dataframe(
        _frame(rows),
        hide_index=True,
        width="stretch",
        column_config={t("standings.col.total"): st.column_config.NumberColumn(format="localized")},
    )

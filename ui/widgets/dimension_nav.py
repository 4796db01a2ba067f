"""Finding one's way on a long questionnaire page: the live summary, links to each variable and to the next
indicator still to answer or still missing its evidence."""

from __future__ import annotations

import re

import streamlit as st

from assessment import Indicator
from ui.i18n import number, t
from ui.i18n.markdown import Markup, escape_markdown
from ui.live_view import live_state

OPEN_STATUSES = ("belum", "sebagian")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "x"


def variable_anchor(title: str) -> str:
    return f"var-{_slug(title)}"


def indicator_anchor(indicator_id: str) -> str:
    return f"ind-{_slug(indicator_id)}"


def anchor(name: str) -> None:
    """An invisible target for the page's own links (the name is a slug of ours, never user text)."""
    st.html(f'<div id="{name}" class="kp-anchor"></div>')


def variable_links(groups: list[tuple[str, list[Indicator]]]) -> None:
    titled = [title for title, _ in groups if title]
    if len(titled) < 2:
        return
    links = " · ".join(f"[{escape_markdown(title)}](#{variable_anchor(title)})" for title in titled)
    st.markdown(f":material/low_priority: {t('dimension.jump_to')} {links}")


def summary_state(assessment_id: int, dimension_id: str) -> tuple:
    """What the summary shows, as a value: a save reruns the summary only when this changed."""
    view, report, at_risk = live_state(assessment_id)
    statuses = {r.id: r.status for r in report.indicators}
    order = [i.id for i in _page_order(next(d for d in view.criteria.dimensions if d.id == dimension_id))]
    return (
        tuple(statuses[i] for i in order),
        tuple((i, round(at_risk[i], 2)) for i in order if i in at_risk),
    )


def dimension_summary(assessment_id: int, dimension_id: str) -> None:
    """Progress, the next open indicator and the points at risk of one dimension; a fragment of its own,
    rerun together with a card whose save changed any of them. (The dimension's score moves with nearly
    every click, so it is on the results page, not here: showing it would rerun this on every click.)"""
    view, report, at_risk_all = live_state(assessment_id)
    dim = next(d for d in view.criteria.dimensions if d.id == dimension_id)
    statuses = {r.id: r.status for r in report.indicators}
    order = _page_order(dim)
    answered = sum(1 for i in order if statuses[i.id] != "belum")
    st.progress(answered / len(order), text=t("dimension.progress", done=answered, total=len(order)))
    next_open = next((i for i in order if statuses[i.id] in OPEN_STATUSES), None)
    if next_open is None:
        st.success(t("dimension.all_done"))
    at_risk = {k: v for k, v in at_risk_all.items() if k in {i.id for i in order}}
    parts = []
    if next_open is not None:
        parts.append(t("dimension.next_open", id=next_open.id, anchor=Markup(indicator_anchor(next_open.id))))
    if at_risk:
        links = ", ".join(f"[{k}](#{indicator_anchor(k)})" for k in (i.id for i in order) if k in at_risk)
        parts.append(t("dimension.at_risk", points=number(sum(at_risk.values())), links=Markup(links)))
    if parts:
        st.markdown("  \n".join(parts))


def _page_order(dim) -> list[Indicator]:
    """Indicators in the order the page shows them (grouped by variable)."""
    if not dim.variables:
        return list(dim.indicators)
    ordered = [i for v in dim.variables for i in dim.indicators if i.variable == v.id]
    return ordered + [i for i in dim.indicators if i.variable is None]

"""Answer widgets. Each owns one state key, saves on change, and is rebuilt from the database (D3).

The widget key carries the stored revision: after a save (here or in another tab) the key
changes, so the widget is recreated from what the database holds, never from stale state.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from assessment import Indicator
from assessment.errors import KepatuhanError
from services import assessing
from services.assessing import AssessmentView
from ui.context import current_actor
from ui.i18n import number, t
from ui.markdown import escape_markdown
from ui.resources import connection

NA = "__na__"
FLASH = "_flash"


def flash(kind: str, text: str) -> None:
    st.session_state.setdefault(FLASH, []).append((kind, text))


def show_flash() -> None:
    for kind, text in st.session_state.pop(FLASH, []):
        if kind == "ok":
            st.toast(text, icon=":material/check_circle:")
        else:
            st.error(escape_markdown(text))


def _run(action, *args: Any, **kwargs: Any) -> bool:
    try:
        action(connection(), current_actor(), *args, **kwargs)
        return True
    except KepatuhanError as exc:
        flash("error", str(exc))
        return False


def _option_label(ind: Indicator, value: Any) -> str:
    if value == NA:
        return t("answer.na")
    option = ind.option(value)
    return f"{value:g} · {escape_markdown(option.label)}" if option else str(value)


def _options(ind: Indicator) -> list[Any]:
    values: list[Any] = [o.value for o in sorted(ind.options, key=lambda o: o.value)]
    return values + ([NA] if ind.na_allowed else [])


def _on_answer(key: str, assessment_id: int, indicator_id: str, subject: str, revision: int) -> None:
    chosen = st.session_state.get(key)
    if chosen is None:
        ok = _run(assessing.clear_answer, assessment_id=assessment_id, indicator_id=indicator_id, subject=subject)
    else:
        ok = _run(
            assessing.record_answer,
            assessment_id=assessment_id,
            indicator_id=indicator_id,
            subject=subject,
            value=None if chosen == NA else float(chosen),
            expected_revision=revision,
        )
    if ok:
        flash("ok", t("answer.saved", indicator=indicator_id))


def answer_radio(view: AssessmentView, ind: Indicator, subject: str, label: str, *, with_meanings: bool) -> Any:
    """One single-click answer for one subject; returns the stored value (None if unanswered)."""
    row = view.answer(ind.id, subject)
    revision = row.revision if row else 0
    options = _options(ind)
    stored = (NA if row.value is None else row.value) if row else None
    key = f"ans:{view.assessment.id}:{ind.id}:{subject}:r{revision}"
    captions = None
    if with_meanings:
        captions = [escape_markdown(ind.option(v).meaning) if v != NA else t("answer.na_help") for v in options]
    st.radio(
        label,
        options,
        index=options.index(stored) if stored in options else None,
        format_func=lambda v: _option_label(ind, v),
        key=key,
        horizontal=not with_meanings,
        captions=captions,
        disabled=not view.can_edit,
        on_change=_on_answer,
        args=(key, view.assessment.id, ind.id, subject, revision),
    )
    return stored


def _on_tally(prefix: str, assessment_id: int, ind: Indicator, revision: int) -> None:
    counts = {o.value: int(st.session_state.get(f"{prefix}:{o.value:g}") or 0) for o in ind.options}
    if _run(
        assessing.record_tally,
        assessment_id=assessment_id,
        indicator_id=ind.id,
        counts=counts,
        expected_revision=revision,
    ):
        flash("ok", t("answer.saved", indicator=ind.id))


def tally_inputs(view: AssessmentView, ind: Indicator) -> None:
    """How many respondents chose each level."""
    rows = view.answers.get(ind.id, [])
    current = {r.value: r.count for r in rows if r.subject.startswith("tally:")}
    individual = [r for r in rows if r.subject.startswith("respondent:") and r.value is not None]
    for r in individual:
        current[r.value] = current.get(r.value, 0) + 1
    revision = view.indicator_revision(ind.id)
    prefix = f"tally:{view.assessment.id}:{ind.id}:r{revision}"
    columns = st.columns(len(ind.options))
    for col, option in zip(columns, sorted(ind.options, key=lambda o: o.value), strict=True):
        col.number_input(
            f"{option.value:g} · {escape_markdown(option.label)}",
            min_value=0,
            max_value=100000,
            step=1,
            value=int(current.get(option.value, 0)),
            key=f"{prefix}:{option.value:g}",
            disabled=not view.can_edit,
            on_change=_on_tally,
            args=(prefix, view.assessment.id, ind, revision),
            help=option.meaning,
        )
    total = sum(current.values())
    expected = ind.subject.expected or 0
    mean = sum(v * c for v, c in current.items()) / total if total else None
    text = t("tally.total", total=total, expected=expected)
    if mean is not None:
        text += " · " + t("tally.mean", mean=number(mean))
    (st.caption if total >= expected else st.warning)(text)


def _on_note(key: str, assessment_id: int, indicator_id: str, revision: int) -> None:
    if _run(
        assessing.record_note,
        assessment_id=assessment_id,
        indicator_id=indicator_id,
        note=st.session_state.get(key) or "",
        expected_revision=revision,
    ):
        flash("ok", t("note.saved", indicator=indicator_id))


def note_input(view: AssessmentView, ind: Indicator) -> None:
    row = view.notes.get(ind.id)
    revision = row.revision if row else 0
    key = f"note:{view.assessment.id}:{ind.id}:r{revision}"
    st.text_area(
        t("note.label"),
        value=row.note if row else "",
        key=key,
        height=68,
        max_chars=4000,
        placeholder=t("note.placeholder"),
        disabled=not view.can_edit,
        on_change=_on_note,
        args=(key, view.assessment.id, ind.id, revision),
    )

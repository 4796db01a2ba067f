"""Answer widgets. Each owns one state key, saves on change, and is rebuilt from the database (D3).

The widget key carries the stored revision: after a save (here or in another tab) the key
changes, so the widget is recreated from what the database holds, never from stale state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st
from streamlit.errors import StreamlitAPIException

from assessment import Indicator
from services.answering import assessing, tally_entry
from services.answering.assessing import AssessmentView
from ui.context import current_actor
from ui.feedback import attempt, flash
from ui.i18n import number, t
from ui.i18n.markdown import escape_markdown
from ui.resources import connection

NA = "__na__"
SUMMARY_FRAGMENT = "ringkasan-dimensi"


def card_fragment_key(indicator_id: str) -> str:
    return f"kartu-{indicator_id}"


_SUMMARY_STATE = "_summary_state"
_SUMMARY_SHOWN = "_summary_shown"


def watch_summary(state: Callable[[], tuple]) -> None:
    """Called by a card as it renders: how to read the page summary's state, for its saves to compare."""
    st.session_state[_SUMMARY_STATE] = state


def summary_shown(state: tuple) -> None:
    """Called by the page summary as it renders: the state it shows now."""
    st.session_state[_SUMMARY_SHOWN] = state


def _rerun_card(indicator_id: str) -> None:
    """After a save the card reruns by itself (it is a fragment); the page summary reruns with it only when
    what it shows differs from the state after the save, since a second rerun costs a round trip per click.
    (Compared with what the summary last showed, not with a read before the save: one read of the assessment
    per click instead of two, and a summary made stale by another tab is brought up to date too.) Outside the
    questionnaire's fragments (no summary watched) the usual rerun applies."""
    state = st.session_state.get(_SUMMARY_STATE)
    if state is None:
        return
    try:
        if state() != st.session_state.get(_SUMMARY_SHOWN):
            st.rerun([card_fragment_key(indicator_id), SUMMARY_FRAGMENT])
    except StreamlitAPIException:
        pass


def _run(indicator_id: str, action: Callable[..., Any], **kwargs: Any) -> bool:
    """Save from a card's callback; a refusal is told inside that card (D3: the card is rebuilt from the database)."""
    ok, _ = attempt(action, connection(), current_actor(), indicator_id=indicator_id, card=indicator_id, deferred=True,
                    **kwargs)  # fmt: skip
    return ok


def _rebuild_key(assessment_id: int, indicator_id: str, subject: str) -> str:
    return f"rebuild:{assessment_id}:{indicator_id}:{subject}"


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
        ok = _run(indicator_id, assessing.clear_answer, assessment_id=assessment_id, subject=subject)
    else:
        ok = _run(
            indicator_id,
            assessing.record_answer,
            assessment_id=assessment_id,
            subject=subject,
            value=None if chosen == NA else float(chosen),
            expected_revision=revision,
        )
    if ok:
        flash("toast", t("answer.saved", indicator=indicator_id), card=indicator_id)
    else:
        # refused: the radio must show what the database holds, not the click (D3), even when the
        # revision did not move (a closed period, a lost right)
        rebuild = _rebuild_key(assessment_id, indicator_id, subject)
        st.session_state[rebuild] = st.session_state.get(rebuild, 0) + 1
    _rerun_card(indicator_id)


def answer_radio(view: AssessmentView, ind: Indicator, subject: str, label: str, *, with_meanings: bool) -> Any:
    """One single-click answer for one subject; returns the stored value (None if unanswered)."""
    row = view.answer(ind.id, subject)
    revision = row.revision if row else 0
    options = _options(ind)
    stored = (NA if row.value is None else row.value) if row else None
    rebuilt = st.session_state.get(_rebuild_key(view.assessment.id, ind.id, subject), 0)
    key = f"ans:{view.assessment.id}:{ind.id}:{subject}:r{revision}:b{rebuilt}"
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


def _on_tally(key: str, assessment_id: int, indicator_id: str, value: float) -> None:
    count = st.session_state.get(key)
    if _run(
        indicator_id,
        tally_entry.record_tally_level,
        assessment_id=assessment_id,
        value=value,
        count=int(count or 0),
        expected_count=st.session_state.get(f"{key}:seen"),
    ):
        st.session_state[f"{key}:seen"] = int(count or 0)
        flash("toast", t("answer.saved", indicator=indicator_id), card=indicator_id)
    _rerun_card(indicator_id)


def tally_inputs(view: AssessmentView, ind: Indicator) -> None:
    """How many respondents chose each level.

    Each field saves only its own level, and the fields' keys never change: a count being typed in one field
    survives the rerun that saving the previous field starts (issue 9). A field shows the stored count
    again when the store changed it (another tab) since the page last showed it; ``<key>:seen`` holds that
    last shown count, which is also what the save checks against.
    """
    rows = view.answers.get(ind.id, [])
    current = tally_entry.counts_of(rows)
    options = sorted(ind.options, key=lambda o: o.value)
    with st.container(key=f"tally-{view.assessment.id}-{ind.id}", horizontal=True):
        for option in options:
            stored = int(current.get(option.value, 0))
            key = f"tally:{view.assessment.id}:{ind.id}:{option.value:g}"
            if key not in st.session_state or st.session_state.get(f"{key}:seen") != stored:
                st.session_state[key] = stored
            st.session_state[f"{key}:seen"] = stored
            st.number_input(
                f"{option.value:g} · {escape_markdown(option.label)}",
                min_value=0,
                max_value=tally_entry.MAX_COUNT,
                step=1,
                key=key,
                disabled=not view.can_edit,
                on_change=_on_tally,
                args=(key, view.assessment.id, ind.id, option.value),
                width=150,
            )
    total = sum(current.values())
    expected = ind.subject.expected or 0
    mean = sum(v * c for v, c in current.items()) / total if total else None
    if not expected or total == expected:
        text, show = t("tally.total_live", total=total, expected=expected), st.caption
    elif total > expected:
        text, show = t("tally.total_live_over", total=total, expected=expected), st.warning
    else:
        text, show = t("tally.total_live_short", total=total, expected=expected, missing=expected - total), st.warning
    if mean is not None:
        text += " · " + t("tally.mean", mean=number(mean))
    show(text)


def _on_note(key: str, assessment_id: int, indicator_id: str, revision: int) -> None:
    if _run(
        indicator_id,
        assessing.record_note,
        assessment_id=assessment_id,
        note=st.session_state.get(key) or "",
        expected_revision=revision,
    ):
        flash("toast", t("note.saved", indicator=indicator_id), card=indicator_id)
    _rerun_card(indicator_id)


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

"""Widgets of the verifier's review: the unit's answer in short, the decision badge and the decision controls,
the self-versus-verified comparison and the table of differences (also shown on the results page)."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pandas as pd
import streamlit as st

from assessment import Indicator, Report
from assessment.errors import KepatuhanError
from services.answering.assessing import AssessmentView
from services.exchange import berita_acara
from services.verification import decisions as verification
from services.verification.decisions import Review
from ui.auth import current_actor
from ui.feedback import attempt, show_error
from ui.i18n import number, t, t_plain
from ui.i18n.markdown import escape_markdown
from ui.resources import connection

NA = "__na__"
BADGE_COLOURS = {"hijau": "green", "kuning": "orange", "merah": "red", None: "gray"}
STATE_MARKS = {
    "open": ":gray[:material/radio_button_unchecked:]",
    "accepted": ":green[:material/check_circle:]",
    "adjusted": ":blue[:material/edit_square:]",
    "change_requested": ":orange[:material/undo:]",
    "recheck": ":violet[:material/restart_alt:]",
}


def value_label(ind: Indicator, value: Any) -> str:
    if value is None or value == NA:
        return t("answer.na")
    option = ind.option(value)
    return f"{value:g} · {option.label}" if option else f"{value:g}"


def answer_lines(view: AssessmentView, ind: Indicator) -> list[str]:
    """The unit's own answer in short: one value, one line per product, or the spread of the respondents."""
    rows = view.answers.get(ind.id, [])
    if ind.subject.kind == "unit":
        return [value_label(ind, rows[0].value) if rows else t("verify.unanswered")]
    if ind.subject.kind == "product":
        by_code = {r.subject.partition(":")[2]: r for r in rows}
        names = {p.code: p.name for p in view.products}
        codes = list(names) + [c for c in by_code if c not in names]
        return [
            f"{names.get(code, code)}: "
            + (value_label(ind, by_code[code].value) if code in by_code else t("verify.unanswered"))
            for code in codes
        ] or [t("verify.unanswered")]
    tally: dict[float | None, int] = defaultdict(int)
    for r in rows:
        tally[r.value] += r.count
    scored = {v: c for v, c in tally.items() if v is not None}
    if not scored:
        return [t("answer.na") if tally else t("verify.unanswered")]
    total = sum(scored.values())
    mean = sum(v * c for v, c in scored.items()) / total
    spread = "; ".join(
        t_plain("verify.spread_item", answer=value_label(ind, v), n=c) for v, c in sorted(scored.items(), reverse=True)
    )
    head = t_plain("verify.respondents", mean=number(mean), n=total, expected=ind.subject.expected or 0)
    return [head, spread]


def decision_status(rv: Review, ind: Indicator) -> None:
    """What has been decided on this indicator, with the verifier's note."""
    state = rv.states[ind.id]
    d = rv.decisions.get(ind.id)
    if state == "open":
        st.caption(t("verify.state.open"))
        return
    if state == "recheck":
        key = "verify.state.recheck_changed" if ind.id in rv.changed else "verify.state.recheck"
        st.warning(t(key), icon=":material/restart_alt:")
        if d and d.note:
            st.caption(t("verify.previous_note", note=d.note))
        return
    assert d is not None
    if state == "accepted":
        st.markdown(f":green-badge[:material/check: {t('verify.state.accepted')}]")
    elif state == "adjusted":
        shown = value_label(ind, None if d.verified_na else d.verified_value)
        st.markdown(f":blue-badge[:material/edit: {t('verify.state.adjusted', value=shown)}]")
    else:
        st.markdown(f":orange-badge[:material/undo: {t('verify.state.change_requested')}]")
    if d.note:
        st.caption(t("verify.note_shown", note=d.note))


def _on_accept(assessment_id: int, indicator_id: str, revision: int) -> None:
    attempt(verification.decide, connection(), current_actor(), assessment_id=assessment_id, indicator_id=indicator_id,
            decision="accept", expected_revision=revision, done=t("verify.saved", indicator=indicator_id),
            deferred=True)  # fmt: skip


def _on_decide(prefix: str, assessment_id: int, indicator_id: str, revision: int) -> None:
    kind = "adjust" if st.session_state.get(f"{prefix}:kind") == "adjust" else "change_requested"
    value = st.session_state.get(f"{prefix}:value")
    attempt(
        verification.decide,
        connection(),
        current_actor(),
        assessment_id=assessment_id,
        indicator_id=indicator_id,
        decision=kind,
        verified_value=None if value in (None, NA) else float(value),
        verified_na=value == NA,
        note=st.session_state.get(f"{prefix}:note") or "",
        expected_revision=revision,
        done=t("verify.saved", indicator=indicator_id),
        deferred=True,
    )


def decision_controls(rv: Review, ind: Indicator) -> None:
    """Accept with one click; adjust the value or ask the unit for a change in a small form with a note."""
    aid = rv.view.assessment.id
    d = rv.decisions.get(ind.id)
    revision = d.revision if d else 0
    prefix = f"vd:{aid}:{ind.id}:r{revision}"
    state = rv.states[ind.id]
    st.button(
        t("verify.accept"),
        key=f"{prefix}:accept",
        icon=":material/check:",
        type="primary" if state in ("open", "recheck") else "secondary",
        disabled=state == "accepted",
        on_click=_on_accept,
        args=(aid, ind.id, revision),
    )
    with st.expander(t("verify.adjust_or_request")):
        with st.form(key=f"{prefix}:form", border=False):
            st.radio(
                t("verify.decision"),
                ["adjust", "change_requested"],
                index=1 if d and d.decision == "change_requested" else 0,
                format_func=lambda k: t("verify.kind." + k),
                key=f"{prefix}:kind",
                horizontal=True,
            )
            options: list[Any] = [o.value for o in sorted(ind.options, key=lambda o: o.value)]
            options += [NA] if ind.na_allowed else []
            current: Any = None
            if d and d.decision == "adjust":
                current = NA if d.verified_na else d.verified_value
            elif ind.subject.kind == "unit" and (row := rv.view.answer(ind.id)) is not None:
                current = NA if row.value is None else row.value
            st.selectbox(
                t("verify.value"),
                options,
                index=options.index(current) if current in options else None,
                format_func=lambda v: value_label(ind, v),
                key=f"{prefix}:value",
                placeholder=t("verify.value_placeholder"),
                help=t("verify.value_help"),
            )
            st.text_area(
                t("verify.note"),
                value=d.note if d else "",
                key=f"{prefix}:note",
                max_chars=4000,
                height=80,
                placeholder=t("verify.note_placeholder"),
            )
            st.form_submit_button(
                t("verify.save"), on_click=_on_decide, args=(prefix, aid, ind.id, revision), icon=":material/save:"
            )


def comparison(rv: Review) -> None:
    """Self score beside the verified (or, during the review, provisional) score."""
    mine, theirs = rv.self_report, rv.report
    final = rv.status == "verified"
    cols = st.columns(2)
    with cols[0].container(border=True):
        st.metric(t("verify.self_score"), f"{number(mine.total)} / {number(mine.scale_max)}")
        st.markdown(f"**{t('results.category')}:** {mine.band.code} — {escape_markdown(mine.label)}")
        if mine.band.zone:
            st.badge(t("zone." + mine.band.zone), color=BADGE_COLOURS[mine.band.zone], icon=":material/circle:")
        _result_and_label(mine)
    with cols[1].container(border=True):
        label = t("verify.verified_score") if final else t("verify.provisional_score")
        delta = theirs.total - mine.total
        st.metric(label, f"{number(theirs.total)} / {number(theirs.scale_max)}",
                  delta=number(delta) if abs(delta) >= 0.005 else None)  # fmt: skip
        st.markdown(f"**{t('results.category')}:** {theirs.band.code} — {escape_markdown(theirs.label)}")
        if theirs.band.zone:
            st.badge(t("zone." + theirs.band.zone), color=BADGE_COLOURS[theirs.band.zone], icon=":material/circle:")
        _result_and_label(theirs)
    if not final:
        st.caption(t("verify.provisional_help"))


def _result_and_label(report: Report) -> None:
    """Where the criteria have gates or label families, the verifier compares those too, not only the band."""
    if report.result is not None:
        st.markdown(f"**{t('gates.result')}:** {escape_markdown(report.result.label)}")
    for lab in report.labels:
        if lab.applies_to == "unit":
            st.markdown(f"**{t('labels.own_unit')}:** {escape_markdown(lab.text)}")


def _styled(rows: list[dict], delta: str, numbers: list[str]):
    """A static table (texts wrap, nothing is cut off) with localised numbers and losses in red."""
    return (
        pd.DataFrame(rows)
        .style.hide(axis="index")
        .map(
            lambda v: "color: #B00020; font-weight: 600" if v < 0 else ("color: #1B7F3B" if v > 0 else ""),
            subset=[delta],
        )  # fmt: skip
        .format(lambda v: number(v), subset=numbers)
    )


def differences_table(rv: Review) -> None:
    if not rv.differences:
        st.caption(t("verify.no_differences"))
        return
    indicators = rv.view.criteria.indicators_by_id()
    cols = [t("verify.col.self_points"), t("verify.col.verified_points"), t("verify.col.delta")]
    rows = [
        {
            t("results.col.indicator"): f"{d.indicator_id} · {d.question}",
            t("verify.col.self"): "; ".join(answer_lines(rv.view, indicators[d.indicator_id])),
            t("verify.col.verified"): value_label(indicators[d.indicator_id], d.verified_value),
            cols[0]: d.self_points,
            cols[1]: d.verified_points,
            cols[2]: d.delta,
            t("verify.col.note"): d.note,
        }
        for d in rv.differences
    ]
    st.table(_styled(rows, cols[2], cols))


def dimension_comparison(rv: Review) -> None:
    cols = [t("verify.col.self_points"), t("verify.col.verified_points"), t("verify.col.delta"), t("results.col.max")]
    rows = [
        {
            t("results.col.dimension"): a.title,
            cols[0]: a.score,
            cols[1]: b.score,
            cols[2]: b.score - a.score,
            cols[3]: a.max,
        }  # fmt: skip
        for a, b in zip(rv.self_report.dimensions, rv.report.dimensions, strict=True)
    ]
    st.table(_styled(rows, cols[2], cols))


def berita_acara_button(rv: Review) -> None:
    """Download of the berita acara; the PDF is made (and the reader's scope checked again) on click."""
    if rv.status != "verified":
        return
    aid = rv.view.assessment.id
    base, actor = connection(), current_actor()

    def pdf() -> bytes:
        # runs on another thread when clicked, outside the session: use this run's actor and a cursor of its own
        cursor = base.cursor()
        try:
            return berita_acara.berita_acara_pdf(cursor, actor, assessment_id=aid)[1]
        finally:
            cursor.close()

    st.download_button(
        t("verify.berita_acara"),
        data=pdf,
        file_name=berita_acara.file_name(rv),
        mime=berita_acara.PDF_MIME,
        key=f"ba:{aid}",
        icon=":material/picture_as_pdf:",
        on_click="ignore",
        type="primary",
    )


def verified_section(view: AssessmentView) -> None:
    """On the results page: the verified score beside the self score, the differences and the berita acara.

    Everyone who may read the unit sees it once the verification is complete; while it is under way only
    the verifier and admins see the provisional score.
    """
    try:
        rv = verification.verified_report(connection(), current_actor(), assessment_id=view.assessment.id)
    except KepatuhanError as exc:
        show_error(exc)
        return
    final = rv.status == "verified"
    if not final and not (rv.exists and rv.can_verify):
        return
    st.subheader(t("verify.results_title") if final else t("verify.results_title_provisional"))
    if final and view.assessment.verified_at:
        st.caption(
            t("verify.verified_on", at=view.assessment.verified_at.strftime("%d-%m-%Y %H:%M"),
              who=view.assessment.verified_by or "—")
        )  # fmt: skip
    comparison(rv)
    st.markdown(f"**{t('verify.differences', n=len(rv.differences))}**")
    differences_table(rv)
    with st.expander(t("verify.per_dimension")):
        dimension_comparison(rv)
    berita_acara_button(rv)

"""Widgets of the readiness page: the visit-window countdown, one unit's board, the region board."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from services.access import Actor
from services.followup import exports
from services.followup.readiness import RegionReadiness, UnitReadiness, VisitWindow
from ui.i18n import number, t
from ui.i18n.markdown import escape_markdown
from ui.sections.followup_common import highlighted_table
from ui.sections.region_view import deferred


def countdown(window: VisitWindow) -> None:
    if window.state == "akan_datang":
        st.metric(t("fu.visit.countdown"), t("fu.visit.days", n=window.days_until),
                  help=t("fu.visit.range", start=f"{window.starts:%d-%m-%Y}", end=f"{window.ends:%d-%m-%Y}"))
    elif window.state == "berlangsung":
        st.warning(t("fu.visit.now", end=f"{window.ends:%d-%m-%Y}"), icon=":material/directions_walk:")
    elif window.state == "selesai":
        st.info(t("fu.visit.over", end=f"{window.ends:%d-%m-%Y}"), icon=":material/event_available:")
    else:
        st.info(t("fu.visit.unset"), icon=":material/event_busy:")


def _listing(ids: tuple[str, ...], questions: dict[str, str]) -> None:
    st.text("\n".join(f"{i} · {questions.get(i, '')}" for i in ids))


def unit_board(actor: Actor, ready: UnitReadiness, period_id: int, questions: dict[str, str]) -> None:
    st.subheader(escape_markdown(ready.unit_name))
    if ready.ready:
        st.success(t("fu.ready.yes"), icon=":material/verified:")
    else:
        st.warning(t("fu.ready.no"), icon=":material/pending_actions:")
    cols = st.columns(5)
    cols[0].metric(t("fu.ready.unanswered"), len(ready.unanswered))
    cols[1].metric(t("fu.ready.missing"), len(ready.missing_evidence))
    cols[2].metric(t("fu.ready.expired"), len(ready.expired_evidence))
    cols[3].metric(t("fu.ready.actions"), ready.open_actions,
                   delta=t("fu.ready.overdue", n=ready.overdue_actions) if ready.overdue_actions else None,
                   delta_color="inverse")  # fmt: skip
    last = f"{ready.last_verification:%d-%m-%Y}" if ready.last_verification else "—"
    cols[4].metric(t("fu.ready.verified"), last)
    if ready.total is not None:
        st.caption(t("fu.ready.score", score=number(ready.total), band=ready.band or "—"))
    if ready.unanswered:
        with st.expander(t("fu.ready.unanswered_list", n=len(ready.unanswered))):
            _listing(ready.unanswered, questions)
    if ready.missing_evidence:
        with st.expander(t("fu.ready.missing_list", n=len(ready.missing_evidence))):
            _listing(ready.missing_evidence, questions)
    if ready.expired_evidence:
        with st.expander(t("fu.ready.expired_list", n=len(ready.expired_evidence)), expanded=True):
            for e in ready.expired_evidence:
                st.markdown(escape_markdown(t("fu.ready.expired_item", ind=e.indicator, file=e.file_name,
                                              dated=f"{e.dated:%d-%m-%Y}", until=f"{e.expired_on:%d-%m-%Y}")))
    unit_id, code = ready.unit_id, ready.unit_code
    st.download_button(
        t("fu.dossier"),
        data=deferred(lambda con: exports.dossier_pdf(con, actor, period_id=period_id, unit_id=unit_id)),
        file_name=f"berkas-kunjungan-{code.lower()}-{dt.date.today():%Y%m%d}.pdf", mime=exports.PDF_MIME,
        on_click="ignore", icon=":material/picture_as_pdf:", key="fu_dossier", disabled=ready.status == "belum_mulai",
        help=t("fu.dossier.help"),
    )  # fmt: skip


def region_board(board: RegionReadiness) -> None:
    st.metric(t("fu.ready.region"), f"{board.ready_units} / {len(board.units)}")
    rows = [
        {
            t("region.col.unit"): f"{u.unit_code} · {u.unit_name}",
            t("fu.ready.col.status"): t(f"fu.astatus.{u.status}"),
            t("fu.ready.unanswered"): len(u.unanswered),
            t("fu.ready.missing"): len(u.missing_evidence),
            t("fu.ready.expired"): len(u.expired_evidence),
            t("fu.ready.actions"): u.open_actions,
            t("fu.ready.col.overdue"): u.overdue_actions,
            t("fu.ready.verified"): f"{u.last_verification:%d-%m-%Y}" if u.last_verification else "—",
            t("fu.ready.col.ready"): "✓" if u.ready else "",
        }
        for u in sorted(board.units, key=lambda u: (u.ready, -u.overdue_actions, -len(u.unanswered)))
    ]
    highlighted_table(rows, [u.overdue_actions > 0 for u in sorted(
        board.units, key=lambda u: (u.ready, -u.overdue_actions, -len(u.unanswered)))], key="fu_region_ready")
    st.caption(t("fu.ready.region_help"))

"""Evidence of one indicator: the list (images and PDFs inline), upload form, remove."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from assessment import Indicator
from assessment.errors import KepatuhanError
from services.answering import evidence_files
from services.answering.assessing import AssessmentView
from services.views import EvidenceRecord
from ui.context import current_actor
from ui.feedback import error_message, flash, show_error
from ui.i18n import number, t
from ui.resources import blobs, connection


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{max(1, n // 1024)} KB"


def evidence_key(view: AssessmentView, ind: Indicator) -> str:
    """Session-state key of a lazy evidence panel: True opens it."""
    return f"evidence_open:{view.assessment.id}:{ind.id}"


def _keep_open(view: AssessmentView, ind: Indicator) -> None:
    # The panel's title carries the file count, so after an upload or a removal Streamlit sees a new expander
    # and would close it; ask the next run to open it again, so the user sees the list they just changed.
    st.session_state[REOPEN] = evidence_key(view, ind)


REOPEN = "_evidence_reopen"


def evidence_panel(view: AssessmentView, ind: Indicator, *, points_at_risk: float | None, lazy: bool = False) -> None:
    """The evidence expander of one indicator.

    ``lazy``: the list and the upload form are built only while the panel is open (opening it reruns the
    page). A questionnaire page has one panel per indicator, and building every closed upload form and image
    preview on each answer click is most of the page's work.
    """
    records = view.evidence.get(ind.id, [])
    title = t("evidence.title", n=len(records))
    if points_at_risk is not None:
        st.warning(t("evidence.required_missing", points=number(points_at_risk)), icon=":material/warning:")
    if lazy and st.session_state.get(REOPEN) == evidence_key(view, ind):
        del st.session_state[REOPEN]
        st.session_state[evidence_key(view, ind)] = True
    panel = st.expander(title, key=evidence_key(view, ind), on_change="rerun") if lazy else st.expander(title)
    with panel:
        if lazy and not panel.open:
            return
        if ind.evidence:
            st.caption(t("evidence.hint", hint=ind.evidence.hint))
        for record in records:
            _record(view, ind, record)
        if view.can_edit:
            _upload_form(view, ind)


def _record(view: AssessmentView, ind: Indicator, record: EvidenceRecord) -> None:
    with st.container(border=True):
        cols = st.columns([5, 2, 2])
        # file names and descriptions are user text: plain text only, never markdown/HTML
        cols[0].text(f"{record.file_name} · {_size(record.size)}")
        if record.description:
            cols[0].text(record.description)
        cols[0].caption(
            t(
                "evidence.meta",
                date=f"{record.effective_date:%d-%m-%Y}" if record.effective_date else "—",
                who=record.uploaded_by,
                at=record.uploaded_at.strftime("%d-%m-%Y %H:%M"),
            )
        )

        base, store, actor = connection(), blobs(), current_actor()

        def fetch() -> evidence_files.EvidenceDownload:
            # A download button runs this on another thread, outside the session (no session state there):
            # use what this run resolved, with a cursor of its own; the scope is checked again at fetch time.
            cursor = base.cursor()
            try:
                return evidence_files.evidence_download(cursor, store, actor, evidence_id=record.id)
            finally:
                cursor.close()

        cols[1].download_button(
            t("evidence.download"),
            data=lambda: fetch().data,
            file_name=evidence_files.download_name(record),
            # served as an attachment (Streamlit's download route) with the type intake sniffed, never inline
            mime=evidence_files.download_type(record.media_type),
            key=f"dl:{record.id}",
            on_click="ignore",
        )
        if view.can_edit and cols[2].button(t("evidence.remove"), key=f"rm:{record.id}"):
            try:
                evidence_files.remove_evidence(connection(), current_actor(), evidence_id=record.id)
                flash("toast", t("evidence.removed", name=record.file_name))
                _keep_open(view, ind)
            except KepatuhanError as exc:
                flash("error", error_message(exc))
            st.rerun()
        is_image = record.media_type.startswith("image/")
        is_pdf = record.media_type == "application/pdf"
        if (is_image or is_pdf) and st.toggle(t("evidence.preview"), key=f"pv:{record.id}", value=is_image):
            try:
                file = fetch()
            except KepatuhanError as exc:
                show_error(exc)
                return
            # shown only when its bytes, sniffed again, are an image or a PDF: never HTML, SVG or text
            if file.preview == "image":
                st.image(file.data, width=320)
            elif file.preview == "pdf":
                st.pdf(file.data, height=420)


def _upload_form(view: AssessmentView, ind: Indicator) -> None:
    counter_key = f"upl_n:{view.assessment.id}:{ind.id}"
    n = st.session_state.get(counter_key, 0)
    with st.form(key=f"upl:{view.assessment.id}:{ind.id}:{n}", clear_on_submit=True, border=False):
        files = st.file_uploader(t("evidence.files"), accept_multiple_files=True, key=f"files:{ind.id}:{n}")
        description = st.text_input(t("evidence.description"), max_chars=500)
        effective = st.date_input(
            t("evidence.date"), value=dt.date.today(), max_value=dt.date.today(), format="DD/MM/YYYY"
        )
        submitted = st.form_submit_button(t("evidence.save"))
    if submitted:
        if not files:
            st.warning(t("evidence.none_chosen"))
            return
        saved = 0
        for f in files:
            try:
                evidence_files.attach_evidence(
                    connection(),
                    blobs(),
                    current_actor(),
                    assessment_id=view.assessment.id,
                    indicator_id=ind.id,
                    data=f.getvalue(),
                    file_name=f.name,
                    description=description,
                    effective_date=effective,
                )
                saved += 1
            except KepatuhanError as exc:
                flash("error", error_message(exc))
        if saved:
            flash("toast", t("evidence.saved", n=saved))
            _keep_open(view, ind)
        st.session_state[counter_key] = n + 1
        st.rerun()

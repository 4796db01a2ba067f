"""The audit trail: every change, login and role change, filtered per assessment, user, event and date; CSV.

Admins only (the trail holds logins and every unit's answers). Everything is shown as plain text.
"""

from __future__ import annotations

import datetime as dt

import streamlit as st

from services.admin import audit_trail
from ui.auth import admin_actor
from ui.i18n import lang, t
from ui.i18n.audit_labels import event_choice, event_label
from ui.resources import connection


def render() -> None:
    actor = admin_actor()
    con = connection()
    st.title(t("audit.title"))
    st.caption(t("audit.intro"))
    options = audit_trail.choices(con, actor)
    labels = {a.id: f"{a.period_name} · {a.unit_name} ({a.unit_code})" for a in options.assessments}
    cols = st.columns([3, 2, 3])
    assessment_id = cols[0].selectbox(
        t("audit.assessment"),
        list(labels),
        index=None,
        format_func=lambda i: labels[i],
        placeholder=t("audit.all"),
        key="audit_assessment",
    )
    user = cols[1].selectbox(t("audit.user"), options.actors, index=None, placeholder=t("audit.all"), key="audit_user")
    event = cols[2].selectbox(
        t("audit.event"),
        options.events,
        index=None,
        format_func=event_choice,
        placeholder=t("audit.all"),
        key="audit_event",
    )
    cols = st.columns([2, 2, 4])
    date_from = cols[0].date_input(t("audit.from"), value=None, format="DD-MM-YYYY", key="audit_from")
    date_to = cols[1].date_input(t("audit.to"), value=None, format="DD-MM-YYYY", key="audit_to")
    if date_from and date_to and date_from > date_to:
        st.warning(t("audit.bad_range"))
        return
    filters = audit_trail.AuditFilter(
        assessment_id=assessment_id, actor=user, event=event, date_from=date_from, date_to=date_to
    )
    lines = audit_trail.browse(con, actor, filters)
    if not lines:
        st.info(t("audit.none"))
        return
    shown = t("audit.count", n=len(lines))
    if len(lines) >= audit_trail.MAX_ROWS:
        shown += " " + t("audit.capped", n=audit_trail.MAX_ROWS)
    st.caption(shown)
    st.dataframe(
        [
            {
                t("audit.col.at"): line.at.replace(microsecond=0),
                t("audit.col.user"): line.actor,
                t("audit.col.event"): event_label(line.event),
                t("audit.col.assessment"): line.assessment,
                t("audit.col.old"): line.old,
                t("audit.col.new"): line.new,
                t("audit.col.details"): line.details,
            }
            for line in lines
        ],
        hide_index=True,
        width="stretch",
        column_config={t("audit.col.at"): st.column_config.DatetimeColumn(format="DD-MM-YYYY HH:mm:ss")},
    )
    st.download_button(
        t("audit.download"),
        audit_trail.to_csv(lines, lang(), event_label=event_label),
        file_name=f"jejak-audit-{dt.date.today():%Y%m%d}.csv",
        mime="text/csv",
        icon=":material/download:",
        key="audit_csv",
    )

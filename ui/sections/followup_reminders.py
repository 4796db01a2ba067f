"""Reminders on login (top of the home page), the user's own reminder contact, and the admin's SMTP settings."""

from __future__ import annotations

from concurrent.futures import Future, ThreadPoolExecutor

import streamlit as st

from assessment.errors import KepatuhanError
from services.followup import mailer, reminders
from ui.auth import current_actor
from ui.feedback import attempt
from ui.i18n import t
from ui.resources import connection

SHOWN = 5
MAILED_KEY = "_fu_mailed"
# the digest goes out beside the page, never in its way: a mail server that does not answer would
# otherwise hold the home page for the whole SMTP timeout
_MAILER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kepatuhan-mail")
ICONS = {"action_overdue": ":material/alarm:", "action_due": ":material/schedule:",
         "returned": ":material/undo:", "verification": ":material/fact_check:"}


def show() -> None:
    """What needs this user now; mailed once a day when SMTP is configured. Never blocks the page on an error."""
    actor = current_actor()
    if actor is None:
        return
    con = connection()
    try:
        items = reminders.reminders(con, actor)
    except KepatuhanError:
        return
    if not items:
        return
    if MAILED_KEY not in st.session_state:  # once per browser session; the service keeps it to once a day
        st.session_state[MAILED_KEY] = _MAILER.submit(mailer.send_digest, con.cursor(), actor, items)
    with st.container(border=True):
        st.markdown(f"**{t('fu.rem.title', n=len(items))}**")
        for n, item in enumerate(items):
            if n == SHOWN:
                st.caption(t("fu.rem.more", n=len(items) - SHOWN))
                break
            left, right = st.columns([3, 1.2], vertical_alignment="center")
            left.markdown(f"{ICONS[item.kind]} {t('fu.rem.kind.' + item.kind)}")
            left.text(item.text)
            right.link_button(t("fu.rem.wa"), item.wa_link, icon=":material/chat:", width="content")
        if _mail_outcome() == "sent":
            st.caption(t("fu.rem.mailed"))


def _mail_outcome() -> str | None:
    """What the digest of this session came to, once it is known (None while it is still on its way)."""
    sending: Future | None = st.session_state.get(MAILED_KEY)
    if sending is None or not sending.done():
        return None
    try:
        return sending.result()
    except Exception:  # noqa: BLE001 - a failed digest must not break the home page; the service audits failures
        return "failed"


def contact_form() -> None:
    """The user's own e-mail and WhatsApp number for reminders."""
    actor = current_actor()
    con = connection()
    current = reminders.get_contact(con, actor)
    with st.form("fu_contact"):
        st.subheader(t("fu.contact.title"))
        st.caption(t("fu.contact.help"))
        email = st.text_input(t("fu.contact.email"), value=current.email, max_chars=254)
        phone = st.text_input(t("fu.contact.phone"), value=current.phone, max_chars=20, placeholder="0812-3456-7890")
        sent = st.form_submit_button(t("fu.save"), icon=":material/save:")
    if sent:
        ok, _ = attempt(lambda: reminders.set_contact(con, actor, email=email, phone=phone))
        if ok:
            st.success(t("fu.saved"))


def smtp_form() -> None:
    actor = current_actor()
    con = connection()
    current = mailer.smtp_settings(con)
    st.title(t("fu.smtp.title"))
    st.caption(t("fu.smtp.help"))
    if current is None:
        st.info(t("fu.smtp.off"), icon=":material/mail_lock:")
    with st.form("fu_smtp"):
        host = st.text_input(t("fu.smtp.host"), value=current.host if current else "", max_chars=253)
        c1, c2 = st.columns(2)
        port = c1.number_input(t("fu.smtp.port"), min_value=1, max_value=65535, value=current.port if current else 587)
        starttls = c2.checkbox("STARTTLS", value=current.starttls if current else True)
        sender = st.text_input(t("fu.smtp.sender"), value=current.sender if current else "", max_chars=254)
        username = st.text_input(t("fu.smtp.username"), value=current.username if current else "", max_chars=254,
                                 help=t("fu.smtp.password_help"))
        sent = st.form_submit_button(t("fu.save"), icon=":material/save:")
    if sent:
        ok, _ = attempt(lambda: mailer.save_smtp_settings(con, actor, host=host, port=port, sender=sender,
                                                          starttls=starttls, username=username))
        if ok:
            st.success(t("fu.saved"))

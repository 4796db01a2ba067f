"""The user's own account: who am I, change password, log out."""

from __future__ import annotations

import streamlit as st

from assessment.errors import KepatuhanError
from services.accounts import users as accounts
from ui.auth import SESSION_KEY, current_actor, log_out
from ui.feedback import show_error
from ui.i18n import t, t_plain
from ui.resources import connection
from ui.sections import followup_reminders


def render() -> None:
    actor = current_actor()
    st.title(t("account.title"))
    st.text(t_plain("account.who", user=actor.username, role=accounts.ROLE_LABELS.get(actor.role, actor.role)))
    with st.form("password", clear_on_submit=True):
        st.subheader(t("account.change_password"))
        old = st.text_input(t("account.old_password"), type="password")
        new = st.text_input(t("account.new_password"), type="password", help=t("account.password_rules"))
        again = st.text_input(t("setup.password_again"), type="password")
        submitted = st.form_submit_button(t("account.save_password"))
    if submitted:
        if new != again:
            st.error(t("setup.mismatch"))
        else:
            try:
                accounts.change_password(
                    connection(),
                    actor,
                    old_password=old,
                    new_password=new,
                    current_token=st.session_state.get(SESSION_KEY, ""),
                )
                st.success(t("account.password_changed"))
            except KepatuhanError as exc:
                show_error(exc)
    followup_reminders.contact_form()
    st.divider()
    if st.button(t("account.logout"), icon=":material/logout:"):
        log_out()
        st.rerun()

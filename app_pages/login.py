"""Login, and the one-time setup of the first admin on a fresh install."""

from __future__ import annotations

import streamlit as st

from assessment.errors import KepatuhanError
from services.accounts import users as accounts
from ui.auth import EXPIRED_KEY, log_in
from ui.feedback import show_error
from ui.i18n import t
from ui.resources import connection


def render_login() -> None:
    st.title(t("auth.title"))
    st.caption(t("app.tagline"))
    if st.session_state.pop(EXPIRED_KEY, False):
        st.info(t("auth.expired"), icon=":material/schedule:")
    with st.form("login", border=True):
        username = st.text_input(t("auth.username"), max_chars=40, autocomplete="username")
        password = st.text_input(t("auth.password"), type="password", max_chars=200, autocomplete="current-password")
        submitted = st.form_submit_button(t("auth.submit"), type="primary")
    if submitted:
        if not username or not password:
            st.error(t("auth.fill_both"))
            return
        try:
            actor = accounts.authenticate(connection(), username=username, password=password)
        except KepatuhanError as exc:
            show_error(exc)
            return
        log_in(actor)
        st.rerun()
    st.caption(t("auth.demo_hint"))


def render_setup() -> None:
    st.title(t("setup.title"))
    st.write(t("setup.intro"))
    with st.form("setup", border=True):
        username = st.text_input(t("auth.username"), max_chars=40)
        display = st.text_input(t("setup.display_name"), max_chars=80)
        password = st.text_input(t("auth.password"), type="password", max_chars=200)
        again = st.text_input(t("setup.password_again"), type="password", max_chars=200)
        submitted = st.form_submit_button(t("setup.submit"), type="primary")
    if submitted:
        if password != again:
            st.error(t("setup.mismatch"))
            return
        try:
            actor = accounts.create_first_admin(
                connection(), username=username, display_name=display, password=password
            )
        except KepatuhanError as exc:
            show_error(exc)
            return
        log_in(actor)
        st.rerun()

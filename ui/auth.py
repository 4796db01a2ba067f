"""The logged-in user of this browser session.

A login starts a server-side session whose random token sits in a cookie, so a browser reload
keeps the user logged in; the session ends on logout or after 30 minutes without a request.
The actor (role, unit scope) is read from the database on every request so a role change or a
deactivation takes effect at once.
"""

from __future__ import annotations

from functools import partial

import streamlit as st

from services.access import Actor
from services.accounts.sessions import end_session, resume_session, start_session
from ui.i18n import t
from ui.resources import connection
from ui.run_memo import per_run

USER_KEY = "auth_user"
SESSION_KEY = "auth_session"
EXPIRED_KEY = "auth_expired"
COOKIE_KEY = "auth_cookie_pending"  # "set:<token>" or "clear", written on the next render
COOKIE = "kepatuhan_sesi"
COOKIE_MAX_AGE = 12 * 3600


def log_in(actor: Actor) -> None:
    token = start_session(connection(), actor)
    st.session_state[USER_KEY] = actor.username
    st.session_state[SESSION_KEY] = token
    st.session_state[COOKIE_KEY] = f"set:{token}"
    st.session_state.pop(EXPIRED_KEY, None)


def log_out(*, expired: bool = False) -> None:
    end_session(connection(), st.session_state.get(SESSION_KEY) or "")
    for key in list(st.session_state.keys()):
        if key not in ("lang",):
            del st.session_state[key]
    st.session_state[COOKIE_KEY] = "clear"
    st.session_state["auth_cookie_ignored"] = True
    if expired:
        st.session_state[EXPIRED_KEY] = True


def write_cookie() -> None:
    """Set or clear the session cookie in the browser (our own token only, never user text)."""
    pending = st.session_state.pop(COOKIE_KEY, None)
    if not pending:
        return
    if pending == "clear":
        script = f"document.cookie = '{COOKIE}=; path=/; max-age=0; SameSite=Strict';"
    else:
        token = pending.removeprefix("set:")
        if not token.replace("-", "").replace("_", "").isalnum():  # token_urlsafe alphabet only
            return
        script = f"document.cookie = '{COOKIE}={token}; path=/; max-age={COOKIE_MAX_AGE}; SameSite=Strict';"
    st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)


def session_actor() -> Actor | None:
    """The actor of this session, or None (not logged in, expired, or deactivated)."""
    username = st.session_state.get(USER_KEY)
    token = st.session_state.get(SESSION_KEY)
    if not token and not st.session_state.get("auth_cookie_ignored"):  # a new browser tab or a reload
        cookie = st.context.cookies.get(COOKIE)
        token = cookie if isinstance(cookie, str) else None
    if token:
        # once per script run: a click's callback, card and summary all ask for the actor (issue 9)
        actor, reason = per_run(("session", token), partial(resume_session, connection(), token))
        if actor is None:
            log_out(expired=reason == "expired")
            return None
        st.session_state[USER_KEY] = actor.username
        st.session_state[SESSION_KEY] = token
        return actor
    if username:  # a user name without a live token is no login (nothing but a token opens a session)
        log_out()
    return None


def current_actor() -> Actor:
    """The actor for a page or a callback; a page reached without login stops here."""
    actor = session_actor()
    if actor is None:
        st.warning(t("auth.login_required"))
        st.stop()
    return actor


def admin_actor() -> Actor:
    """The logged-in admin; anyone else sees a refusal (the services refuse them too)."""
    actor = current_actor()
    if not actor.is_admin:
        st.error(t("admin.only"))
        st.stop()
    return actor

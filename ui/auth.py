"""The logged-in user of this browser session, with inactivity expiry.

Only the username and the time of the last request live in session state; the actor (role,
unit scope) is read from the database on every request so changes take effect at once.
"""

from __future__ import annotations

import time

import streamlit as st

from services.accounts import current_user
from services.actor import Actor
from ui.i18n import t
from ui.resources import connection

USER_KEY = "auth_user"
SEEN_KEY = "auth_seen"
EXPIRED_KEY = "auth_expired"
IDLE_SECONDS = 30 * 60


def log_in(actor: Actor) -> None:
    st.session_state[USER_KEY] = actor.username
    st.session_state[SEEN_KEY] = time.time()
    st.session_state.pop(EXPIRED_KEY, None)


def log_out(*, expired: bool = False) -> None:
    for key in list(st.session_state.keys()):
        if key not in ("lang",):
            del st.session_state[key]
    if expired:
        st.session_state[EXPIRED_KEY] = True


def session_actor() -> Actor | None:
    """The actor of this session, or None (not logged in, expired, or deactivated)."""
    username = st.session_state.get(USER_KEY)
    if not username:
        return None
    seen = float(st.session_state.get(SEEN_KEY, 0))
    if time.time() - seen > IDLE_SECONDS:
        log_out(expired=True)
        return None
    actor = current_user(connection(), username)
    if actor is None:
        log_out()
        return None
    st.session_state[SEEN_KEY] = time.time()
    return actor


def current_actor() -> Actor:
    """The actor for a page or a callback; a page reached without login stops here."""
    actor = session_actor()
    if actor is None:
        st.warning(t("auth.login_required"))
        st.stop()
    return actor

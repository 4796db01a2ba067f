"""Login sessions: a random token kept in a browser cookie, so a reload does not log the user out.

The database keeps only the token's sha256; a session ends on logout, after 30 minutes without
a request (each request at least TOUCH_EVERY after the last one moves that limit on), and when the
user's password is changed or reset, their role or scope changes, or the account is deactivated
(services.accounts.users ends every other session of that user then).
"""

from __future__ import annotations

import datetime as dt
import secrets

import duckdb

from services.access import Actor
from services.accounts.users import current_user
from services.common import now
from store import login_sessions
from store.db import transaction

IDLE = dt.timedelta(minutes=30)
TOUCH_EVERY = dt.timedelta(seconds=60)


def _digest(token: str) -> str:
    return login_sessions.digest(token)


def start_session(con: duckdb.DuckDBPyConnection, actor: Actor) -> str:
    token = secrets.token_urlsafe(32)
    with transaction(con):
        login_sessions.start(con, token_sha256=_digest(token), username=actor.username, at=now())
    return token


def resume_session(con: duckdb.DuckDBPyConnection, token: str) -> tuple[Actor | None, str]:
    """(actor, "") for a live session; (None, reason) with reason 'expired' or 'invalid' otherwise."""
    if not isinstance(token, str) or not token or len(token) > 100:
        return None, "invalid"
    found = login_sessions.find(con, token_sha256=_digest(token))
    if found is None:
        return None, "invalid"
    username, last_seen, ended_at = found
    at = now()
    if ended_at is not None:
        return None, "invalid"
    if at - last_seen > IDLE:
        with transaction(con):
            login_sessions.end(con, token_sha256=_digest(token), at=at)
        return None, "expired"
    actor = current_user(con, username)
    if actor is None:
        return None, "invalid"
    if at - last_seen > TOUCH_EVERY:
        with transaction(con):
            login_sessions.touch(con, token_sha256=_digest(token), at=at)
    return actor, ""


def end_session(con: duckdb.DuckDBPyConnection, token: str) -> None:
    if isinstance(token, str) and token:
        with transaction(con):
            login_sessions.end(con, token_sha256=_digest(token), at=now())

"""Accounts: argon2 password hashes, login with lock-out and back-off, first admin, demo accounts.

No default password exists: the first admin is created on the one-time setup page or with
`kepatuhan user add`; demo accounts get generated passwords written once to a file.
"""

from __future__ import annotations

import datetime as dt
import re
import secrets

import duckdb
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from assessment.errors import KepatuhanError
from assessment.messages import Phrase
from services.access import Actor, require_admin
from services.audit_events import (
    LoginFailure,
    LoginRefusedLocked,
    LoginSucceeded,
    UserCreated,
    UserPasswordChanged,
    UserPasswordReset,
    UserUpdated,
)
from services.common import now
from store import audit, login_sessions, units
from store import users as user_store
from store.db import retried, transaction
from store.models import User

ROLES = ("admin", "verifier", "unit_head", "viewer")
ROLE_LABELS = {"admin": "Admin (Ortala)", "verifier": "Verifikator", "unit_head": "Kepala unit", "viewer": "Pembaca"}
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
MIN_PASSWORD = 10
LOCK_AFTER = 5  # failed logins before the first lock
MAX_LOCK_MINUTES = 60

_hasher = PasswordHasher()
_dummy_hash: str | None = None


def _dummy() -> str:
    """A hash to verify against when the user does not exist, so the answer takes as long."""
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash(secrets.token_urlsafe(16))
    return _dummy_hash


class AccountError(KepatuhanError):
    pass


class LoginFailed(AccountError):
    pass


class AccountLocked(LoginFailed):
    pass


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def check_password_rules(password: str, username: str = "") -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(key="err.password.short", n=MIN_PASSWORD)
    if password.isdigit() or password.lower() == password.lower()[0] * len(password):
        raise AccountError(key="err.password.weak")
    if username and username.lower() in password.lower():
        raise AccountError(key="err.password.has_username")


def _check_username(username: str) -> str:
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise AccountError(key="err.account.username")
    return username


def _lock_minutes(failures: int) -> int:
    """Back-off: 1 minute at the 5th failure, doubling with each further one, at most an hour."""
    if failures < LOCK_AFTER:
        return 0
    return min(2 ** (failures - LOCK_AFTER), MAX_LOCK_MINUTES)


def actor_for(con: duckdb.DuckDBPyConnection, user: User) -> Actor:
    verifier_units = user_store.verifier_units(con, user_id=user.id) if user.role == "verifier" else frozenset()
    return Actor(username=user.username, role=user.role, unit_id=user.unit_id, verifier_units=verifier_units)


# One answer for every refusal: an unknown user, an inactive account, a wrong password and a locked account
# read the same, so the login page tells nobody which user names exist (the lock still applies).
LOGIN_REFUSED = Phrase("err.login.refused")  # one answer for every refused login, whatever the reason


def authenticate(con: duckdb.DuckDBPyConnection, *, username: str, password: str) -> Actor:
    """The actor for valid credentials; LoginFailed with LOGIN_REFUSED otherwise (AccountLocked while locked).

    Every path runs exactly one argon2 verification with the full parameters (the account's own hash, or a
    dummy one), so an unknown user answers in the same time as a wrong password.
    """
    at = now()
    user = user_store.by_username(con, username=username.strip())
    if user is None or not user.active:
        _verify(_dummy(), password)
        event = LoginFailure(reason="unknown_user" if user is None else "inactive")
        # logins of one account from many places at once must not refuse each other: bookkeeping is redone
        retried(con, lambda: audit.append(con, actor=username.strip()[:40] or "?", event=event, at=at))
        raise LoginFailed(key=LOGIN_REFUSED.key)
    matches = _verify_like_dummy(user.password_hash, password)
    if user.locked_until and user.locked_until > at:
        retried(con, lambda: audit.append(con, actor=user.username, event=LoginRefusedLocked(), at=at))
        raise AccountLocked(key=LOGIN_REFUSED.key)
    if not matches:
        failures = user.failed_logins + 1
        minutes = _lock_minutes(failures)
        locked_until = at + dt.timedelta(minutes=minutes) if minutes else None

        def fail() -> None:
            user_store.record_failure(con, user_id=user.id, at=at, locked_until=locked_until)
            audit.append(con, actor=user.username, event=LoginFailure(failures=failures, locked_minutes=minutes), at=at)

        retried(con, fail)
        raise (AccountLocked if minutes else LoginFailed)(LOGIN_REFUSED)
    rehashed = hash_password(password) if _hasher.check_needs_rehash(user.password_hash) else None

    def succeed() -> None:
        if user.failed_logins or user.locked_until:  # no write at all in the common case: nothing to contend
            user_store.reset_failures(con, user_id=user.id)
        if rehashed:
            user_store.set_password(con, user_id=user.id, password_hash=rehashed, at=at)
        audit.append(con, actor=user.username, event=LoginSucceeded(), at=at)

    retried(con, succeed)
    return actor_for(con, user)


def _verify_like_dummy(password_hash: str, password: str) -> bool:
    """Verify, costing what the dummy verification of an unknown user costs.

    A hash made with lighter parameters (the demo accounts' until their first login) would answer faster than
    the dummy; the dummy verification then runs too, so timing cannot tell a real account from an unknown one.
    """
    matches = _verify(password_hash, password)
    if _hasher.check_needs_rehash(password_hash):
        _verify(_dummy(), password)
    return matches


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def current_user(con: duckdb.DuckDBPyConnection, username: str) -> Actor | None:
    """Re-read the actor on every request so a deactivation or role change takes effect at once."""
    user = user_store.by_username(con, username=username)
    if user is None or not user.active:
        return None
    return actor_for(con, user)


def needs_setup(con: duckdb.DuckDBPyConnection) -> bool:
    return user_store.count(con) == 0


def create_first_admin(con: duckdb.DuckDBPyConnection, *, username: str, display_name: str, password: str) -> Actor:
    """Only while no account exists; afterwards admins add users."""
    username = _check_username(username)
    check_password_rules(password, username)
    at = now()
    with transaction(con):
        if user_store.count(con) != 0:
            raise AccountError(key="err.setup.done")
        user_store.add(
            con,
            username=username,
            display_name=display_name.strip() or username,
            password_hash=hash_password(password),
            role="admin",
            unit_id=None,
            at=at,
        )
        audit.append(con, actor=username, event=UserCreated(role="admin", first_admin=True), at=at)
    user = user_store.by_username(con, username=username)
    assert user is not None
    return actor_for(con, user)


def create_user(
    con: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    username: str,
    display_name: str,
    password: str,
    role: str,
    unit_code: str | None = None,
    verifier_unit_codes: list[str] | None = None,
) -> int:
    require_admin(actor)
    username = _check_username(username)
    if role not in ROLES:
        raise AccountError(key="err.role.unknown_pick", role=role, roles=', '.join(ROLES))
    check_password_rules(password, username)
    unit_id = unit_id_for(con, unit_code) if unit_code else None
    if role == "unit_head" and unit_id is None:
        raise AccountError(key="err.user.head_needs_unit_code")
    assigned = {unit_id_for(con, code) for code in verifier_unit_codes or []}
    at = now()
    with transaction(con):
        if user_store.by_username(con, username=username):
            raise AccountError(key="err.user.taken", username=username)
        user_id = user_store.add(
            con,
            username=username,
            display_name=display_name.strip() or username,
            password_hash=hash_password(password),
            role=role,
            unit_id=unit_id,
            at=at,
        )
        if role == "verifier":
            user_store.set_verifier_units(con, user_id=user_id, unit_ids=assigned)
        audit.append(
            con,
            actor=actor.username,
            event=UserCreated(user=username, role=role, unit=unit_code, verifies=verifier_unit_codes or []),
            at=at,
        )
    return user_id


def update_user(
    con: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    username: str,
    display_name: str,
    role: str,
    unit_code: str | None,
    active: bool,
    verifier_unit_codes: list[str] | None = None,
) -> None:
    require_admin(actor)
    user = user_store.by_username(con, username=username)
    if user is None:
        raise AccountError(key="err.user.not_found", username=username)
    if role not in ROLES:
        raise AccountError(key="err.role.unknown", role=role)
    unit_id = unit_id_for(con, unit_code) if unit_code else None
    if role == "unit_head" and unit_id is None:
        raise AccountError(key="err.user.head_needs_unit")
    if user.username == actor.username and (role != "admin" or not active):
        raise AccountError(key="err.user.not_self")
    assigned = {unit_id_for(con, code) for code in verifier_unit_codes or []}
    at = now()
    with transaction(con):
        old_units = user_store.verifier_units(con, user_id=user.id)
        user_store.update(
            con,
            user_id=user.id,
            display_name=display_name.strip() or user.display_name,
            role=role,
            unit_id=unit_id,
            active=active,
        )
        user_store.set_verifier_units(con, user_id=user.id, unit_ids=assigned if role == "verifier" else set())
        new_units = assigned if role == "verifier" else set()
        # what the user may see or do changed: their open sessions end, they log in again under the new rights
        rights_changed = (role, unit_id, active, new_units) != (user.role, user.unit_id, user.active, set(old_units))
        ended = login_sessions.end_all_for(con, username=user.username, at=at) if rights_changed else 0
        audit.append(
            con,
            actor=actor.username,
            event=UserUpdated(
                user=user.username,
                old={
                    "role": user.role,
                    "unit_id": user.unit_id,
                    "active": user.active,
                    "verifies": sorted(old_units),
                },
                new={"role": role, "unit_id": unit_id, "active": active, "verifies": sorted(assigned)},
                sessions_ended=ended,
            ),
            at=at,
        )


def reset_password(con: duckdb.DuckDBPyConnection, actor: Actor, *, username: str, new_password: str) -> None:
    require_admin(actor)
    user = user_store.by_username(con, username=username)
    if user is None:
        raise AccountError(key="err.user.not_found", username=username)
    check_password_rules(new_password, user.username)
    at = now()
    with transaction(con):
        user_store.set_password(con, user_id=user.id, password_hash=hash_password(new_password), at=at)
        ended = login_sessions.end_all_for(con, username=user.username, at=at)
        audit.append(
            con, actor=actor.username, event=UserPasswordReset(user=user.username, sessions_ended=ended), at=at
        )


def change_password(
    con: duckdb.DuckDBPyConnection, actor: Actor, *, old_password: str, new_password: str, current_token: str = ""
) -> None:
    """Change one's own password; every other session of the user ends (the one asking stays logged in)."""
    user = user_store.by_username(con, username=actor.username)
    if user is None or not _verify(user.password_hash, old_password):
        raise AccountError(key="err.password.old_wrong")
    if old_password == new_password:
        raise AccountError(key="err.password.same")
    check_password_rules(new_password, user.username)
    at = now()
    with transaction(con):
        user_store.set_password(con, user_id=user.id, password_hash=hash_password(new_password), at=at)
        keep = login_sessions.digest(current_token) if current_token else None
        ended = login_sessions.end_all_for(con, username=user.username, at=at, keep_sha256=keep)
        audit.append(con, actor=actor.username, event=UserPasswordChanged(sessions_ended=ended), at=at)


def list_users(con: duckdb.DuckDBPyConnection, actor: Actor) -> list[User]:
    require_admin(actor)
    return user_store.list_all(con)


def unit_id_for(con: duckdb.DuckDBPyConnection, code: str) -> int:
    unit = units.unit_by_code(con, code=code.strip())
    if unit is None:
        raise AccountError(key="err.unit.not_found", code=code)
    return unit.id

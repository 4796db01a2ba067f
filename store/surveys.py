"""Repositories of the public surveys: pinned definitions, links, responses, proofs, kiosks, Output feeds.

Functions take the connection and keyword arguments and return row models; the services own the rules.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any, Literal

import duckdb
import psycopg

from store.models import Row
from store.rows import fetch_all, fetch_one

ResponseStatus = Literal["accepted", "suspicious", "rejected"]


class SurveyDef(Row):
    sha256: str
    id: str
    version: str
    kind: str
    title: str
    yaml: str


class SurveyLink(Row):
    id: int
    code: str
    period_id: int
    unit_id: int
    survey_id: str
    product_code: str | None
    counter: str | None
    status: Literal["open", "closed"]
    created_by: str
    created_at: dt.datetime


class ResponseRow(Row):
    id: int
    submission_id: str
    link_id: int
    period_id: int
    unit_id: int
    survey_id: str
    product_code: str | None
    channel: Literal["web", "kiosk", "paper"]
    submitted_at: dt.datetime
    day: dt.date
    answers: dict[str, int]
    profile: dict[str, str]
    suggestion: str
    contact: str
    seconds: int | None
    status: ResponseStatus
    flags: str
    decided_by: str | None
    decided_at: dt.datetime | None


class Kiosk(Row):
    token_sha256: str
    unit_id: int
    label: str
    active: bool
    set_by: str
    set_at: dt.datetime


class Feed(Row):
    assessment_id: int
    indicator_id: str
    survey_id: str
    n: int
    fed_at: dt.datetime
    overridden_by: str | None
    overridden_at: dt.datetime | None
    reason: str | None


# ---- definitions pinned per period -------------------------------------------------------------------------


def save_def(
    con: duckdb.DuckDBPyConnection, *, sha256: str, id: str, version: str, kind: str, title: str, yaml_text: str
) -> None:
    con.execute(
        "INSERT INTO survey_defs (sha256, id, version, kind, title, yaml) VALUES (?, ?, ?, ?, ?, ?) "
        "ON CONFLICT DO NOTHING",
        [sha256, id, version, kind, title, yaml_text],
    )


def get_def(con: duckdb.DuckDBPyConnection, *, sha256: str) -> SurveyDef | None:
    return fetch_one(
        con, SurveyDef, "SELECT sha256, id, version, kind, title, yaml FROM survey_defs WHERE sha256 = ?", [sha256]
    )


def pin(con: duckdb.DuckDBPyConnection, *, period_id: int, survey_id: str, sha256: str) -> None:
    con.execute("INSERT INTO period_surveys VALUES (?, ?, ?) ON CONFLICT DO NOTHING", [period_id, survey_id, sha256])


def pinned(con: duckdb.DuckDBPyConnection, *, period_id: int) -> dict[str, str]:
    """survey id → sha256 of the text this period pinned."""
    rows = con.execute(
        "SELECT survey_id, survey_sha256 FROM period_surveys WHERE period_id = ? ORDER BY survey_id", [period_id]
    ).fetchall()
    return {r[0]: r[1] for r in rows}


# ---- links ---------------------------------------------------------------------------------------------------

_LINK = (
    "SELECT id, code, period_id, unit_id, survey_id, product_code, counter, status, created_by, created_at "
    "FROM survey_links"
)


def add_link(
    con: duckdb.DuckDBPyConnection,
    *,
    code: str,
    period_id: int,
    unit_id: int,
    survey_id: str,
    product_code: str | None,
    counter: str | None,
    actor: str,
    at: dt.datetime,
) -> int:
    row = con.execute(
        "INSERT INTO survey_links (code, period_id, unit_id, survey_id, product_code, counter, created_by, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [code, period_id, unit_id, survey_id, product_code, counter, actor, at],
    ).fetchone()
    return int(row[0])


def link_by_code(con: duckdb.DuckDBPyConnection, *, code: str) -> SurveyLink | None:
    return fetch_one(con, SurveyLink, f"{_LINK} WHERE code = ?", [code])


def link_by_id(con: duckdb.DuckDBPyConnection, *, link_id: int) -> SurveyLink | None:
    return fetch_one(con, SurveyLink, f"{_LINK} WHERE id = ?", [link_id])


def links(
    con: duckdb.DuckDBPyConnection,
    *,
    unit_id: int | None = None,
    period_id: int | None = None,
) -> list[SurveyLink]:
    clauses, params = [], []
    if unit_id is not None:
        clauses.append("unit_id = ?")
        params.append(unit_id)
    if period_id is not None:
        clauses.append("period_id = ?")
        params.append(period_id)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    return fetch_all(con, SurveyLink, f"{_LINK}{where} ORDER BY period_id DESC, unit_id, survey_id, id", params)


def set_link_status(con: duckdb.DuckDBPyConnection, *, link_id: int, status: str) -> None:
    con.execute("UPDATE survey_links SET status = ? WHERE id = ?", [status, link_id])


# ---- populations ---------------------------------------------------------------------------------------------


def set_population(
    con: duckdb.DuckDBPyConnection,
    *,
    period_id: int,
    unit_id: int,
    survey_id: str,
    population: int,
    actor: str,
    at: dt.datetime,
) -> int | None:
    old = population_of(con, period_id=period_id, unit_id=unit_id, survey_id=survey_id)
    con.execute(
        "INSERT INTO survey_populations VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (period_id, unit_id, survey_id) "
        "DO UPDATE SET population = excluded.population, set_by = excluded.set_by, set_at = excluded.set_at",
        [period_id, unit_id, survey_id, population, actor, at],
    )
    return old


def population_of(con: duckdb.DuckDBPyConnection, *, period_id: int, unit_id: int, survey_id: str) -> int | None:
    row = con.execute(
        "SELECT population FROM survey_populations WHERE period_id = ? AND unit_id = ? AND survey_id = ?",
        [period_id, unit_id, survey_id],
    ).fetchone()
    return int(row[0]) if row else None


# ---- responses -----------------------------------------------------------------------------------------------

_RESPONSE = (
    "SELECT id, submission_id, link_id, period_id, unit_id, survey_id, product_code, channel, submitted_at, day, "
    "answers, profile, suggestion, contact, seconds, status, flags, decided_by, decided_at FROM survey_responses"
)


def _response(row: tuple[Any, ...], names: list[str]) -> ResponseRow:
    data = dict(zip(names, row, strict=True))
    data["answers"] = json.loads(data["answers"])
    data["profile"] = json.loads(data["profile"])
    return ResponseRow(**data)


def _responses(con: duckdb.DuckDBPyConnection, sql: str, params: list[Any]) -> list[ResponseRow]:
    cur = con.execute(sql, params)
    names = [d[0] for d in cur.description]
    return [_response(r, names) for r in cur.fetchall()]


def add_response(
    con: duckdb.DuckDBPyConnection,
    *,
    submission_id: str,
    link: SurveyLink,
    channel: str,
    at: dt.datetime,
    answers: dict[str, int],
    profile: dict[str, str],
    suggestion: str,
    contact: str,
    device_sha256: str,
    client_sha256: str,
    seconds: int | None,
    status: str,
    flags: str,
) -> int:
    row = con.execute(
        "INSERT INTO survey_responses (submission_id, link_id, period_id, unit_id, survey_id, product_code, channel, "
        "submitted_at, day, answers, profile, suggestion, contact, device_sha256, client_sha256, seconds, status, "
        "flags) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
        [
            submission_id,
            link.id,
            link.period_id,
            link.unit_id,
            link.survey_id,
            link.product_code,
            channel,
            at,
            at.date(),
            json.dumps(answers),
            json.dumps(profile, ensure_ascii=False),
            suggestion,
            contact,
            device_sha256,
            client_sha256,
            seconds,
            status,
            flags,
        ],
    ).fetchone()
    return int(row[0])


def response_by_submission(con: duckdb.DuckDBPyConnection, *, submission_id: str) -> ResponseRow | None:
    rows = _responses(con, f"{_RESPONSE} WHERE submission_id = ?", [submission_id])
    return rows[0] if rows else None


def response_by_id(con: duckdb.DuckDBPyConnection, *, response_id: int) -> ResponseRow | None:
    rows = _responses(con, f"{_RESPONSE} WHERE id = ?", [response_id])
    return rows[0] if rows else None


def responses(
    con: duckdb.DuckDBPyConnection,
    *,
    period_id: int,
    unit_id: int | None = None,
    survey_id: str | None = None,
    status: str | None = None,
) -> list[ResponseRow]:
    clauses, params = ["period_id = ?"], [period_id]
    for column, value in (("unit_id", unit_id), ("survey_id", survey_id), ("status", status)):
        if value is not None:
            clauses.append(f"{column} = ?")
            params.append(value)
    return _responses(con, f"{_RESPONSE} WHERE {' AND '.join(clauses)} ORDER BY id", params)


def device_answered(
    con: duckdb.DuckDBPyConnection, *, device_sha256: str, unit_id: int, survey_id: str, day: dt.date
) -> bool:
    row = con.execute(
        "SELECT 1 FROM survey_responses WHERE device_sha256 = ? AND day = ? AND unit_id = ? AND survey_id = ? "
        "AND status <> 'rejected' LIMIT 1",
        [device_sha256, day, unit_id, survey_id],
    ).fetchone()
    return row is not None


def decide(con: duckdb.DuckDBPyConnection, *, response_id: int, status: str, actor: str, at: dt.datetime) -> None:
    con.execute(
        "UPDATE survey_responses SET status = ?, decided_by = ?, decided_at = ? WHERE id = ?",
        [status, actor, at, response_id],
    )


def use_proof(con: duckdb.DuckDBPyConnection, *, scope: str, proof_sha256: str, at: dt.datetime) -> bool:
    """Record a proof of service; False when it was used before (a proof counts once)."""
    row = con.execute(
        "INSERT INTO survey_proofs VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING 1", [scope, proof_sha256, at]
    ).fetchone()
    return row is not None


# ---- kiosks --------------------------------------------------------------------------------------------------


def add_kiosk(
    con: duckdb.DuckDBPyConnection, *, token_sha256: str, unit_id: int, label: str, actor: str, at: dt.datetime
) -> None:
    con.execute("INSERT INTO survey_kiosks VALUES (?, ?, ?, true, ?, ?)", [token_sha256, unit_id, label, actor, at])


def kiosk(con: duckdb.DuckDBPyConnection, *, token_sha256: str) -> Kiosk | None:
    return fetch_one(con, Kiosk, "SELECT * FROM survey_kiosks WHERE token_sha256 = ?", [token_sha256])


def kiosks(con: duckdb.DuckDBPyConnection, *, unit_id: int | None = None) -> list[Kiosk]:
    if unit_id is None:
        return fetch_all(con, Kiosk, "SELECT * FROM survey_kiosks ORDER BY unit_id, label")
    return fetch_all(con, Kiosk, "SELECT * FROM survey_kiosks WHERE unit_id = ? ORDER BY label", [unit_id])


def set_kiosk_active(con: duckdb.DuckDBPyConnection, *, token_sha256: str, active: bool) -> None:
    con.execute("UPDATE survey_kiosks SET active = ? WHERE token_sha256 = ?", [active, token_sha256])


# ---- Output feeds --------------------------------------------------------------------------------------------


def put_feed(
    con: duckdb.DuckDBPyConnection, *, assessment_id: int, indicator_id: str, survey_id: str, n: int, at: dt.datetime
) -> None:
    con.execute(
        "INSERT INTO survey_feeds (assessment_id, indicator_id, survey_id, n, fed_at) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (assessment_id, indicator_id) DO UPDATE SET survey_id = excluded.survey_id, n = excluded.n, "
        "fed_at = excluded.fed_at, overridden_by = NULL, overridden_at = NULL, reason = NULL",
        [assessment_id, indicator_id, survey_id, n, at],
    )


def override_feed(
    con: duckdb.DuckDBPyConnection, *, assessment_id: int, indicator_id: str, actor: str, at: dt.datetime, reason: str
) -> None:
    con.execute(
        "UPDATE survey_feeds SET overridden_by = ?, overridden_at = ?, reason = ? "
        "WHERE assessment_id = ? AND indicator_id = ?",
        [actor, at, reason, assessment_id, indicator_id],
    )


def feeds(con: duckdb.DuckDBPyConnection, *, assessment_id: int) -> dict[str, Feed]:
    rows = fetch_all(con, Feed, "SELECT * FROM survey_feeds WHERE assessment_id = ?", [assessment_id])
    return {r.indicator_id: r for r in rows}


# ---- per-client rate window (shared by every app process, kept across restarts) -------------------------------


def count_client_hits(con: duckdb.DuckDBPyConnection, *, client_sha256: str, since_ms: int) -> int:
    """Answers counted for this client after ``since_ms`` (epoch milliseconds)."""
    row = con.execute(
        "SELECT count(*) FROM survey_client_hits WHERE client_sha256 = ? AND hit_ms > ?", [client_sha256, since_ms]
    ).fetchone()
    return int(row[0]) if row else 0


def add_client_hit(con: duckdb.DuckDBPyConnection, *, client_sha256: str, at_ms: int) -> None:
    con.execute("INSERT INTO survey_client_hits (client_sha256, hit_ms) VALUES (?, ?)", [client_sha256, at_ms])


def prune_client_hits(con: duckdb.DuckDBPyConnection, *, before_ms: int) -> bool:
    """Forget hits that fell out of every window (idle clients leave no rows behind). False when another session
    was deleting the same rows at that moment (DuckDB reports a conflict): they go the next time."""
    try:
        con.execute("DELETE FROM survey_client_hits WHERE hit_ms <= ?", [before_ms])
    except (duckdb.Error, psycopg.Error):
        return False
    return True

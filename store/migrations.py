"""Named, ordered, transactional schema migrations. Applied names are kept in schema_migrations."""

from __future__ import annotations

import duckdb

from store.errors import DB_ERRORS, StorageError, translate
from store.postgres import ddl, is_postgres

M001_INITIAL = """
CREATE SEQUENCE seq_org_units START 1;
CREATE SEQUENCE seq_products START 1;
CREATE SEQUENCE seq_periods START 1;
CREATE SEQUENCE seq_assessments START 1;
CREATE SEQUENCE seq_evidence START 1;
CREATE SEQUENCE seq_users START 1;
CREATE SEQUENCE seq_audit START 1;

CREATE TABLE criteria_sets (
    sha256     VARCHAR PRIMARY KEY,
    id         VARCHAR NOT NULL,
    version    VARCHAR NOT NULL,
    title      VARCHAR NOT NULL,
    yaml       VARCHAR NOT NULL,
    loaded_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE org_units (
    id         INTEGER PRIMARY KEY DEFAULT nextval('seq_org_units'),
    parent_id  INTEGER,
    kind       VARCHAR NOT NULL CHECK (kind IN ('pemda', 'opd', 'unit')),
    code       VARCHAR NOT NULL UNIQUE,
    name       VARCHAR NOT NULL,
    unit_type  VARCHAR,
    is_demo    BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE service_products (
    id       INTEGER PRIMARY KEY DEFAULT nextval('seq_products'),
    unit_id  INTEGER NOT NULL,
    code     VARCHAR NOT NULL,
    name     VARCHAR NOT NULL,
    UNIQUE (unit_id, code)
);

CREATE TABLE periods (
    id               INTEGER PRIMARY KEY DEFAULT nextval('seq_periods'),
    name             VARCHAR NOT NULL UNIQUE,
    year             INTEGER NOT NULL,
    criteria_sha256  VARCHAR NOT NULL,
    opens            DATE,
    closes           DATE,
    visit_from       DATE,
    visit_to         DATE,
    status           VARCHAR NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed'))
);

CREATE TABLE assessments (
    id               INTEGER PRIMARY KEY DEFAULT nextval('seq_assessments'),
    period_id        INTEGER NOT NULL,
    unit_id          INTEGER NOT NULL,
    status           VARCHAR NOT NULL DEFAULT 'draft'
                     CHECK (status IN ('draft', 'submitted', 'in_review', 'verified', 'reopened')),
    snapshot_sha256  VARCHAR,
    submitted_at     TIMESTAMP,
    submitted_by     VARCHAR,
    created_at       TIMESTAMP NOT NULL DEFAULT current_timestamp,
    UNIQUE (period_id, unit_id)
);

CREATE TABLE answers (
    assessment_id  INTEGER NOT NULL,
    indicator_id   VARCHAR NOT NULL,
    subject        VARCHAR NOT NULL,
    value          DOUBLE,
    count          INTEGER NOT NULL DEFAULT 1,
    revision       INTEGER NOT NULL DEFAULT 1,
    updated_by     VARCHAR NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (assessment_id, indicator_id, subject)
);

CREATE TABLE indicator_notes (
    assessment_id  INTEGER NOT NULL,
    indicator_id   VARCHAR NOT NULL,
    note           VARCHAR NOT NULL,
    revision       INTEGER NOT NULL DEFAULT 1,
    updated_by     VARCHAR NOT NULL,
    updated_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (assessment_id, indicator_id)
);

CREATE TABLE evidence (
    id              INTEGER PRIMARY KEY DEFAULT nextval('seq_evidence'),
    assessment_id   INTEGER NOT NULL,
    indicator_id    VARCHAR NOT NULL,
    sha256          VARCHAR NOT NULL,
    file_name       VARCHAR NOT NULL,
    media_type      VARCHAR NOT NULL,
    size            BIGINT NOT NULL,
    effective_date  DATE,
    description     VARCHAR NOT NULL DEFAULT '',
    uploaded_by     VARCHAR NOT NULL,
    uploaded_at     TIMESTAMP NOT NULL,
    removed_at      TIMESTAMP,
    removed_by      VARCHAR
);

CREATE TABLE users (
    id                   INTEGER PRIMARY KEY DEFAULT nextval('seq_users'),
    username             VARCHAR NOT NULL UNIQUE,
    display_name         VARCHAR NOT NULL,
    password_hash        VARCHAR NOT NULL,
    role                 VARCHAR NOT NULL CHECK (role IN ('admin', 'verifier', 'unit_head', 'viewer')),
    unit_id              INTEGER,
    failed_logins        INTEGER NOT NULL DEFAULT 0,
    locked_until         TIMESTAMP,
    active               BOOLEAN NOT NULL DEFAULT true,
    created_at           TIMESTAMP NOT NULL DEFAULT current_timestamp
);

CREATE TABLE audit_events (
    id             BIGINT PRIMARY KEY DEFAULT nextval('seq_audit'),
    "at"           TIMESTAMP NOT NULL,
    actor          VARCHAR NOT NULL,
    event          VARCHAR NOT NULL,
    assessment_id  INTEGER,
    payload        JSON NOT NULL
);

CREATE TABLE settings (
    key    VARCHAR PRIMARY KEY,
    value  VARCHAR NOT NULL
);
"""

M002_LOOKUP_INDEXES = """
CREATE INDEX idx_evidence_assessment ON evidence (assessment_id, indicator_id);
CREATE INDEX idx_audit_assessment ON audit_events (assessment_id);
CREATE INDEX idx_assessments_period ON assessments (period_id);
"""

M003_ACCOUNTS_AND_VERIFICATION = """
ALTER TABLE users ADD COLUMN last_failed_at TIMESTAMP;
ALTER TABLE users ADD COLUMN password_changed_at TIMESTAMP;
CREATE TABLE verifier_assignments (
    user_id  INTEGER NOT NULL,
    unit_id  INTEGER NOT NULL,
    PRIMARY KEY (user_id, unit_id)
);
CREATE TABLE verifications (
    assessment_id   INTEGER NOT NULL,
    indicator_id    VARCHAR NOT NULL,
    decision        VARCHAR NOT NULL CHECK (decision IN ('accept', 'adjust', 'change_requested')),
    verified_value  DOUBLE,
    verified_na     BOOLEAN NOT NULL DEFAULT false,
    note            VARCHAR NOT NULL DEFAULT '',
    revision        INTEGER NOT NULL DEFAULT 1,
    verified_by     VARCHAR NOT NULL,
    verified_at     TIMESTAMP NOT NULL,
    PRIMARY KEY (assessment_id, indicator_id)
);
ALTER TABLE assessments ADD COLUMN verified_by VARCHAR;
ALTER TABLE assessments ADD COLUMN verified_at TIMESTAMP;
"""

M004_LOGIN_SESSIONS = """
CREATE TABLE login_sessions (
    token_sha256  VARCHAR PRIMARY KEY,
    username      VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    last_seen     TIMESTAMP NOT NULL,
    ended_at      TIMESTAMP
);
"""

M005_SUBMITTED_PRODUCTS = """
CREATE TABLE submitted_products (
    assessment_id  INTEGER NOT NULL,
    code           VARCHAR NOT NULL,
    PRIMARY KEY (assessment_id, code)
);
"""

M006_SURVEYS = """
CREATE SEQUENCE seq_survey_links START 1;
CREATE SEQUENCE seq_survey_responses START 1;
CREATE TABLE survey_defs (
    sha256     VARCHAR PRIMARY KEY,
    id         VARCHAR NOT NULL,
    version    VARCHAR NOT NULL,
    kind       VARCHAR NOT NULL,
    title      VARCHAR NOT NULL,
    yaml       VARCHAR NOT NULL,
    loaded_at  TIMESTAMP NOT NULL DEFAULT current_timestamp
);
CREATE TABLE period_surveys (
    period_id      INTEGER NOT NULL,
    survey_id      VARCHAR NOT NULL,
    survey_sha256  VARCHAR NOT NULL,
    PRIMARY KEY (period_id, survey_id)
);
CREATE TABLE survey_links (
    id            INTEGER PRIMARY KEY DEFAULT nextval('seq_survey_links'),
    code          VARCHAR NOT NULL UNIQUE,
    period_id     INTEGER NOT NULL,
    unit_id       INTEGER NOT NULL,
    survey_id     VARCHAR NOT NULL,
    product_code  VARCHAR,
    counter       VARCHAR,
    status        VARCHAR NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_by    VARCHAR NOT NULL,
    created_at    TIMESTAMP NOT NULL
);
CREATE TABLE survey_populations (
    period_id   INTEGER NOT NULL,
    unit_id     INTEGER NOT NULL,
    survey_id   VARCHAR NOT NULL,
    population  INTEGER NOT NULL CHECK (population >= 1),
    set_by      VARCHAR NOT NULL,
    set_at      TIMESTAMP NOT NULL,
    PRIMARY KEY (period_id, unit_id, survey_id)
);
CREATE TABLE survey_responses (
    id             INTEGER PRIMARY KEY DEFAULT nextval('seq_survey_responses'),
    submission_id  VARCHAR NOT NULL UNIQUE,
    link_id        INTEGER NOT NULL,
    period_id      INTEGER NOT NULL,
    unit_id        INTEGER NOT NULL,
    survey_id      VARCHAR NOT NULL,
    product_code   VARCHAR,
    channel        VARCHAR NOT NULL CHECK (channel IN ('web', 'kiosk', 'paper')),
    submitted_at   TIMESTAMP NOT NULL,
    day            DATE NOT NULL,
    answers        VARCHAR NOT NULL,
    profile        VARCHAR NOT NULL DEFAULT '{}',
    suggestion     VARCHAR NOT NULL DEFAULT '',
    contact        VARCHAR NOT NULL DEFAULT '',
    device_sha256  VARCHAR NOT NULL DEFAULT '',
    client_sha256  VARCHAR NOT NULL DEFAULT '',
    seconds        INTEGER,
    status         VARCHAR NOT NULL CHECK (status IN ('accepted', 'suspicious', 'rejected')),
    flags          VARCHAR NOT NULL DEFAULT '',
    decided_by     VARCHAR,
    decided_at     TIMESTAMP
);
CREATE INDEX idx_survey_responses_unit ON survey_responses (period_id, unit_id, survey_id);
CREATE INDEX idx_survey_responses_device ON survey_responses (device_sha256, day);
CREATE TABLE survey_proofs (
    scope         VARCHAR NOT NULL,
    proof_sha256  VARCHAR NOT NULL,
    used_at       TIMESTAMP NOT NULL,
    PRIMARY KEY (scope, proof_sha256)
);
CREATE TABLE survey_kiosks (
    token_sha256  VARCHAR PRIMARY KEY,
    unit_id       INTEGER NOT NULL,
    label         VARCHAR NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT true,
    set_by        VARCHAR NOT NULL,
    set_at        TIMESTAMP NOT NULL
);
CREATE TABLE survey_feeds (
    assessment_id  INTEGER NOT NULL,
    indicator_id   VARCHAR NOT NULL,
    survey_id      VARCHAR NOT NULL,
    n              INTEGER NOT NULL,
    fed_at         TIMESTAMP NOT NULL,
    overridden_by  VARCHAR,
    overridden_at  TIMESTAMP,
    reason         VARCHAR,
    PRIMARY KEY (assessment_id, indicator_id)
);
"""

# issue 13: follow-up actions, the Ombudsman's published results and products, reminder contacts
M007_FOLLOWUP = """
CREATE SEQUENCE seq_followup_actions START 1;
CREATE SEQUENCE seq_ombudsman_products START 1;
CREATE TABLE followup_actions (
    id               INTEGER PRIMARY KEY DEFAULT nextval('seq_followup_actions'),
    period_id        INTEGER NOT NULL,
    unit_id          INTEGER NOT NULL,
    title            VARCHAR NOT NULL,
    indicators       VARCHAR NOT NULL DEFAULT '',
    source           VARCHAR NOT NULL CHECK (source IN ('path', 'finding', 'missed', 'manual')),
    owner            VARCHAR NOT NULL,
    due_date         DATE NOT NULL,
    status           VARCHAR NOT NULL DEFAULT 'rencana'
                     CHECK (status IN ('rencana', 'berjalan', 'selesai', 'dibatalkan')),
    expected_points  DOUBLE NOT NULL DEFAULT 0,
    evidence_id      INTEGER,
    closing_note     VARCHAR NOT NULL DEFAULT '',
    revision         INTEGER NOT NULL DEFAULT 1,
    created_by       VARCHAR NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    updated_by       VARCHAR NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
CREATE INDEX idx_followup_actions_period ON followup_actions (period_id, unit_id);
CREATE TABLE official_results (
    period_id    INTEGER NOT NULL,
    org_unit_id  INTEGER NOT NULL,
    score        DOUBLE NOT NULL,
    label        VARCHAR NOT NULL DEFAULT '',
    suffix       VARCHAR NOT NULL DEFAULT '',
    dimensions   VARCHAR NOT NULL DEFAULT '{}',
    recorded_by  VARCHAR NOT NULL,
    recorded_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (period_id, org_unit_id)
);
CREATE TABLE ombudsman_products (
    id               INTEGER PRIMARY KEY DEFAULT nextval('seq_ombudsman_products'),
    period_id        INTEGER NOT NULL,
    org_unit_id      INTEGER NOT NULL,
    kind             VARCHAR NOT NULL CHECK (kind IN ('tindakan_korektif', 'saran', 'rekomendasi')),
    reference        VARCHAR NOT NULL,
    description      VARCHAR NOT NULL DEFAULT '',
    followup_status  VARCHAR NOT NULL DEFAULT 'belum' CHECK (followup_status IN ('belum', 'berjalan', 'selesai')),
    recorded_by      VARCHAR NOT NULL,
    recorded_at      TIMESTAMP NOT NULL,
    UNIQUE (period_id, org_unit_id, reference)
);
CREATE TABLE reminder_contacts (
    username  VARCHAR PRIMARY KEY,
    email     VARCHAR NOT NULL DEFAULT '',
    phone     VARCHAR NOT NULL DEFAULT ''
);
"""

# issue 12: the public survey's per-client rate window, shared by every app process and kept across restarts.
# One row per counted answer (inserts never contend for a row, so concurrent sessions do not conflict); rows older
# than the window are deleted by the service. Portable SQL only: the store also runs on PostgreSQL.
M008_SURVEY_CLIENT_HITS = """
CREATE TABLE survey_client_hits (
    client_sha256  VARCHAR NOT NULL,
    hit_ms         BIGINT NOT NULL
);
CREATE INDEX idx_survey_client_hits ON survey_client_hits (client_sha256, hit_ms);
"""

MIGRATIONS: list[tuple[str, str]] = [
    ("001_initial", M001_INITIAL),
    ("002_lookup_indexes", M002_LOOKUP_INDEXES),
    ("003_accounts_and_verification", M003_ACCOUNTS_AND_VERIFICATION),
    ("004_login_sessions", M004_LOGIN_SESSIONS),
    ("005_submitted_products", M005_SUBMITTED_PRODUCTS),
    ("006_surveys", M006_SURVEYS),
    ("007_followup", M007_FOLLOWUP),
    ("008_survey_client_hits", M008_SURVEY_CLIENT_HITS),
]


def applied(con: duckdb.DuckDBPyConnection) -> list[str]:
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (name VARCHAR PRIMARY KEY, applied_at TIMESTAMP NOT NULL)"
    )
    return [r[0] for r in con.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()]


def migrate(con: duckdb.DuckDBPyConnection, *, upto: str | None = None) -> list[str]:
    """Apply every pending migration (each in its own transaction); return the names applied now."""
    try:
        done = set(applied(con))
    except DB_ERRORS as exc:
        raise translate(exc) from exc
    known = [name for name, _ in MIGRATIONS]
    unknown = done - set(known)
    if unknown:
        raise StorageError(key="err.storage.newer_version", migrations=", ".join(sorted(unknown)))
    now_applied = []
    for name, sql in MIGRATIONS:
        if name in done:
            continue
        postgres = is_postgres(con)
        try:
            con.execute("BEGIN TRANSACTION")
            for statement in _statements(sql):
                con.execute(ddl(statement) if postgres else statement)
            con.execute("INSERT INTO schema_migrations VALUES (?, current_timestamp)", [name])
            con.execute("COMMIT")
        except DB_ERRORS as exc:
            con.execute("ROLLBACK")
            raise StorageError(key="err.storage.migration_failed", name=name, detail=str(exc)) from exc
        now_applied.append(name)
        if name == upto:
            break
    return now_applied


def _statements(sql: str) -> list[str]:
    return [s.strip() for s in sql.split(";") if s.strip()]

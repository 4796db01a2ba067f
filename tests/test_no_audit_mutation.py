"""The audit trail is append-only: no code path updates, deletes, truncates or drops audit_events."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# tests are left out: some hold these statements as strings to check a pattern (tests/store/test_store_audit.py)
SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "data", "__pycache__", "build", "dist", "tests"}
MUTATION = re.compile(
    r"\b(UPDATE\s+[\"`]?audit_events\b"
    r"|DELETE\s+FROM\s+[\"`]?audit_events\b"
    r"|TRUNCATE\s+(TABLE\s+)?[\"`]?audit_events\b"
    r"|DROP\s+TABLE\s+(IF\s+EXISTS\s+)?[\"`]?audit_events\b"
    r"|INSERT\s+OR\s+REPLACE\s+INTO\s+[\"`]?audit_events\b"
    r"|REPLACE\s+INTO\s+[\"`]?audit_events\b)",
    re.IGNORECASE,
)


def _sources():
    for path in ROOT.rglob("*"):
        if path.suffix not in (".py", ".sql") or SKIP_DIRS & set(path.relative_to(ROOT).parts):
            continue
        yield path


def test_no_source_file_mutates_audit_events():
    hits = []
    for path in _sources():
        text = path.read_text(encoding="utf-8", errors="replace")
        joined = re.sub(r"[\"']\s*\n\s*[\"']", "", text)  # SQL split over adjacent string literals
        for match in MUTATION.finditer(joined):
            hits.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert not hits, "audit_events must stay append-only:\n" + "\n".join(hits)


def test_the_audit_repository_only_appends_and_reads():
    from store import audit

    public = {n for n in dir(audit) if not n.startswith("_") and callable(getattr(audit, n))}
    own = {n for n in public if getattr(getattr(audit, n), "__module__", "") == "store.audit"}
    assert own <= {"append", "events", "event_names", "actor_names", "count_events"}, own  # reads only


def test_the_pattern_catches_what_it_should():
    for bad in ("UPDATE audit_events SET", 'delete from "audit_events" where', "TRUNCATE TABLE audit_events"):
        assert MUTATION.search(bad), bad
    assert not MUTATION.search("INSERT INTO audit_events (actor) VALUES (?)")

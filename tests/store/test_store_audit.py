"""The audit trail is append-only: no code updates or deletes an event, and events read back in order."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from store import audit
from store.models import AssessmentEvent, Event

ROOT = Path(__file__).resolve().parents[2]


class Probe(AssessmentEvent):
    name = "probe.answer"
    n: int
    teks: str
    old: None = None


class LooseProbe(Event):
    name = "probe.loose"
    optional = frozenset({"extra"})
    n: int
    teks: str
    extra: str | None = None


SOURCE_DIRS = ["assessment", "store", "services", "evidence", "cli", "ui", "app_pages", "bench"]
MUTATION = re.compile(
    r"\b(UPDATE\s+\"?audit_events|DELETE\s+FROM\s+\"?audit_events|TRUNCATE\s+(TABLE\s+)?\"?audit_events"
    r"|DROP\s+TABLE\s+(IF\s+EXISTS\s+)?\"?audit_events|ALTER\s+TABLE\s+\"?audit_events)",
    re.IGNORECASE,
)


def source_files() -> list[Path]:
    files = [ROOT / "app.py"] if (ROOT / "app.py").exists() else []
    for d in SOURCE_DIRS:
        files.extend(sorted((ROOT / d).rglob("*.py")))
    return files


def test_no_source_updates_or_deletes_audit_events():
    files = source_files()
    assert any(f.name == "audit.py" for f in files)
    offenders = [
        f"{f.relative_to(ROOT)}:{text.count(chr(10), 0, m.start()) + 1}: {m.group(0)}"
        for f in files
        for text in [f.read_text(encoding="utf-8")]
        for m in MUTATION.finditer(text)
    ]
    assert offenders == []


def test_the_pattern_would_catch_a_mutation():
    assert MUTATION.search('con.execute("update audit_events set actor = ?")')
    assert MUTATION.search("DELETE  FROM audit_events WHERE id = 1")


def test_events_come_back_in_order_with_their_payload(con):
    base = dt.datetime(2024, 7, 1, 8, 0)
    ids = []
    for n in range(5):
        ids.append(
            audit.append(
                con, actor="budi" if n % 2 == 0 else "siti", at=base + dt.timedelta(seconds=n),
                event=Probe(assessment_id=7, n=n, teks="jawaban ✓") if n < 4 else LooseProbe(n=n, teks="jawaban ✓"),
            )
        )  # fmt: skip
    assert ids == sorted(ids) and len(set(ids)) == 5
    events = audit.events(con)
    assert [e.id for e in events] == list(reversed(ids))  # newest first
    assert [e.payload["n"] for e in events] == [4, 3, 2, 1, 0]
    assert events[-1].payload == {"n": 0, "teks": "jawaban ✓", "old": None}
    assert events[0].payload == {"n": 4, "teks": "jawaban ✓"} and events[0].assessment_id is None
    assert [e.at for e in events] == sorted((e.at for e in events), reverse=True)
    assert [e.payload["n"] for e in audit.events(con, assessment_id=7)] == [3, 2, 1, 0]
    assert [e.payload["n"] for e in audit.events(con, actor="siti")] == [3, 1]
    assert [e.payload["n"] for e in audit.events(con, limit=2)] == [4, 3]
    assert audit.events(con, event="nothing") == []
    assert [e.event for e in audit.events(con, limit=2)] == ["probe.loose", "probe.answer"]
    assert audit.count_events(con, event=Probe, assessment_ids=[7, 8]) == {7: 4}


def test_the_store_writes_any_typed_event_and_refuses_a_bare_name(con):
    """The store knows no list of events: any Event subclass is written as its name and its payload."""
    at = dt.datetime(2024, 7, 1, 8, 0)
    with pytest.raises(TypeError):
        audit.append(con, actor="budi", event="answer.set", at=at)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        audit.append(con, actor="budi", event=Event(), at=at)  # a kind without a name
    assert audit.events(con) == []
    audit.append(con, actor="budi", event=LooseProbe(n=1, teks="x", extra=None), at=at)
    audit.append(con, actor="budi", event=LooseProbe(n=2, teks="y"), at=at)
    # an optional field is stored only when given (even as None), so one kind keeps its older shapes
    assert [e.payload for e in audit.events(con)] == [{"n": 2, "teks": "y"}, {"n": 1, "teks": "x", "extra": None}]

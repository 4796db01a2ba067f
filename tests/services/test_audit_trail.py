"""services.admin.audit_trail: filters per assessment, user, event and date; old → new as plain text; CSV export."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest

from services.access import AccessDenied
from services.admin import audit_trail
from services.admin.audit_trail import AuditFilter
from services.answering.assessing import record_answer, record_note
from store import audit
from store.db import transaction


@pytest.fixture
def trail(world):
    w = world
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=3)
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=0)
    record_note(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", note='=HYPERLINK("http://x")')
    with transaction(w.con):
        audit.append(w.con, actor="lama", event="login.success", at=dt.datetime(2020, 1, 5, 10, 0), payload={})
    return w


def test_filters_per_assessment_user_event_and_dates(trail):
    w = trail
    every = audit_trail.browse(w.con, w.admin, AuditFilter())
    assert [line.id for line in every] == sorted((line.id for line in every), reverse=True)
    mine = audit_trail.browse(w.con, w.admin, AuditFilter(assessment_id=w.assessment))
    assert {line.event for line in mine} == {"assessment.created", "answer.set", "note.set"}
    assert all(line.assessment == f"Penilaian {dt.date.today().year} · Unit Satu" for line in mine)
    answers = audit_trail.browse(w.con, w.admin, AuditFilter(actor="kepala1", event="answer.set"))
    assert [(a.old, a.new) for a in answers] == [("3", "0"), ("—", "3")]
    assert answers[0].event_label == "Jawaban diisi/diubah" and "indikator: IN-02" in answers[0].details
    old = audit_trail.browse(w.con, w.admin, AuditFilter(date_from=dt.date(2020, 1, 5), date_to=dt.date(2020, 1, 5)))
    assert [line.actor for line in old] == ["lama"]
    assert audit_trail.browse(w.con, w.admin, AuditFilter(date_to=dt.date(2020, 1, 4))) == []
    options = audit_trail.choices(w.con, w.admin)
    assert "answer.set" in options.events and "kepala1" in options.actors
    assert [a.id for a in options.assessments] == [w.assessment]


def test_csv_export_is_excel_friendly_and_neutralises_formulas(trail):
    w = trail
    data = audit_trail.to_csv(audit_trail.browse(w.con, w.admin, AuditFilter(assessment_id=w.assessment)))
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == audit_trail.CSV_HEADER
    note = next(r for r in rows[1:] if r[3] == "note.set")
    assert note[7] == '\'=HYPERLINK("http://x")' and note[2] == "kepala1"


def test_only_admins_read_the_trail(trail):
    w = trail
    for actor in (w.head, w.viewer, w.other_head):
        with pytest.raises(AccessDenied):
            audit_trail.browse(w.con, actor, AuditFilter(assessment_id=w.assessment))
        with pytest.raises(AccessDenied):
            audit_trail.choices(w.con, actor)


def test_every_event_the_services_record_has_a_label_and_statuses_read_as_words():
    """No raw keys in the trail (issue 9): each event name written anywhere in services/ has a label."""
    import re
    from pathlib import Path

    from services.admin.audit_trail import EVENT_LABELS, describe
    from store.models import AuditEvent

    root = Path(__file__).resolve().parents[2] / "services"
    written = {m for f in root.rglob("*.py") for m in re.findall(r'event="([a-z_]+\.[a-z_.]+)"', f.read_text())}
    assert written, "no audit events found in services/"
    assert sorted(written - set(EVENT_LABELS)) == []
    line = describe(AuditEvent(id=1, at=dt.datetime(2026, 5, 1), actor="kadinsos", event="assessment.submitted",
                               assessment_id=1, payload={"old": "reopened", "new": "submitted"}))  # fmt: skip
    assert (line.event_label, line.old, line.new) == ("Penilaian dikirim", "Dibuka kembali", "Sudah dikirim")

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
from services.audit_events import LoginSucceeded
from store import audit
from store.db import transaction


@pytest.fixture
def trail(world):
    w = world
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=3)
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=0)
    record_note(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", note='=HYPERLINK("http://x")')
    with transaction(w.con):
        audit.append(w.con, actor="lama", event=LoginSucceeded(), at=dt.datetime(2020, 1, 5, 10, 0))
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
    assert answers[0].event == "answer.set" and "indikator: IN-02" in answers[0].details
    old = audit_trail.browse(w.con, w.admin, AuditFilter(date_from=dt.date(2020, 1, 5), date_to=dt.date(2020, 1, 5)))
    assert [line.actor for line in old] == ["lama"]
    assert audit_trail.browse(w.con, w.admin, AuditFilter(date_to=dt.date(2020, 1, 4))) == []
    options = audit_trail.choices(w.con, w.admin)
    assert "answer.set" in options.events and "kepala1" in options.actors
    assert [a.id for a in options.assessments] == [w.assessment]


def test_csv_export_is_excel_friendly_and_neutralises_formulas(trail):
    w = trail
    labels = {"note.set": "Catatan diubah"}
    lines = audit_trail.browse(w.con, w.admin, AuditFilter(assessment_id=w.assessment))
    data = audit_trail.to_csv(lines, event_label=lambda name: labels.get(name, "?"))
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == audit_trail.CSV_HEADER
    note = next(r for r in rows[1:] if r[3] == "note.set")
    assert note[7] == '\'=HYPERLINK("http://x")' and note[2] == "kepala1"
    assert note[4] == "Catatan diubah"  # the label the caller gives (the page passes its catalog lookup)


def test_only_admins_read_the_trail(trail):
    w = trail
    for actor in (w.head, w.viewer, w.other_head):
        with pytest.raises(AccessDenied):
            audit_trail.browse(w.con, actor, AuditFilter(assessment_id=w.assessment))
        with pytest.raises(AccessDenied):
            audit_trail.choices(w.con, actor)


def test_statuses_read_as_words():
    from services.admin.audit_trail import describe
    from store.models import AuditEvent

    line = describe(AuditEvent(id=1, at=dt.datetime(2026, 5, 1), actor="kadinsos", event="assessment.submitted",
                               assessment_id=1, payload={"old": "reopened", "new": "submitted"}))  # fmt: skip
    assert (line.event, line.old, line.new) == ("assessment.submitted", "Dibuka kembali", "Sudah dikirim")

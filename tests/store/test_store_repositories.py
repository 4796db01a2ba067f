"""Repositories: what goes in comes back as typed rows; optimistic revisions refuse stale writes."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assessment import load_criteria
from store import assessments, criteria_sets, evidence_records, periods, settings, units
from store.db import transaction
from store.errors import ConflictError, StorageError

MINI = Path(__file__).resolve().parent.parent / "fixtures" / "mini-criteria.yaml"
AT = dt.datetime(2024, 7, 1, 9, 30)


def test_units_and_products_round_trip(con):
    region = units.add_unit(con, kind="pemda", code="KAB-X", name="Kabupaten X", is_demo=True)
    opd = units.add_unit(con, kind="opd", code="DINSOS", name="Dinas Sosial", parent_id=region)
    unit = units.add_unit(con, kind="unit", code="SLRT", name="Layanan SLRT", parent_id=opd, unit_type="dinas_sosial")
    units.add_product(con, unit_id=unit, code="SKTM", name="Surat Keterangan Tidak Mampu")
    units.add_product(con, unit_id=unit, code="PBI", name="Rekomendasi PBI-JK")
    got = units.get_unit(con, unit_id=unit)
    assert (got.kind, got.code, got.name, got.parent_id, got.unit_type, got.is_demo) == (
        "unit", "SLRT", "Layanan SLRT", opd, "dinas_sosial", False,
    )  # fmt: skip
    assert units.unit_by_code(con, code="KAB-X").is_demo is True
    assert [u.code for u in units.children(con, parent_id=region)] == ["DINSOS"]
    assert [p.code for p in units.products(con, unit_id=unit)] == ["PBI", "SKTM"]
    assert [u.code for u in units.list_units(con, kind="unit")] == ["SLRT"]
    assert units.get_unit(con, unit_id=9999) is None


def test_duplicate_unit_code_is_a_storage_error_inside_a_transaction(con):
    units.add_unit(con, kind="unit", code="U1", name="Satu")
    with pytest.raises(StorageError, match="bertentangan"), transaction(con):
        units.add_unit(con, kind="unit", code="U2", name="Dua")
        units.add_unit(con, kind="unit", code="U1", name="Satu lagi")
    assert [u.code for u in units.list_units(con)] == ["U1"]  # U2 rolled back too


def test_criteria_sets_and_periods_round_trip(con):
    criteria = load_criteria(MINI)
    text = MINI.read_text(encoding="utf-8")
    sha = criteria_sets.save(con, criteria=criteria, yaml_text=text)
    assert criteria_sets.save(con, criteria=criteria, yaml_text=text) == sha  # idempotent
    stored = criteria_sets.get(con, sha256=sha)
    assert (stored.id, stored.version, stored.yaml) == ("mini", "1", text)
    assert [c.sha256 for c in criteria_sets.list_all(con)] == [sha]
    pid = periods.add_period(
        con, name="Penilaian 2024", year=2024, criteria_sha256=sha, opens=dt.date(2024, 1, 2),
        closes=dt.date(2024, 12, 31), visit_from=dt.date(2024, 7, 1), visit_to=dt.date(2024, 10, 31),
    )  # fmt: skip
    p = periods.get_period(con, period_id=pid)
    assert (p.name, p.year, p.criteria_sha256, p.closes, p.visit_from, p.status) == (
        "Penilaian 2024", 2024, sha, dt.date(2024, 12, 31), dt.date(2024, 7, 1), "open",
    )  # fmt: skip
    periods.set_status(con, period_id=pid, status="closed")
    assert periods.period_by_name(con, name="Penilaian 2024").status == "closed"
    assert [x.id for x in periods.list_periods(con)] == [pid]


def test_assessment_answers_and_notes_round_trip(con, setup):
    aid = setup["assessment"]
    again = assessments.get_or_create(con, period_id=setup["period"], unit_id=setup["unit"])
    assert again.id == aid and again.status == "draft" and again.editable
    assert (
        assessments.put_answer(
            con, assessment_id=aid, indicator_id="IN-01", subject="respondent:1", value=3, actor="budi", at=AT
        )
        is None
    )
    previous = assessments.put_answer(
        con, assessment_id=aid, indicator_id="IN-01", subject="respondent:1", value=2, actor="siti", at=AT
    )
    assert previous.value == 3 and previous.revision == 1
    assessments.put_answer(
        con, assessment_id=aid, indicator_id="OU-01", subject="tally:2", value=2, count=20, actor="budi", at=AT
    )
    assessments.put_answer(con, assessment_id=aid, indicator_id="IN-02", subject="unit", value=None, actor="b", at=AT)
    rows = assessments.answers(con, assessment_id=aid)
    assert [(r.indicator_id, r.subject, r.value, r.count, r.revision) for r in rows] == [
        ("IN-01", "respondent:1", 2.0, 1, 2),
        ("IN-02", "unit", None, 1, 1),
        ("OU-01", "tally:2", 2.0, 20, 1),
    ]
    assert rows[0].updated_by == "siti" and rows[0].updated_at == AT
    removed = assessments.delete_answers(con, assessment_id=aid, indicator_id="OU-01", subject_prefix="tally:")
    assert [r.subject for r in removed] == ["tally:2"]
    assert assessments.answers_for(con, assessment_id=aid, indicator_id="OU-01") == []

    assert (
        assessments.put_note(con, assessment_id=aid, indicator_id="IN-02", note="ramp rusak", actor="b", at=AT) is None
    )
    assessments.put_note(con, assessment_id=aid, indicator_id="IN-02", note="ramp diperbaiki", actor="b", at=AT)
    (note,) = assessments.notes(con, assessment_id=aid)
    assert (note.note, note.revision) == ("ramp diperbaiki", 2)

    assessments.set_status(
        con, assessment_id=aid, status="submitted", snapshot_sha256="f" * 64, submitted_by="b", at=AT
    )
    row = assessments.get(con, assessment_id=aid)
    assert (row.status, row.snapshot_sha256, row.submitted_by, row.submitted_at, row.editable) == (
        "submitted", "f" * 64, "b", AT, False,
    )  # fmt: skip
    assert [a.id for a in assessments.list_for_period(con, period_id=setup["period"])] == [aid]


def test_stale_expected_revision_raises_conflict_and_changes_nothing(con, setup):
    aid = setup["assessment"]
    assessments.put_answer(con, assessment_id=aid, indicator_id="IN-02", subject="unit", value=0, actor="a", at=AT)
    assessments.put_answer(
        con, assessment_id=aid, indicator_id="IN-02", subject="unit", value=3, actor="b", at=AT, expected_revision=1
    )  # tab B saw revision 1 and saved: now revision 2
    before = assessments.answers(con, assessment_id=aid)
    with pytest.raises(ConflictError, match="diubah di tab"), transaction(con):
        assessments.put_answer(  # tab A still thinks revision 1
            con, assessment_id=aid, indicator_id="IN-02", subject="unit", value=0, actor="a", at=AT,
            expected_revision=1,
        )  # fmt: skip
    assert assessments.answers(con, assessment_id=aid) == before
    # a brand-new answer expects revision 0
    with pytest.raises(ConflictError):
        assessments.put_answer(
            con, assessment_id=aid, indicator_id="PR-01", subject="product:A", value=1, actor="a", at=AT,
            expected_revision=3,
        )  # fmt: skip
    assert assessments.answers_for(con, assessment_id=aid, indicator_id="PR-01") == []
    # a stale note is refused too
    assessments.put_note(con, assessment_id=aid, indicator_id="IN-02", note="satu", actor="a", at=AT)
    with pytest.raises(ConflictError):
        assessments.put_note(
            con, assessment_id=aid, indicator_id="IN-02", note="dua", actor="a", at=AT, expected_revision=0
        )
    assert assessments.notes(con, assessment_id=aid)[0].note == "satu"


def test_evidence_records_round_trip(con, setup):
    aid = setup["assessment"]
    eid = evidence_records.add(
        con, assessment_id=aid, indicator_id="IN-02", sha256="a" * 64, file_name="ramp.png", media_type="image/png",
        size=123, effective_date=dt.date(2024, 6, 1), description="foto ramp", actor="budi", at=AT,
    )  # fmt: skip
    rec = evidence_records.get(con, evidence_id=eid)
    assert (rec.file_name, rec.media_type, rec.size, rec.effective_date, rec.removed_at) == (
        "ramp.png", "image/png", 123, dt.date(2024, 6, 1), None,
    )  # fmt: skip
    evidence_records.update_details(con, evidence_id=eid, description="foto ramp depan", effective_date=None)
    evidence_records.mark_removed(con, evidence_id=eid, actor="siti", at=AT)
    assert evidence_records.for_assessment(con, assessment_id=aid) == []
    (kept,) = evidence_records.for_assessment(con, assessment_id=aid, include_removed=True)
    assert (kept.description, kept.effective_date, kept.removed_at, kept.removed_by) == (
        "foto ramp depan", None, AT, "siti",
    )  # fmt: skip
    assert evidence_records.referenced_hashes(con) == {"a" * 64}


def test_settings_round_trip(con):
    assert settings.get(con, key="demo_seeded") is None
    settings.put(con, key="demo_seeded", value="1")
    settings.put(con, key="demo_seeded", value="2")
    assert settings.get(con, key="demo_seeded") == "2"

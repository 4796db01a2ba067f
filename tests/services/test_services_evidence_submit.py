"""attach_evidence / remove_evidence, submission with its snapshot, and demo seeding."""

from __future__ import annotations

import datetime as dt

import pytest

from assessment.errors import KepatuhanError
from evidence import MAX_BYTES, EvidenceRejected
from services.access import SYSTEM, AccessDenied
from services.answering.assessing import load_view, record_answer, record_note
from services.answering.evidence_files import attach_evidence, evidence_bytes, remove_evidence
from services.answering.results import score_view, snapshot_document, snapshot_sha256, submit
from services.common import NotAllowedNow
from services.ops.demo import sample_png
from store import assessments, audit, evidence_records, periods


def png(width: int = 4, height: int = 3) -> bytes:
    return sample_png(width, height, rgb=(16, 128, 48))


def attach(w, data: bytes, name: str, **kw):
    return attach_evidence(
        w.con,
        w.blobs,
        kw.pop("actor", w.head),
        assessment_id=w.assessment,
        indicator_id=kw.pop("indicator", "IN-02"),
        data=data,
        file_name=name,
        **kw,
    )


def test_good_png_is_stored_blob_first_then_row_and_audited(world):
    w = world
    data = png()
    record = attach(w, data, "ramp depan.png", description="  Foto ramp  ", effective_date=dt.date.today())
    assert (record.file_name, record.media_type, record.size, record.description) == (
        "ramp depan.png", "image/png", len(data), "Foto ramp",
    )  # fmt: skip
    assert w.blobs.get(record.sha256) == data
    event = audit.events(w.con, assessment_id=w.assessment, limit=1)[0]
    assert event.event == "evidence.added" and event.payload["sha256"] == record.sha256
    got, content = evidence_bytes(w.con, w.blobs, w.head, evidence_id=record.id)
    assert got == record and content == data
    with pytest.raises(AccessDenied):
        evidence_bytes(w.con, w.blobs, w.other_head, evidence_id=record.id)


def test_traversal_name_is_reduced_to_a_safe_name(world):
    w = world
    record = attach(w, png(), "../../../etc/cron.d/ramp.png")
    assert record.file_name == "ramp.png"
    assert "/" not in record.file_name and "\\" not in record.file_name
    record = attach(w, png(5, 5), "..\\..\\windows\\foto.png")
    assert record.file_name == "foto.png"
    assert all(p.is_relative_to(w.blobs.root) for p in map(w.blobs.path, w.blobs.iter_hashes()))


@pytest.mark.parametrize(
    ("data", "name", "reason", "text"),
    [
        (b"", "kosong.pdf", "empty", r"kosong \(0 byte\)"),
        (
            b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff"
            + b"\x00" * 200
            + b"This program cannot be run in DOS mode",
            "laporan.pdf",
            "type",
            "bukan jenis yang diizinkan",
        ),
        (None, "besar.png", "too_large", "terlalu besar"),
    ],
    ids=["empty", "exe-renamed-pdf", "too-large"],
)
def test_refused_uploads_leave_no_row_no_blob_no_event(world, data, name, reason, text):
    w = world
    if data is None:
        data = png() + b"\x00" * (MAX_BYTES + 1)
    before = w.snapshot()
    with pytest.raises(EvidenceRejected, match=text) as caught:
        attach(w, data, name)
    assert caught.value.reason == reason
    assert w.snapshot() == before


def test_future_date_unknown_indicator_and_wrong_unit_are_refused(world):
    w = world
    before = w.snapshot()
    with pytest.raises(KepatuhanError, match="masa depan"):
        attach(w, png(), "a.png", effective_date=dt.date.today() + dt.timedelta(days=1))
    with pytest.raises(KepatuhanError, match="tidak ada"):
        attach(w, png(), "a.png", indicator="XX-1")
    with pytest.raises(AccessDenied):
        attach(w, png(), "a.png", actor=w.other_head)
    assert w.snapshot() == before


def test_remove_keeps_the_row_with_removed_at_and_an_event(world):
    w = world
    record = attach(w, png(), "ramp.png")
    remove_evidence(w.con, w.head, evidence_id=record.id)
    assert evidence_records.for_assessment(w.con, assessment_id=w.assessment) == []
    (kept,) = evidence_records.for_assessment(w.con, assessment_id=w.assessment, include_removed=True)
    assert kept.id == record.id and kept.removed_at is not None and kept.removed_by == "kepala1"
    assert w.blobs.exists(record.sha256)  # bytes stay for the audit trail
    event = audit.events(w.con, assessment_id=w.assessment, limit=1)[0]
    assert (event.event, event.payload["evidence_id"]) == ("evidence.removed", record.id)


def test_submit_freezes_and_the_snapshot_hash_is_stable(world):
    w = world
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=3)
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="PR-01", subject="product:A", value=2)
    # both products answered: a frozen assessment scores only answered products (scoring_products)
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="PR-01", subject="product:B", value=1)
    record_note(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", note="ramp baru")
    attach(w, png(), "ramp.png")
    view = load_view(w.con, w.head, assessment_id=w.assessment)
    expected = snapshot_sha256(view)
    assert snapshot_sha256(load_view(w.con, w.admin, assessment_id=w.assessment)) == expected  # same content
    sha = submit(w.con, w.head, assessment_id=w.assessment)
    assert sha == expected
    row = assessments.get(w.con, assessment_id=w.assessment)
    assert (row.status, row.snapshot_sha256, row.submitted_by) == ("submitted", sha, "kepala1")
    after = load_view(w.con, w.head, assessment_id=w.assessment)
    assert snapshot_sha256(after) == sha and not after.can_edit and "dibekukan" in after.read_only_reason
    event = audit.events(w.con, assessment_id=w.assessment, limit=1)[0]
    assert event.event == "assessment.submitted" and event.payload["snapshot_sha256"] == sha
    assert event.payload["total"] == score_view(after).total

    before = w.snapshot()
    with pytest.raises(NotAllowedNow, match="dibekukan"):
        record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=0)
    with pytest.raises(NotAllowedNow, match="dibekukan"):
        attach(w, png(7, 7), "lagi.png")
    with pytest.raises(NotAllowedNow):
        submit(w.con, w.head, assessment_id=w.assessment)
    assert w.snapshot() == before


def test_snapshot_changes_with_content_and_ignores_row_order(world):
    w = world
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=3)
    one = snapshot_sha256(load_view(w.con, w.head, assessment_id=w.assessment))
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=0)
    two = snapshot_sha256(load_view(w.con, w.head, assessment_id=w.assessment))
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=3)
    three = load_view(w.con, w.head, assessment_id=w.assessment)
    assert one != two and snapshot_sha256(three) == one  # revisions and times are not content
    assert snapshot_document(three)["answers"] == [["IN-02", "unit", 3.0, 1]]


def test_submit_of_an_empty_assessment_is_refused(world):
    w = world
    before = w.snapshot()
    with pytest.raises(NotAllowedNow, match="Belum ada indikator"):
        submit(w.con, w.head, assessment_id=w.assessment)
    assert w.snapshot() == before


# ---- demo ---------------------------------------------------------------------------------------


def test_demo_units_land_in_every_zone_and_a_second_seed_is_a_no_op(_isolated_data_dir):
    from services.answering.evidence_files import blob_store
    from services.catalog import CRITERIA_DIR, DEFAULT_CRITERIA
    from services.ops.demo import DEMO_UNITS, is_seeded, seed_demo
    from store.db import connect

    if not (CRITERIA_DIR / DEFAULT_CRITERIA).exists():
        pytest.skip("criteria/ombudsman-2023.yaml belum ada")
    con = connect(_isolated_data_dir)
    blobs = blob_store(_isolated_data_dir)
    assert seed_demo(con, blobs, today=dt.date(2025, 3, 1)) is True
    assert is_seeded(con)
    counts = {
        t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
        for t in ("org_units", "answers", "evidence", "audit_events", "periods", "assessments")
    }
    current = periods.period_by_name(con, name="Penilaian 2025")
    zones: dict[str, list[str]] = {}
    for row in assessments.list_for_period(con, period_id=current.id):
        view = load_view(con, SYSTEM, assessment_id=row.id)
        report = score_view(view)
        zones.setdefault(report.band.zone, []).append(view.unit.code)
    assert {"hijau", "kuning", "merah"} <= set(zones), zones
    assert sum(len(v) for v in zones.values()) == len(DEMO_UNITS)
    assert seed_demo(con, blobs, today=dt.date(2025, 3, 1)) is False
    assert counts == {t: con.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in counts}
    con.close()

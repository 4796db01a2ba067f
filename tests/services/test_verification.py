"""Verification: the state machine, notes, the verified score, scope on every write, audit, berita acara."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from assessment import Answer
from assessment.errors import KepatuhanError
from services.access import AccessDenied, Actor
from services.answering.assessing import clear_answer, load_view, record_answer, record_tally
from services.answering.results import submit
from services.catalog import criteria_for
from services.common import NotAllowedNow
from services.exchange.berita_acara import berita_acara_pdf
from services.verification import decisions as vf
from services.verification.verified_score import apply_adjustments
from store import assessments, audit
from store.errors import ConflictError

SELF_TOTAL = 83.75  # IN-01 16.67 + IN-02 20 + PR-01 26.25 + OU-01 20.83 (mini criteria, see fill())


def fill(w) -> None:
    for n, value in enumerate([3, 3, 2, 2], 1):
        record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-01", subject=f"respondent:{n}",
                      value=value)  # fmt: skip
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=3)
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="PR-01", subject="product:A", value=2)
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="PR-01", subject="product:B", value=1)
    record_tally(w.con, w.head, assessment_id=w.assessment, indicator_id="OU-01", counts={2.0: 20, 1.0: 10})


@pytest.fixture
def v(world):
    """The world with answers filled, submitted by the unit head, and two verifiers (assigned / not assigned)."""
    w = world
    fill(w)
    submit(w.con, w.head, assessment_id=w.assessment)
    w.verifier = Actor(username="verif1", role="verifier", verifier_units=frozenset({w.unit}))
    w.stranger = Actor(username="verif2", role="verifier", verifier_units=frozenset({w.other_unit}))
    return w


def decide(w, indicator, decision, value=None, note="", actor=None, **kw):
    return vf.decide(w.con, actor or w.verifier, assessment_id=w.assessment, indicator_id=indicator,
                     decision=decision, verified_value=value, note=note, **kw)  # fmt: skip


def status(w) -> str:
    return assessments.get(w.con, assessment_id=w.assessment).status


def in_review(w):
    vf.start_review(w.con, w.verifier, assessment_id=w.assessment)
    return w


def test_queue_holds_submitted_assessments_of_the_verifiers_units(world):
    w = world
    verifier = Actor(username="verif1", role="verifier", verifier_units=frozenset({w.unit}))
    assert vf.queue(w.con, verifier, period_id=w.period) == []  # a draft is not in the queue
    fill(w)
    submit(w.con, w.head, assessment_id=w.assessment)
    [item] = vf.queue(w.con, verifier, period_id=w.period)
    assert not item.resubmitted  # a first submission
    assert (item.assessment_id, item.unit_code, item.status, item.submitted_by) == (w.assessment, "U1", "submitted",
                                                                                     "kepala1")  # fmt: skip
    assert [q.assessment_id for q in vf.queue(w.con, w.admin, period_id=w.period)] == [w.assessment]
    stranger = Actor(username="verif2", role="verifier", verifier_units=frozenset({w.other_unit}))
    assert vf.queue(w.con, stranger, period_id=w.period) == []
    for actor in (w.head, w.viewer):
        with pytest.raises(AccessDenied):
            vf.queue(w.con, actor, period_id=w.period)


def test_decisions_only_while_in_review(v):
    with pytest.raises(NotAllowedNow, match="Mulai|dimulai|sekarang"):
        decide(v, "IN-02", "accept")
    in_review(v)
    assert status(v) == "in_review"
    with pytest.raises(NotAllowedNow):
        vf.start_review(v.con, v.verifier, assessment_id=v.assessment)  # already started
    assert decide(v, "IN-02", "accept") == 1
    assert decide(v, "IN-02", "adjust", 0, "Ramp tidak ditemukan saat kunjungan") == 2


def test_a_differing_adjustment_needs_a_note_and_a_value_on_the_scale(v):
    in_review(v)
    with pytest.raises(KepatuhanError, match="Catatan wajib"):
        decide(v, "IN-02", "adjust", 0)
    with pytest.raises(KepatuhanError, match="Catatan wajib"):
        decide(v, "IN-02", "adjust", 0, "   ")
    assert decide(v, "IN-02", "adjust", 3) == 1  # the same as the unit's answer: no note needed
    with pytest.raises(KepatuhanError, match="skala"):
        decide(v, "IN-02", "adjust", 2, "nilai 2 tidak ada")
    with pytest.raises(KepatuhanError, match="skala"):
        decide(v, "IN-02", "adjust", None, "tanpa nilai")
    with pytest.raises(KepatuhanError, match="N/A"):
        decide(v, "PR-01", "adjust", None, "tidak berlaku", verified_na=True)
    with pytest.raises(KepatuhanError, match="diperbaiki unit"):
        decide(v, "PR-01", "change_requested")
    with pytest.raises(KepatuhanError, match="tidak dikenal"):
        decide(v, "PR-01", "maybe", note="x")
    with pytest.raises(KepatuhanError, match="tidak ada di kriteria"):
        decide(v, "XX-99", "accept")
    # product: the same value on one product but not the other differs
    with pytest.raises(KepatuhanError, match="Catatan wajib"):
        decide(v, "PR-01", "adjust", 2)


def test_a_stale_decision_form_is_refused(v):
    in_review(v)
    decide(v, "IN-02", "accept")
    with pytest.raises(ConflictError):
        decide(v, "IN-02", "adjust", 0, "x", expected_revision=0)
    assert decide(v, "IN-02", "adjust", 0, "Tidak ada ramp", expected_revision=1) == 2


def test_request_changes_needs_a_change_request(v):
    in_review(v)
    decide(v, "IN-02", "accept")
    with pytest.raises(NotAllowedNow, match="Minta perbaikan"):
        vf.request_changes(v.con, v.verifier, assessment_id=v.assessment)
    assert status(v) == "in_review"


def test_full_cycle_changes_requested_resubmitted_and_verified(v):
    w = in_review(v)
    assert vf.accept_remaining(w.con, w.verifier, assessment_id=w.assessment, dimension_id="input") == 2
    decide(w, "IN-02", "adjust", 0, "Ramp tidak ada saat kunjungan")
    decide(w, "OU-01", "adjust", 1, "Survei ulang: separuh responden pernah dimintai imbalan")
    decide(w, "PR-01", "change_requested", note="Produk B: unggah foto papan persyaratan")
    with pytest.raises(NotAllowedNow, match="belum diterima"):
        vf.complete(w.con, w.verifier, assessment_id=w.assessment)
    assert vf.request_changes(w.con, w.verifier, assessment_id=w.assessment) == ["PR-01"]
    assert status(w) == "reopened"

    # the unit sees the comment beside the indicator and may edit again
    view = load_view(w.con, w.head, assessment_id=w.assessment)
    assert view.can_edit and view.change_requests == {"PR-01": "Produk B: unggah foto papan persyaratan"}
    with pytest.raises(NotAllowedNow):
        decide(w, "PR-01", "accept")  # not while the unit has it
    [returned] = vf.queue(w.con, w.verifier, period_id=w.period, include_done=True)
    assert not returned.resubmitted  # with the unit, not the verifier's to re-check yet
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="PR-01", subject="product:B", value=2)
    submit(w.con, w.head, assessment_id=w.assessment)
    [again] = vf.queue(w.con, w.verifier, period_id=w.period)
    assert (again.status, again.resubmitted) == ("submitted", True)  # flagged "perlu dicek ulang" in the queue
    assert load_view(w.con, w.head, assessment_id=w.assessment).change_requests == {}

    # the second review keeps earlier decisions and flags the requested one for a second look
    vf.start_review(w.con, w.verifier, assessment_id=w.assessment)
    rv = vf.review(w.con, w.verifier, assessment_id=w.assessment)
    assert rv.states == {"IN-01": "accepted", "IN-02": "adjusted", "PR-01": "recheck", "OU-01": "adjusted"}
    assert rv.changed == {"PR-01"} and rv.can_decide and not rv.complete_ready
    with pytest.raises(NotAllowedNow, match="PR-01"):
        vf.complete(w.con, w.verifier, assessment_id=w.assessment)
    decide(w, "PR-01", "accept")
    report = vf.complete(w.con, w.verifier, assessment_id=w.assessment)
    row = assessments.get(w.con, assessment_id=w.assessment)
    assert row.status == "verified" and row.verified_by == "verif1" and row.verified_at is not None
    # self 83.75 with PR-01 now 2/2 (+8.75) = 92.5; verified: IN-02 → 0 (-20), OU-01 → 1 (25/30·25 → 12.5)
    assert vf.review(w.con, w.head, assessment_id=w.assessment).self_report.total == 92.5
    assert report.total == pytest.approx(92.5 - 20 - (25 * 25 / 30 - 12.5), abs=0.01)
    assert [d.indicator_id for d in vf.verified_report(w.con, w.viewer, assessment_id=w.assessment).differences] == [
        "IN-02", "OU-01",
    ]  # fmt: skip
    with pytest.raises(NotAllowedNow):
        decide(w, "IN-01", "accept")
    with pytest.raises(NotAllowedNow):
        record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=0)
    assert vf.verified_totals(w.con, period_id=w.period) == {w.unit: report.total}


def test_an_answer_changed_after_its_decision_is_flagged_for_a_second_look(v):
    w = in_review(v)
    vf.accept_remaining(w.con, w.verifier, assessment_id=w.assessment)
    decide(w, "PR-01", "change_requested", note="Perbaiki produk B")
    vf.request_changes(w.con, w.verifier, assessment_id=w.assessment)
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=0)  # accepted before
    submit(w.con, w.head, assessment_id=w.assessment)
    vf.start_review(w.con, w.verifier, assessment_id=w.assessment)
    rv = vf.review(w.con, w.verifier, assessment_id=w.assessment)
    assert rv.states["IN-02"] == "recheck" and rv.states["PR-01"] == "recheck"  # PR-01 unchanged but resubmitted
    assert rv.changed == {"IN-02"} and rv.states["IN-01"] == "accepted"


def test_an_answer_cleared_after_its_decision_is_flagged_too(v):
    """Clearing is a change to the unit's own answer (answer.cleared in the trail), as setting one is."""
    w = in_review(v)
    vf.accept_remaining(w.con, w.verifier, assessment_id=w.assessment)
    decide(w, "PR-01", "change_requested", note="Perbaiki produk B")
    vf.request_changes(w.con, w.verifier, assessment_id=w.assessment)
    clear_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-01")  # accepted before
    rv = vf.review(w.con, w.verifier, assessment_id=w.assessment)
    assert rv.changed == {"IN-01"} and rv.states["IN-01"] == "recheck" and rv.states["IN-02"] == "accepted"


@pytest.mark.parametrize(
    ("indicator", "value", "expected"),
    [
        ("IN-02", 0, SELF_TOTAL - 20),  # unit: the value itself
        ("PR-01", 1, SELF_TOTAL - 26.25 + 17.5),  # product: 1 on both products
        ("OU-01", 1, SELF_TOTAL - 25 * 25 / 30 + 12.5),  # respondent: all 30 respondents at 1
        ("IN-01", 1, SELF_TOTAL - 20 * 10 / 12 + 20 / 3),  # respondent (individual answers): 4 respondents at 1
        ("IN-02", None, SELF_TOTAL - 20 - 20 * 10 / 12 + 40 * 10 / 12),  # N/A: IN-01 carries the dimension
    ],
)
def test_verified_score_replaces_the_adjusted_indicator_on_every_subject(v, indicator, value, expected):
    w = in_review(v)
    decide(w, indicator, "adjust", value, "hasil verifikasi lapangan", verified_na=value is None)
    rv = vf.review(w.con, w.verifier, assessment_id=w.assessment)
    assert rv.self_report.total == SELF_TOTAL
    assert rv.report.total == pytest.approx(round(expected, 2), abs=0.006)
    [diff] = rv.differences
    assert diff.indicator_id == indicator and diff.note == "hasil verifikasi lapangan"
    assert diff.self_points == pytest.approx(rv.self_report.indicator(indicator).earned)
    assert diff.verified_points == pytest.approx(rv.report.indicator(indicator).earned)


def test_a_respondent_adjustment_keeps_the_respondent_count(world):
    criteria = criteria_for(world.con, world.sha)
    answers = [Answer(indicator="OU-01", subject="tally:2", value=2, count=20),
               Answer(indicator="OU-01", subject="tally:1", value=1, count=10)]  # fmt: skip
    [only] = apply_adjustments(criteria, answers, {"OU-01": 0.0})
    assert (only.subject, only.value, only.count) == ("tally:0", 0.0, 30)
    products = apply_adjustments(criteria, [], {"PR-01": 2.0}, products=["A", "B"])
    assert sorted(a.subject for a in products) == ["product:A", "product:B"]


def _table_rows(w) -> dict[str, list]:
    out = w.snapshot()
    out["verifications"] = w.con.execute("SELECT * FROM verifications ORDER BY indicator_id").fetchall()
    return out


def test_every_write_is_refused_outside_the_verifiers_scope(v):
    w = in_review(v)
    decide(w, "PR-01", "change_requested", note="Perbaiki")
    before = _table_rows(w)
    writes = {
        "start_review": lambda a: vf.start_review(w.con, a, assessment_id=w.assessment),
        "decide": lambda a: decide(w, "IN-02", "accept", actor=a),
        "accept_remaining": lambda a: vf.accept_remaining(w.con, a, assessment_id=w.assessment),
        "request_changes": lambda a: vf.request_changes(w.con, a, assessment_id=w.assessment),
        "complete": lambda a: vf.complete(w.con, a, assessment_id=w.assessment),
        "reopen": lambda a: vf.reopen(w.con, a, assessment_id=w.assessment, reason="alasan yang cukup"),
    }
    for actor in (w.stranger, w.head, w.other_head, w.viewer):
        for name, write in writes.items():
            with pytest.raises(AccessDenied):
                write(actor)
            assert _table_rows(w) == before, f"{actor.username} / {name} changed something"
    with pytest.raises(AccessDenied):
        vf.reopen(w.con, w.verifier, assessment_id=w.assessment, reason="verifikator tidak boleh")
    with pytest.raises(AccessDenied):
        vf.review(w.con, w.other_head, assessment_id=w.assessment)
    with pytest.raises(AccessDenied):
        berita_acara_pdf(w.con, w.stranger, assessment_id=w.assessment)


def test_admin_reopens_with_a_reason(v):
    w = in_review(v)
    vf.accept_remaining(w.con, w.verifier, assessment_id=w.assessment)
    vf.complete(w.con, w.verifier, assessment_id=w.assessment)
    with pytest.raises(KepatuhanError, match="alasan"):
        vf.reopen(w.con, w.admin, assessment_id=w.assessment, reason="  ")
    vf.reopen(w.con, w.admin, assessment_id=w.assessment, reason="Bukti PR-01 ternyata palsu")
    row = assessments.get(w.con, assessment_id=w.assessment)
    assert (row.status, row.verified_by, row.verified_at) == ("reopened", None, None)
    event = audit.events(w.con, assessment_id=w.assessment, event="assessment.reopened")[0]
    assert event.actor == "admin"
    assert event.payload == {"old": "verified", "new": "reopened", "reason": "Bukti PR-01 ternyata palsu",
                             "verified_by": "verif1"}  # fmt: skip
    with pytest.raises(NotAllowedNow):
        vf.reopen(w.con, w.admin, assessment_id=w.assessment, reason="sekali lagi")


def test_every_step_is_audited_with_old_and_new(v):
    w = in_review(v)
    decide(w, "IN-02", "accept")
    decide(w, "IN-02", "adjust", 0, "Ramp tidak ada")
    decide(w, "PR-01", "change_requested", note="Perbaiki produk B")
    vf.request_changes(w.con, w.verifier, assessment_id=w.assessment)
    submit(w.con, w.head, assessment_id=w.assessment)
    vf.start_review(w.con, w.verifier, assessment_id=w.assessment)
    vf.accept_remaining(w.con, w.verifier, assessment_id=w.assessment)
    decide(w, "PR-01", "accept")
    vf.complete(w.con, w.verifier, assessment_id=w.assessment)
    events = list(reversed(audit.events(w.con, assessment_id=w.assessment)))
    mine = [e for e in events if e.event.startswith("verification.")]
    assert [e.event for e in mine][:5] == ["verification.started"] + ["verification.decided"] * 3 + [
        "verification.changes_requested"
    ]
    assert all(e.actor == "verif1" for e in mine)
    started, accepted, adjusted, requested, returned = mine[:5]
    assert (started.payload["old"], started.payload["new"]) == ("submitted", "in_review")
    assert accepted.payload == {"indicator": "IN-02", "old": None,
                                "new": {"decision": "accept", "value": None, "note": ""}}  # fmt: skip
    assert adjusted.payload["old"] == {"decision": "accept", "value": None, "note": ""}
    assert adjusted.payload["new"] == {"decision": "adjust", "value": "0", "note": "Ramp tidak ada"}
    assert returned.payload == {"old": "in_review", "new": "reopened", "indicators": {"PR-01": "Perbaiki produk B"}}
    last = mine[-1]
    assert last.event == "verification.completed" and (last.payload["old"], last.payload["new"]) == (
        "in_review", "verified",
    )  # fmt: skip
    assert last.payload["self_total"] == SELF_TOTAL and last.payload["verified_total"] == SELF_TOTAL - 20
    rechecked = [e for e in mine if e.event == "verification.decided" and e.payload["indicator"] == "PR-01"][-1]
    assert rechecked.payload["old"]["decision"] == "change_requested" and rechecked.payload["new"]["decision"] == (
        "accept"
    )


def test_berita_acara_pdf_records_scores_adjustments_and_notes(v):
    w = in_review(v)
    vf.accept_remaining(w.con, w.verifier, assessment_id=w.assessment)
    decide(w, "IN-02", "adjust", 0, "Ramp tidak ditemukan di pintu depan")
    decide(w, "PR-01", "adjust", 1, "Persyaratan produk A hanya sebagian terpasang")
    with pytest.raises(NotAllowedNow, match="Terverifikasi"):
        berita_acara_pdf(w.con, w.verifier, assessment_id=w.assessment)
    vf.complete(w.con, w.verifier, assessment_id=w.assessment)
    sha = assessments.get(w.con, assessment_id=w.assessment).snapshot_sha256
    for actor in (w.verifier, w.head, w.admin, w.viewer):
        name, data = berita_acara_pdf(w.con, actor, assessment_id=w.assessment)
        assert name.endswith(".pdf") and data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)
    for expected in [
        "Berita Acara Verifikasi Penilaian Mandiri".upper(), "Unit Satu", "Penilaian", "83,75", "55,00",
        "IN-02", "PR-01", "Ramp tidak ditemukan di pintu depan", "Persyaratan produk A hanya sebagian terpasang",
        "Verifikator", "Kepala Unit Layanan", "verif1", "kepala1", "Diterima sesuai jawaban unit: 2", sha,
    ]:  # fmt: skip
        assert expected in text, expected
    with pytest.raises(AccessDenied):
        berita_acara_pdf(w.con, w.other_head, assessment_id=w.assessment)

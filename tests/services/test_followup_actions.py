"""Rencana tindak lanjut: from the path, a finding, the region's most-missed indicators or by hand; closed with
evidence; every change audited; refused input changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from assessment.errors import KepatuhanError
from services.access import AccessDenied, Actor
from services.answering.assessing import load_view, record_answer
from services.answering.evidence_files import attach_evidence
from services.answering.results import score_view
from services.followup import actions
from services.followup.common import FollowupError
from services.followup.proposals import suggestions
from services.ops.demo import sample_png
from store import audit
from store import followup_actions as store
from store.db import transaction
from store.errors import ConflictError

SOON = dt.date.today() + dt.timedelta(days=14)


def _answer_some(w) -> None:
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=0)
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="PR-01", subject="product:A", value=1)


def _total(w) -> float:
    return score_view(load_view(w.con, w.head, assessment_id=w.assessment)).total


def test_path_step_becomes_an_action_with_its_points_and_an_audit_event(world):
    _answer_some(world)
    proposals = suggestions(world.con, world.head, period_id=world.period, unit_id=world.unit)
    assert [s.indicators for s in proposals if s.on_path] == [("PR-01",)]  # 8.75 + 26.25 reaches band D (32)
    step = next(s for s in proposals if s.source == "path" and s.indicators == ("IN-02",))
    assert step.expected_points == 20.0 and not step.planned and not step.on_path
    action_id = actions.create_action(
        world.con, world.head, period_id=world.period, unit_id=world.unit, title=step.title,
        indicators=step.indicators, source="path", owner="Bu Sari (sekretariat)", due_date=SOON,
    )  # fmt: skip
    row = store.get(world.con, action_id=action_id)
    assert (row.status, row.expected_points, row.indicator_ids) == ("rencana", 20.0, ["IN-02"])
    assert row.owner == "Bu Sari (sekretariat)"
    event = audit.events(world.con, event="followup.action_created")[0]
    assert event.payload["action_id"] == action_id and event.payload["indicators"] == ["IN-02"]
    again = suggestions(world.con, world.head, period_id=world.period, unit_id=world.unit)
    assert next(s for s in again if s.indicators == ("IN-02",)).planned
    with pytest.raises(FollowupError, match="Sudah ada tindakan terbuka untuk IN-02"):
        actions.create_action(world.con, world.head, period_id=world.period, unit_id=world.unit, title="Lagi",
                              indicators=["IN-02"], source="path", owner="Pak Budi", due_date=SOON)  # fmt: skip


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"due_date": dt.date.today() - dt.timedelta(days=1)}, "sudah lewat"),
        ({"due_date": None}, "wajib diisi"),
        ({"owner": " "}, "Penanggung jawab wajib"),
        ({"title": "x" * 301}, "terlalu panjang"),
        ({"indicators": ["XX-99"]}, "tidak dikenal"),
        ({"source": "path", "indicators": []}, "harus menyebut indikatornya"),
    ],
)
def test_bad_action_input_is_refused_and_nothing_is_written(world, fields, message):
    before = world.snapshot()
    base = {"title": "Pasang ramp", "indicators": ["IN-02"], "source": "manual", "owner": "Pak Budi", "due_date": SOON}
    with pytest.raises(FollowupError, match=message):
        actions.create_action(world.con, world.head, period_id=world.period, unit_id=world.unit, **{**base, **fields})
    assert world.snapshot() == before
    assert store.for_period(world.con, period_id=world.period) == []


@pytest.mark.parametrize("who", ["other_head", "viewer"])
def test_only_the_unit_its_verifier_and_admin_plan_its_actions(world, who):
    with pytest.raises(AccessDenied):
        actions.create_action(world.con, getattr(world, who), period_id=world.period, unit_id=world.unit,
                              title="Pasang ramp", owner="Pak Budi", due_date=SOON)  # fmt: skip
    verifier = Actor(username="ver", role="verifier", verifier_units=frozenset({world.unit}))
    assert actions.create_action(world.con, verifier, period_id=world.period, unit_id=world.unit, title="Pasang ramp",
                                 owner="Pak Budi", due_date=SOON)  # fmt: skip
    with pytest.raises(AccessDenied):
        actions.unit_actions(world.con, world.other_head, period_id=world.period, unit_id=world.unit)


def _ramp_action(w) -> int:
    _answer_some(w)
    return actions.create_action(w.con, w.head, period_id=w.period, unit_id=w.unit, title="Pasang ramp",
                                 indicators=["IN-02"], source="path", owner="Pak Budi", due_date=SOON)  # fmt: skip


def test_closing_needs_evidence_of_the_actions_indicator_then_the_score_follows(world):
    action_id = _ramp_action(world)
    before = _total(world)
    with pytest.raises(FollowupError, match="hanya bisa ditutup dengan bukti"):
        actions.update_action(world.con, world.head, action_id=action_id, expected_revision=1, status="selesai")
    other = attach_evidence(world.con, world.blobs, world.head, assessment_id=world.assessment, indicator_id="PR-01",
                            data=sample_png(), file_name="alur.png")  # fmt: skip
    with pytest.raises(FollowupError, match="indikator tindakan ini"):
        actions.update_action(world.con, world.head, action_id=action_id, expected_revision=1, status="selesai",
                              evidence_id=other.id)  # fmt: skip
    assert store.get(world.con, action_id=action_id).status == "rencana"
    photo = attach_evidence(world.con, world.blobs, world.head, assessment_id=world.assessment, indicator_id="IN-02",
                            data=sample_png(rgb=(1, 2, 3)), file_name="ramp.png")  # fmt: skip
    raised = actions.update_action(world.con, world.head, action_id=action_id, expected_revision=1, status="selesai",
                                   evidence_id=photo.id, raise_answer=True)  # fmt: skip
    assert raised == ["IN-02"]
    row = store.get(world.con, action_id=action_id)
    assert (row.status, row.evidence_id, row.revision) == ("selesai", photo.id, 2)
    assert _total(world) == pytest.approx(before + 20.0)
    event = audit.events(world.con, event="followup.action_updated")[0]
    assert event.payload["old"] == {"status": "rencana"} and event.payload["new"]["status"] == "selesai"
    assert event.payload["file"] == "ramp.png"
    line = actions.unit_actions(world.con, world.head, period_id=world.period, unit_id=world.unit)[0]
    assert line.evidence_name == "ramp.png" and not line.overdue


def test_status_rules_cancel_and_reopen_need_a_reason_and_stale_edits_are_refused(world):
    action_id = _ramp_action(world)
    with pytest.raises(FollowupError, match="alasan pembatalan"):
        actions.update_action(world.con, world.head, action_id=action_id, expected_revision=1, status="dibatalkan")
    actions.update_action(world.con, world.head, action_id=action_id, expected_revision=1, status="dibatalkan",
                          note="Ramp dibangun oleh PUPR")  # fmt: skip
    with pytest.raises(FollowupError, match="tidak bisa langsung"):
        actions.update_action(world.con, world.head, action_id=action_id, expected_revision=2, status="selesai")
    with pytest.raises(ConflictError):
        actions.update_action(world.con, world.head, action_id=action_id, expected_revision=1, status="rencana",
                              note="salah batal")  # fmt: skip
    actions.update_action(world.con, world.head, action_id=action_id, expected_revision=2, status="rencana",
                          note="salah batal")  # fmt: skip
    assert store.get(world.con, action_id=action_id).status == "rencana"
    with pytest.raises(FollowupError, match="sudah lewat"):
        actions.update_action(world.con, world.head, action_id=action_id, expected_revision=3,
                              due_date=dt.date.today() - dt.timedelta(days=2))  # fmt: skip


def test_overdue_actions_come_first_in_the_unit_and_region_views(world):
    _answer_some(world)
    past = dt.date.today() - dt.timedelta(days=5)
    with transaction(world.con):
        late = store.add(world.con, period_id=world.period, unit_id=world.unit, title="Telat", indicators=[],
                         source="manual", owner="A", due_date=past, expected_points=0, actor="x",
                         at=dt.datetime.now())  # fmt: skip
    actions.create_action(world.con, world.head, period_id=world.period, unit_id=world.unit, title="Nanti",
                          owner="Bu Ani", due_date=SOON)
    actions.create_action(world.con, world.head, period_id=world.period, unit_id=world.unit, title="Hari ini",
                          owner="Bu Ani", due_date=dt.date.today())  # fmt: skip
    lines = actions.unit_actions(world.con, world.head, period_id=world.period, unit_id=world.unit)
    assert [line.action.id for line in lines][0] == late and lines[0].overdue and lines[0].days_left == -5
    assert [(line.action.title, line.overdue) for line in lines[1:]] == [("Hari ini", False), ("Nanti", False)]
    region = actions.region_actions(world.con, world.admin, period_id=world.period)
    assert [line.unit_code for line in region] == ["U1", "U1", "U1"] and region[0].overdue
    with pytest.raises(KepatuhanError):
        actions.region_actions(world.con, world.head, period_id=world.period)


def test_admin_turns_a_most_missed_indicator_into_one_action_per_unit_losing_on_it(world):
    _answer_some(world)
    other = world.con.execute(
        "SELECT id FROM assessments WHERE unit_id = ?", [world.other_unit]
    ).fetchone()
    from services.answering.assessing import open_assessment

    view = open_assessment(world.con, world.other_head, period_id=world.period, unit_id=world.other_unit)
    record_answer(world.con, world.other_head, assessment_id=view.assessment.id, indicator_id="IN-02", value=3)
    assert other is None  # the second unit only starts here
    created = actions.create_for_missed(world.con, world.admin, period_id=world.period, indicator_id="IN-02",
                                        owner="Kepala unit", due_date=SOON)  # fmt: skip
    rows = [store.get(world.con, action_id=i) for i in created]
    assert [(r.unit_id, r.source, r.expected_points) for r in rows] == [(world.unit, "missed", 20.0)]
    with pytest.raises(FollowupError, match="Tidak ada unit"):
        actions.create_for_missed(world.con, world.admin, period_id=world.period, indicator_id="IN-02",
                                  owner="Kepala unit", due_date=SOON)  # fmt: skip
    with pytest.raises(AccessDenied):
        actions.create_for_missed(world.con, world.head, period_id=world.period, indicator_id="PR-01",
                                  owner="Kepala unit", due_date=SOON)  # fmt: skip

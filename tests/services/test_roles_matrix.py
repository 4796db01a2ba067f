"""Role × action matrix at the services layer: every forbidden combination raises AccessDenied there,
whatever the menu shows, and leaves the database as it was. Allowed ones run through.

Roles: admin, a verifier assigned to the unit, a verifier assigned elsewhere, the unit's own head, another
unit's head, and a viewer. Every action targets the assessment / evidence of unit U1 by its id.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

import pytest

from services.access import AccessDenied, Actor
from services.admin import audit_trail
from services.admin import periods as period_admin
from services.admin import setup as admin
from services.answering.assessing import load_view, open_assessment, record_answer, record_note, record_tally
from services.answering.evidence_files import attach_evidence, evidence_bytes, remove_evidence, update_evidence
from services.answering.results import score_view, submit
from services.ops.demo import sample_png

ROLES = ("admin", "verifier_assigned", "verifier_other", "head_own", "head_other", "viewer")


def _png() -> bytes:
    return sample_png(4, 3, rgb=(16, 128, 48))


@dataclass
class Case:
    world: object
    evidence_id: int
    actors: dict[str, Actor]


@pytest.fixture
def case(world) -> Case:
    w = world
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=3)
    record = attach_evidence(
        w.con, w.blobs, w.head, assessment_id=w.assessment, indicator_id="IN-02", data=_png(), file_name="ramp.png"
    )
    actors = {
        "admin": w.admin,
        "verifier_assigned": Actor(username="verif1", role="verifier", verifier_units=frozenset({w.unit})),
        "verifier_other": Actor(username="verif2", role="verifier", verifier_units=frozenset({w.other_unit})),
        "head_own": w.head,
        "head_other": w.other_head,
        "viewer": w.viewer,
    }
    return Case(w, record.id, actors)


def _submitted(c: Case) -> None:
    submit(c.world.con, c.world.head, assessment_id=c.world.assessment)


# action -> (what it does, who may do it)
ACTIONS: dict[str, tuple[Callable[[Case, Actor], object], set[str]]] = {
    "open_assessment": (
        lambda c, a: open_assessment(c.world.con, a, period_id=c.world.period, unit_id=c.world.unit),
        {"admin", "verifier_assigned", "head_own", "viewer"},
    ),
    "load_view_by_id": (
        lambda c, a: load_view(c.world.con, a, assessment_id=c.world.assessment),
        {"admin", "verifier_assigned", "head_own", "viewer"},
    ),
    "score_view": (
        lambda c, a: score_view(load_view(c.world.con, a, assessment_id=c.world.assessment)),
        {"admin", "verifier_assigned", "head_own", "viewer"},
    ),
    "record_answer": (
        lambda c, a: record_answer(c.world.con, a, assessment_id=c.world.assessment, indicator_id="IN-02", value=0),
        {"admin", "head_own"},
    ),
    "record_tally": (
        lambda c, a: record_tally(
            c.world.con, a, assessment_id=c.world.assessment, indicator_id="IN-01", counts={2: 4}
        ),
        {"admin", "head_own"},
    ),
    "record_note": (
        lambda c, a: record_note(c.world.con, a, assessment_id=c.world.assessment, indicator_id="IN-02", note="x"),
        {"admin", "head_own"},
    ),
    "attach_evidence": (
        lambda c, a: attach_evidence(
            c.world.con,
            c.world.blobs,
            a,
            assessment_id=c.world.assessment,
            indicator_id="IN-02",
            data=_png(),
            file_name="lagi.png",
        ),  # fmt: skip
        {"admin", "head_own"},
    ),
    "download_evidence": (
        lambda c, a: evidence_bytes(c.world.con, c.world.blobs, a, evidence_id=c.evidence_id),
        {"admin", "verifier_assigned", "head_own", "viewer"},
    ),
    "describe_evidence": (
        lambda c, a: update_evidence(
            c.world.con, a, evidence_id=c.evidence_id, description="baru", effective_date=None
        ),
        {"admin", "head_own"},
    ),
    "remove_evidence": (
        lambda c, a: remove_evidence(c.world.con, a, evidence_id=c.evidence_id),
        {"admin", "head_own"},
    ),
    "submit": (
        lambda c, a: submit(c.world.con, a, assessment_id=c.world.assessment),
        {"admin", "head_own"},
    ),
    "admin_add_unit": (
        lambda c, a: admin.add_unit(c.world.con, a, kind="unit", code="U9", name="Baru", parent_code="KAB-X"),
        {"admin"},
    ),
    "admin_add_product": (
        lambda c, a: admin.add_product(c.world.con, a, unit_code="U2", code="Z", name="Produk Z"),
        {"admin"},
    ),
    "admin_close_period": (
        lambda c, a: period_admin.set_period_status(c.world.con, a, period_id=c.world.period, status="closed"),
        {"admin"},
    ),
    "admin_list_users": (lambda c, a: admin.user_lines(c.world.con, a), {"admin"}),
    "admin_reopen": (
        lambda c, a: (
            _submitted(c),
            admin.reopen_assessment(c.world.con, a, assessment_id=c.world.assessment, reason="bukti salah unggah"),
        ),
        {"admin"},
    ),
    "audit_read": (lambda c, a: audit_trail.browse(c.world.con, a, audit_trail.AuditFilter()), {"admin"}),
    "audit_of_assessment": (
        lambda c, a: audit_trail.browse(c.world.con, a, audit_trail.AuditFilter(assessment_id=c.world.assessment)),
        {"admin"},
    ),
}

if importlib.util.find_spec("services.region.overview"):
    from services.region import overview as region

    ACTIONS["region_overview"] = (
        lambda c, a: region.region_overview(c.world.con, a, period_id=c.world.period),
        {"admin", "verifier_assigned", "verifier_other", "viewer"},  # a verifier: only their own units
    )
    ACTIONS["region_unit_detail"] = (
        lambda c, a: region.unit_detail(c.world.con, a, period_id=c.world.period, unit_id=c.world.unit),
        {"admin", "verifier_assigned", "head_own", "viewer"},
    )

if importlib.util.find_spec("services.exchange.formats"):
    from services.exchange.formats import export_file

    ACTIONS["export_unit_csv"] = (
        lambda c, a: export_file(c.world.con, a, "csv", period_id=c.world.period, unit_code="U1"),
        {"admin", "verifier_assigned", "head_own", "viewer"},
    )
    ACTIONS["export_region_csv"] = (
        lambda c, a: export_file(c.world.con, a, "csv", period_id=c.world.period),
        {"admin", "verifier_assigned", "verifier_other", "viewer"},
    )

if importlib.util.find_spec("services.verification.decisions"):
    from services.verification import decisions as verification

    ACTIONS["verification_start"] = (
        lambda c, a: (_submitted(c), verification.start_review(c.world.con, a, assessment_id=c.world.assessment)),
        {"admin", "verifier_assigned"},
    )
    ACTIONS["verification_decide"] = (
        lambda c, a: (
            _submitted(c),
            verification.start_review(c.world.con, c.actors["admin"], assessment_id=c.world.assessment),
            verification.decide(
                c.world.con, a, assessment_id=c.world.assessment, indicator_id="IN-02", decision="accept"
            ),
        ),
        {"admin", "verifier_assigned"},
    )


MATRIX = [(action, role) for action in ACTIONS for role in ROLES]


def _untouched(w) -> dict:
    snap = w.snapshot()
    snap["org_units"] = w.con.execute("SELECT * FROM org_units ORDER BY id").fetchall()
    snap["service_products"] = w.con.execute("SELECT * FROM service_products ORDER BY id").fetchall()
    return snap


@pytest.mark.parametrize(("action", "role"), MATRIX, ids=[f"{a}-{r}" for a, r in MATRIX])
def test_role_action(case: Case, action: str, role: str):
    run, allowed = ACTIONS[action]
    actor = case.actors[role]
    if role in allowed:
        run(case, actor)
        return
    before = None if action in ("admin_reopen", "verification_start", "verification_decide") else _untouched(case.world)
    with pytest.raises(AccessDenied):
        run(case, actor)
    if before is not None:
        assert _untouched(case.world) == before, "a refused action changed the database"


def test_every_role_and_action_is_in_the_matrix():
    assert len(MATRIX) == len(ACTIONS) * len(ROLES) >= 19 * 6


@pytest.mark.parametrize("guess", [1, 2, 3, 50, 10_000])
def test_unit_head_cannot_reach_other_unit_by_any_id(case: Case, guess: int):
    """Walking assessment and evidence ids as another unit's head never yields data: refused or not found."""
    from assessment.errors import KepatuhanError

    w = case.world
    for call in (
        lambda: load_view(w.con, w.other_head, assessment_id=guess),
        lambda: evidence_bytes(w.con, w.blobs, w.other_head, evidence_id=guess),
        lambda: record_answer(w.con, w.other_head, assessment_id=guess, indicator_id="IN-02", value=0),
    ):
        try:
            result = call()
        except KepatuhanError:
            continue
        # only their own unit's rows can come back
        view = result if hasattr(result, "unit") else None
        assert view is None or view.unit.id == w.other_unit

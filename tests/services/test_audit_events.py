"""Typed audit events (issue 10): one frozen type per event, every service call site uses one, and the rows on
disk keep the name + JSON payload they always had, so rows written before the types still read the same."""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
from pathlib import Path

import pytest
from pydantic import ValidationError

from services import audit_events as ev
from services.audit_events import EVENT_TYPES
from store import audit
from store.db import transaction
from store.models import AssessmentEvent, Event

ROOT = Path(__file__).resolve().parents[2]


def _append_calls():
    """(file, line, the event= argument) of every audit.append(...) in services/."""
    for path in sorted((ROOT / "services").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "append"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "audit"
            ):
                kw = {k.arg: k.value for k in node.keywords}
                yield f"{path.relative_to(ROOT)}:{node.lineno}", kw


def test_no_string_event_names_or_dict_payloads_at_call_sites():
    calls = list(_append_calls())
    assert len(calls) >= 55, "the audit call sites were not found"
    bad = [where for where, kw in calls if "payload" in kw or isinstance(kw.get("event"), ast.Constant)]
    assert bad == [], "audit events are typed (services/audit_events.py), not a name and a dict"
    # nor a bare name anywhere else (count_events, a store query, a helper's argument): event names live in
    # services/audit_events.py only
    written = []
    for path in sorted([*(ROOT / "services").rglob("*.py"), *(ROOT / "store").rglob("*.py")]):
        if path.name == "audit_events.py":
            continue
        text = path.read_text(encoding="utf-8")
        written += [f"{path.name}: {m}" for m in re.findall(r"""event\s*=\s*["'][^"']*["']""", text)]
        names = re.findall(r"""["']([a-z_]+\.[a-z_]+)["']""", text)
        written += [f"{path.name}: {n}" for n in names if n in EVENT_TYPES]
    assert written == []


def test_every_event_type_is_recorded_somewhere_and_every_call_site_uses_a_registered_type():
    source = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "services").rglob("*.py"))
    used = {name for name, kind in EVENT_TYPES.items() if re.search(rf"\b{kind.__name__}\(", source)}
    assert sorted(set(EVENT_TYPES) - used) == []  # no dead kinds
    classes = {kind.__name__ for kind in EVENT_TYPES.values()}
    for where, kw in _append_calls():
        arg = kw["event"]
        if isinstance(arg, ast.Call):
            assert isinstance(arg.func, ast.Name) and arg.func.id in classes, where


def test_the_registry_holds_one_frozen_type_per_name():
    assert len(EVENT_TYPES) == 52
    assert len({kind.__name__ for kind in EVENT_TYPES.values()}) == len(EVENT_TYPES)
    for name, kind in EVENT_TYPES.items():
        assert kind.name == name and re.fullmatch(r"[a-z]+\.[a-z_]+", name), name
        assert (
            issubclass(kind, Event) and kind.model_config.get("frozen") and kind.model_config.get("extra") == "forbid"
        )
        assert set(kind.optional) <= set(kind.model_fields), name
    event = ev.NoteSet(assessment_id=1, indicator="IN-01", old=None, new="x")
    with pytest.raises(ValidationError):
        event.new = "y"  # frozen
    with pytest.raises(ValidationError):
        ev.NoteSet(assessment_id=1, indicator="IN-01", old=None, new="x", extra="?")
    with pytest.raises(ValidationError):
        ev.NoteSet(indicator="IN-01", old=None, new="x")  # an assessment event needs its assessment


# what the services wrote as dict literals before the types; the types must store exactly these payloads
SHAPES = [
    (ev.UserCreated(role="admin", first_admin=True), {"role": "admin", "first_admin": True}),
    (ev.UserCreated(user="budi", role="viewer", demo=True), {"user": "budi", "role": "viewer", "demo": True}),
    (
        ev.UserCreated(user="siti", role="verifier", unit=None, verifies=["A"], csv=True),
        {"user": "siti", "role": "verifier", "unit": None, "verifies": ["A"], "csv": True},
    ),
    (ev.LoginFailure(reason="inactive"), {"reason": "inactive"}),
    (ev.LoginFailure(failures=3, locked_minutes=0), {"failures": 3, "locked_minutes": 0}),
    (ev.LoginSucceeded(), {}),
    (
        ev.UnitCreated(code="U1", kind="unit", new="Unit Satu", parent=None),
        {"code": "U1", "kind": "unit", "old": None, "new": "Unit Satu", "parent": None},
    ),
    (
        ev.AnswerCleared(assessment_id=1, indicator="I", old={"unit": "3"}),
        {"indicator": "I", "old": {"unit": "3"}, "new": None},
    ),
    (
        ev.AnswerImported(assessment_id=1, indicator="I", old={"t:1": 2}, new={"t:1": 3}, file="a.xlsx"),
        {"indicator": "I", "old": {"t:1": 2}, "new": {"t:1": 3}, "file": "a.xlsx"},
    ),
    (
        ev.AssessmentSubmitted(assessment_id=1, old="draft", new="submitted", snapshot_sha256="ab", total=85, band="A"),
        {"old": "draft", "new": "submitted", "snapshot_sha256": "ab", "total": 85, "band": "A"},  # 85 stays 85
    ),
    (
        ev.PeriodCreated(period="P", new={"opens": dt.date(2026, 1, 1)}, visit=[dt.date(2026, 7, 1), None]),
        {"period": "P", "old": None, "new": {"opens": dt.date(2026, 1, 1)}, "visit": [dt.date(2026, 7, 1), None]},
    ),
    (
        ev.FollowupActionUpdated(assessment_id=None, action_id=1, unit_id=2, old={}, new={}, file=None, raised=[]),
        {"action_id": 1, "unit_id": 2, "old": {}, "new": {}, "file": None, "raised": []},
    ),
]


@pytest.mark.parametrize(("event", "payload"), SHAPES, ids=[type(e).__name__ for e, _ in SHAPES])
def test_payloads_keep_their_old_shape_and_key_order(event, payload):
    # the same JSON text on disk: same keys in the same order (the trail's details read in this order), and an
    # int stays an int (85, not 85.0)
    assert json.dumps(event.payload(), default=str) == json.dumps(payload, default=str)


def test_a_typed_event_is_stored_as_name_and_json_and_reads_back(world):
    con = world.con
    (before,) = con.execute("SELECT coalesce(max(id), 0) FROM audit_events").fetchone()
    at = dt.datetime(2026, 5, 1, 9, 0)
    with transaction(con):
        answer = ev.AnswerSet(assessment_id=7, indicator="I", subject="unit", old=None, new="3")
        audit.append(con, actor="budi", event=answer, at=at)
        audit.append(con, actor="budi", event=ev.PeriodStatus(period="P", old="open", new="closed"), at=at)
    rows = con.execute(
        "SELECT event, assessment_id, payload FROM audit_events WHERE id > ? ORDER BY id", [before]
    ).fetchall()
    assert [(e, a, json.loads(p)) for e, a, p in rows] == [
        ("answer.set", 7, {"indicator": "I", "subject": "unit", "old": None, "new": "3"}),
        ("period.status", None, {"period": "P", "old": "open", "new": "closed"}),
    ]
    assert audit.count_events(con, event=ev.AnswerSet, assessment_ids=[7]) == {7: 1}  # no assessment 7 before
    assert isinstance(ev.AnswerSet(assessment_id=7, indicator="I", subject="unit", old=None, new="3"), AssessmentEvent)

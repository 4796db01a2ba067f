"""Scoring an assessment from the store, the what-if projection, and submission with its snapshot."""

from __future__ import annotations

import hashlib
import json

import duckdb

from assessment import Report, apply_improvements, score
from services.access import Actor
from services.answering.assessing import AssessmentView, load_view
from services.audit_events import AssessmentSubmitted
from services.common import NotAllowedNow, now, writable_assessment
from store import assessments, audit
from store.db import transaction


def score_view(view: AssessmentView) -> Report:
    return score(view.criteria, view.core_answers(), products=view.scoring_products)


def what_if(view: AssessmentView, indicator_ids: list[str]) -> Report:
    """Projected report if the chosen indicators reached their top level; nothing is saved."""
    planned = apply_improvements(view.criteria, view.core_answers(), indicator_ids, products=view.scoring_products)
    return score(view.criteria, planned, products=view.scoring_products)


def missing_evidence(view: AssessmentView, report: Report | None = None) -> dict[str, float]:
    """Indicators whose chosen answer needs evidence but have none attached, with the points at risk.

    Pass the view's report when you already have it: a page then scores once per rerun.
    """
    report = report or score_view(view)
    out = {}
    for r in report.indicators:
        if r.evidence_required and not view.evidence.get(r.id):
            out[r.id] = r.earned
    return out


def snapshot_document(view: AssessmentView) -> dict:
    """The canonical content frozen at submission: criteria text hash, answers, notes, evidence hashes."""
    return {
        "criteria_sha256": view.period.criteria_sha256,
        "period": view.period.name,
        "unit": view.unit.code,
        "answers": sorted(
            [r.indicator_id, r.subject, r.value, r.count] for rows in view.answers.values() for r in rows
        ),
        "notes": sorted([n.indicator_id, n.note] for n in view.notes.values()),
        "evidence": sorted([e.indicator_id, e.sha256, e.file_name] for rows in view.evidence.values() for e in rows),
    }


def snapshot_sha256(view: AssessmentView) -> str:
    text = json.dumps(snapshot_document(view), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def submit(con: duckdb.DuckDBPyConnection, actor: Actor, *, assessment_id: int) -> str:
    """Freeze the answers and evidence; return the snapshot sha256."""
    writable_assessment(con, actor, assessment_id)
    view = load_view(con, actor, assessment_id=assessment_id)
    report = score_view(view)
    if report.answered == 0:
        raise NotAllowedNow(key="err.submit.empty")
    sha = snapshot_sha256(view)
    at = now()
    with transaction(con):
        assessments.pin_products(con, assessment_id=assessment_id, codes=view.product_codes)
        assessments.set_status(
            con,
            assessment_id=assessment_id,
            status="submitted",
            snapshot_sha256=sha,
            submitted_by=actor.username,
            at=at,
        )
        audit.append(
            con,
            actor=actor.username,
            event=AssessmentSubmitted(
                assessment_id=assessment_id,
                old=view.assessment.status,
                new="submitted",
                snapshot_sha256=sha,
                total=report.total,
                band=report.band.code,
            ),
            at=at,
        )
    return sha

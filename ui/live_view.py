"""The open assessment's view and score, kept in the session and reused while the assessment is unchanged (D7).

A questionnaire page is many fragments (one per indicator card, one for the summary); each reads the view
and the score. Reading and scoring once per change of the assessment, not once per fragment and rerun,
is what keeps a click fast. The token is one small query (services.answering.assessing.content_revision).
"""

from __future__ import annotations

import datetime as dt
from functools import partial
from typing import Any

import streamlit as st

from assessment import Report
from services.answering import assessing
from services.answering.assessing import AssessmentView
from services.answering.results import missing_evidence, score_view
from ui.auth import current_actor
from ui.resources import connection
from ui.run_memo import per_run

CACHE_KEY = "_live_view"


def _entry(assessment_id: int) -> dict[str, Any]:
    con, actor = connection(), current_actor()
    # one revision query per run of the script body (a card, the summary and the page share it); in the
    # callbacks' phase, where a save changes it, on every call
    revision = per_run(
        ("revision", actor.username, assessment_id),
        partial(assessing.content_revision, con, actor, assessment_id=assessment_id),
        in_callbacks=False,
    )
    # the date is part of the token: a period closes at midnight without any write
    token = (actor, assessment_id, revision, dt.date.today())
    entry = st.session_state.get(CACHE_KEY)
    if entry is None or entry["token"] != token:
        entry = {"token": token, "view": assessing.load_view(con, actor, assessment_id=assessment_id)}
        st.session_state[CACHE_KEY] = entry
    return entry


def live_state(assessment_id: int) -> tuple[AssessmentView, Report, dict[str, float]]:
    """The view, its score and the points at risk, on one check of the revision (what the summary reads)."""
    entry = _entry(assessment_id)
    if "report" not in entry:
        entry["report"] = score_view(entry["view"])
    if "at_risk" not in entry:
        entry["at_risk"] = missing_evidence(entry["view"], entry["report"])
    return entry["view"], entry["report"], entry["at_risk"]


def live_view(assessment_id: int) -> AssessmentView:
    return _entry(assessment_id)["view"]


def live_report(assessment_id: int) -> Report:
    entry = _entry(assessment_id)
    if "report" not in entry:
        entry["report"] = score_view(entry["view"])
    return entry["report"]

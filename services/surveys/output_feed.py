"""The Output indicators' tallies, filled from the user survey ("dari survei", with n).

Each accepted answer of the period's user survey counts at the indicator level its answer maps to
(criteria/surveys/user-2023.yaml). Feeding replaces the tally of every mapped indicator that nobody
overrode; an indicator a unit head changed with a reason keeps that value until fed again on purpose.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from assessment.skm import indicator_tallies
from services.access import Actor, require_read
from services.answering import writes
from services.audit_events import SurveyOutputFed
from services.common import NotAllowedNow, now, writable_assessment
from services.surveys.definitions import survey_by_sha
from services.surveys.results import accepted_answers
from store import assessments, audit
from store import surveys as store
from store.db import transaction
from store.surveys import Feed


@dataclass(frozen=True)
class FeedOutcome:
    survey_id: str
    fed: dict[str, int]  # indicator → n
    kept: tuple[str, ...]  # overridden by the unit head, left as they are
    empty: tuple[str, ...]  # no answer yet


def _user_survey(con: duckdb.DuckDBPyConnection, period_id: int, criteria_id: str):
    for sha in store.pinned(con, period_id=period_id).values():
        survey = survey_by_sha(con, sha)
        if survey.kind == "user" and survey.criteria == criteria_id:
            return survey
    return None


def feed_output(
    con: duckdb.DuckDBPyConnection, actor: Actor, *, assessment_id: int, refeed_overridden: bool = False
) -> FeedOutcome:
    row, criteria = writable_assessment(con, actor, assessment_id)
    survey = _user_survey(con, row.period_id, criteria.id)
    if survey is None:
        raise NotAllowedNow(key="err.survey.no_user_survey")
    tallies = indicator_tallies(
        survey, accepted_answers(con, period_id=row.period_id, unit_id=row.unit_id, survey_id=survey.id)
    )
    existing = store.feeds(con, assessment_id=row.id)
    indicators = criteria.indicators_by_id()
    fed: dict[str, int] = {}
    kept, empty = [], []
    at = now()
    with transaction(con):
        for indicator_id, tally in tallies.items():
            if indicator_id not in indicators:
                continue
            feed = existing.get(indicator_id)
            if feed and feed.overridden_by and not refeed_overridden:
                kept.append(indicator_id)
                continue
            n = sum(tally.values())
            if n == 0:
                empty.append(indicator_id)
                continue
            writes.put_tally(
                con, assessment_id=row.id, indicator_id=indicator_id, counts=tally, actor=actor.username, at=at
            )
            store.put_feed(con, assessment_id=row.id, indicator_id=indicator_id, survey_id=survey.id, n=n, at=at)
            fed[indicator_id] = n
        audit.append(
            con,
            actor=actor.username,
            event=SurveyOutputFed(assessment_id=row.id, survey=survey.id, fed=fed, kept=kept),
            at=at,
        )
    return FeedOutcome(survey.id, fed, tuple(kept), tuple(empty))


def feeds_for(con: duckdb.DuckDBPyConnection, actor: Actor, *, assessment_id: int) -> dict[str, Feed]:
    """Which indicators were filled from the survey, with n and any override's reason (unit head, verifier)."""
    row = assessments.get(con, assessment_id=assessment_id)
    if row is None:
        return {}
    require_read(actor, row.unit_id)
    return store.feeds(con, assessment_id=assessment_id)


def mapped_indicators(con: duckdb.DuckDBPyConnection, *, period_id: int, criteria_id: str) -> frozenset[str]:
    """Indicators the period's user survey fills (none when the period has no user survey)."""
    survey = _user_survey(con, period_id, criteria_id)
    if survey is None:
        return frozenset()
    return frozenset(q.maps_to.indicator for q in survey.questions if q.maps_to)

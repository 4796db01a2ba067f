"""The small shared core of the services: the clock, the shared errors, the period rule, and the lookup of an
assessment that may be written now (actor, period open, not frozen) with the indicator being answered."""

from __future__ import annotations

import datetime as dt

from assessment import Answer, Criteria, Indicator
from assessment.answers import check_against_indicator
from assessment.errors import KepatuhanError
from services.access import Actor, require_answer
from services.catalog import criteria_for
from store import assessments, periods
from store.models import AssessmentRow, Period


class NotAllowedNow(KepatuhanError):
    """The action is valid in general but not in the assessment's or period's current state."""


class NotFound(KepatuhanError):
    """What was asked for does not exist (any more)."""


def now() -> dt.datetime:
    return dt.datetime.now()


def today() -> dt.date:
    return dt.date.today()


def period_is_open(period: Period, today: dt.date | None = None) -> bool:
    today = today or dt.date.today()
    if period.status != "open":
        return False
    return not (period.closes and today > period.closes)


def writable_assessment(con, actor: Actor, assessment_id: int) -> tuple[AssessmentRow, Criteria]:
    """The assessment and its criteria, when the actor may answer for its unit, its period is open and it is not
    frozen."""
    row = assessments.get(con, assessment_id=assessment_id)
    if row is None:
        raise NotFound(key="err.assessment.not_found")
    require_answer(actor, row.unit_id)
    period = periods.get_period(con, period_id=row.period_id)
    assert period is not None
    if not period_is_open(period):
        raise NotAllowedNow(key="err.period.closed", period=period.name)
    if not row.editable:
        raise NotAllowedNow(key="err.assessment.frozen")
    return row, criteria_for(con, period.criteria_sha256)


def indicator_of(criteria: Criteria, indicator_id: str) -> Indicator:
    ind = criteria.indicators_by_id().get(indicator_id)
    if ind is None:
        raise NotFound(key="err.indicator.unknown", indicator=indicator_id)
    return ind


def check_answer(ind: Indicator, answer: Answer) -> None:
    problem = check_against_indicator(ind, answer, source="jawaban")
    if problem:
        raise KepatuhanError(problem.message)

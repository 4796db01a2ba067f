"""Three rules no test held before: a transaction never commits after an exception, a period's closing day is
still open (the day after is not), and a draft in a closed period is shown read-only and refuses a save."""

from __future__ import annotations

import datetime as dt

import pytest

from assessment.errors import KepatuhanError
from services.answering.assessing import open_assessment, record_answer
from services.common import NotAllowedNow, period_is_open
from store import periods
from store.db import transaction
from store.errors import StorageError


def _count(con) -> int:
    return con.execute("SELECT count(*) FROM answers").fetchone()[0]


def _insert(con, subject: str) -> None:
    con.execute(
        "INSERT INTO answers (assessment_id, indicator_id, subject, value, updated_by, updated_at) "
        "VALUES (1, 'IN-01', ?, 1, 'uji', current_timestamp)",
        [subject],
    )


class Boom(Exception):
    pass


@pytest.mark.parametrize("failure", ["python", "database", "interrupt"])
def test_a_transaction_never_commits_after_an_exception(world, failure):
    con = world.con
    before = _count(con)
    expected = {"python": Boom, "database": StorageError, "interrupt": KeyboardInterrupt}[failure]
    with pytest.raises(expected):
        with transaction(con):
            _insert(con, "a")
            _insert(con, "b")
            if failure == "python":
                raise Boom
            if failure == "interrupt":
                raise KeyboardInterrupt
            _insert(con, "a")  # primary key clash
    assert _count(con) == before  # neither the first nor the second row was kept
    with transaction(con):  # and the connection is usable again, with no transaction left open
        _insert(con, "c")
    assert _count(con) == before + 1


def _period(**dates):
    from store.models import Period

    return Period(id=1, name="P", year=2025, criteria_sha256="x" * 64, status="open", **dates)


def test_the_closing_day_is_still_open_and_the_day_after_is_closed():
    closes = dt.date(2025, 10, 31)
    period = _period(opens=dt.date(2025, 1, 1), closes=closes, visit_from=None, visit_to=None)
    assert period_is_open(period, today=closes - dt.timedelta(days=1))
    assert period_is_open(period, today=closes)
    assert not period_is_open(period, today=closes + dt.timedelta(days=1))


def _set_closes(world, closes: dt.date) -> None:
    p = periods.get_period(world.con, period_id=world.period)
    with transaction(world.con):
        periods.set_dates(
            world.con, period_id=world.period, opens=p.opens, closes=closes, visit_from=None, visit_to=None
        )


def test_answers_are_saved_on_the_closing_day_itself(world):
    _set_closes(world, dt.date.today())
    view = open_assessment(world.con, world.head, period_id=world.period, unit_id=world.unit)
    assert view.can_edit and not view.read_only_reason
    record_answer(world.con, world.head, assessment_id=world.assessment, indicator_id="IN-01",
                  subject="respondent:1", value=1)  # fmt: skip


@pytest.mark.parametrize("how", ["past_closing_day", "status_closed"])
def test_a_draft_in_a_closed_period_is_read_only_and_refuses_a_save(world, how):
    if how == "past_closing_day":
        _set_closes(world, dt.date.today() - dt.timedelta(days=1))
        period_id = world.period
    else:
        period_id = world.closed_period
    view = open_assessment(world.con, world.head, period_id=period_id, unit_id=world.unit)
    assert view.assessment.status == "draft" and view.assessment.editable  # a draft, not frozen by submission
    assert not view.can_edit
    assert "sudah ditutup" in view.read_only_reason
    before = world.snapshot()
    with pytest.raises(NotAllowedNow, match="sudah ditutup"):
        record_answer(world.con, world.head, assessment_id=view.assessment.id, indicator_id="IN-01",
                      subject="respondent:1", value=1)  # fmt: skip
    assert world.snapshot() == before
    assert issubclass(NotAllowedNow, KepatuhanError)

"""record_answer / record_tally / record_note / clear_answer: happy paths, and refusals that change nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from assessment.errors import KepatuhanError
from services.access import AccessDenied
from services.answering.assessing import clear_answer, load_view, record_answer, record_note, record_tally
from services.answering.results import score_view, submit
from services.common import NotAllowedNow, NotFound
from store import assessments, audit, periods
from store.errors import ConflictError


def answers(w):
    return {
        (r.indicator_id, r.subject): (r.value, r.count) for r in assessments.answers(w.con, assessment_id=w.assessment)
    }


def last_event(w):
    return audit.events(w.con, assessment_id=w.assessment, limit=1)[0]


def test_record_answer_saves_and_audits_old_and_new(world):
    w = world
    assert record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=0) == 1
    assert (
        record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=3, expected_revision=1)
        == 2
    )
    assert answers(w) == {("IN-02", "unit"): (3.0, 1)}
    event = last_event(w)
    assert (event.actor, event.event) == ("kepala1", "answer.set")
    assert event.payload == {"indicator": "IN-02", "subject": "unit", "old": "0", "new": "3"}


def test_record_answer_per_product_respondent_and_na(world):
    w = world
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="PR-01", subject="product:A", value=2)
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="PR-01", subject="product:B", value=1)
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-01", subject="respondent:1", value=3)
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=None)
    assert answers(w) == {
        ("PR-01", "product:A"): (2.0, 1), ("PR-01", "product:B"): (1.0, 1),
        ("IN-01", "respondent:1"): (3.0, 1), ("IN-02", "unit"): (None, 1),
    }  # fmt: skip
    assert last_event(w).payload["new"] == "N/A"
    report = score_view(load_view(w.con, w.head, assessment_id=w.assessment))
    assert report.indicator("IN-02").status == "na"
    assert report.indicator("PR-01").fraction == pytest.approx(0.75)


def test_admin_may_answer_for_any_unit(world):
    w = world
    record_answer(w.con, w.admin, assessment_id=w.assessment, indicator_id="IN-02", value=3)
    assert last_event(w).actor == "admin"


def test_record_tally_replaces_respondents_and_individual_answers_replace_the_tally(world):
    w = world
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="OU-01", subject="respondent:1", value=1)
    record_tally(w.con, w.head, assessment_id=w.assessment, indicator_id="OU-01", counts={2: 20, 1: 10, 0: 0})
    assert answers(w) == {("OU-01", "tally:1"): (1.0, 10), ("OU-01", "tally:2"): (2.0, 20)}
    event = last_event(w)
    assert event.event == "answer.tally"
    assert event.payload == {"indicator": "OU-01", "old": {"respondent:1": 1}, "new": {"1": 10, "2": 20}}
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="OU-01", subject="respondent:1", value=2)
    assert answers(w) == {("OU-01", "respondent:1"): (2.0, 1)}


def test_record_tally_with_stale_revision_is_a_conflict_and_changes_nothing(world):
    w = world
    record_tally(w.con, w.head, assessment_id=w.assessment, indicator_id="OU-01", counts={2: 30})
    stale = 0
    before = w.snapshot()
    with pytest.raises(ConflictError):
        record_tally(
            w.con, w.head, assessment_id=w.assessment, indicator_id="OU-01", counts={0: 30}, expected_revision=stale
        )
    assert w.snapshot() == before


def test_record_note_and_clear_answer(world):
    w = world
    record_note(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", note="  ramp di pintu samping  ")
    assert assessments.notes(w.con, assessment_id=w.assessment)[0].note == "ramp di pintu samping"
    assert last_event(w).payload == {"indicator": "IN-02", "old": None, "new": "ramp di pintu samping"}
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="PR-01", subject="product:A", value=2)
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="PR-01", subject="product:B", value=1)
    clear_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="PR-01", subject="product:A")
    assert answers(w) == {("PR-01", "product:B"): (1.0, 1)}
    assert last_event(w).payload == {"indicator": "PR-01", "old": {"product:A": "2"}, "new": None}
    clear_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="PR-01")
    assert answers(w) == {}
    events_before = len(audit.events(w.con))
    clear_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="PR-01")  # nothing to clear: no event
    assert len(audit.events(w.con)) == events_before


def _close_period(w):
    periods.set_status(w.con, period_id=w.period, status="closed")


def _submit(w):
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=3)
    submit(w.con, w.head, assessment_id=w.assessment)


def _past_closing_date(w):
    w.con.execute("UPDATE periods SET closes = ? WHERE id = ?", [dt.date.today() - dt.timedelta(days=1), w.period])


REFUSALS = {
    "closed period": (_close_period, NotAllowedNow, "sudah ditutup"),
    "closing date passed": (_past_closing_date, NotAllowedNow, "sudah ditutup"),
    "submitted assessment": (_submit, NotAllowedNow, "dibekukan"),
}

ACTIONS = {
    "record_answer": lambda w, **kw: record_answer(w.con, kw.get("actor", w.head), assessment_id=w.assessment,
                                                   indicator_id=kw.get("indicator", "IN-02"),
                                                   subject=kw.get("subject", "unit"), value=kw.get("value", 3)),
    "record_tally": lambda w, **kw: record_tally(w.con, kw.get("actor", w.head), assessment_id=w.assessment,
                                                 indicator_id=kw.get("indicator", "OU-01"),
                                                 counts=kw.get("counts", {2: 30})),
    "record_note": lambda w, **kw: record_note(w.con, kw.get("actor", w.head), assessment_id=w.assessment,
                                               indicator_id=kw.get("indicator", "IN-02"), note="catatan"),
    "clear_answer": lambda w, **kw: clear_answer(w.con, kw.get("actor", w.head), assessment_id=w.assessment,
                                                 indicator_id=kw.get("indicator", "IN-02")),
}  # fmt: skip


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("state", REFUSALS)
def test_state_refusals_change_nothing(world, state, action):
    w = world
    prepare, error, text = REFUSALS[state]
    prepare(w)
    before = w.snapshot()
    with pytest.raises(error, match=text):
        ACTIONS[action](w)
    assert w.snapshot() == before


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("who", ["other_head", "viewer"])
def test_wrong_actor_is_refused_and_changes_nothing(world, action, who):
    w = world
    before = w.snapshot()
    with pytest.raises(AccessDenied, match="tidak berhak"):
        ACTIONS[action](w, actor=getattr(w, who))
    assert w.snapshot() == before


@pytest.mark.parametrize("action", ACTIONS)
def test_unknown_indicator_is_refused_and_changes_nothing(world, action):
    w = world
    before = w.snapshot()
    with pytest.raises(NotFound, match="'XX-99' tidak ada"):
        ACTIONS[action](w, indicator="XX-99")
    assert w.snapshot() == before


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"indicator": "IN-02", "value": 2}, "di luar skala; pilih salah satu: 0, 3"),
        ({"indicator": "IN-01", "subject": "respondent:1", "value": 4}, "di luar skala"),
        ({"indicator": "IN-01", "subject": "respondent:1", "value": None}, "tidak boleh dijawab N/A"),
        ({"indicator": "PR-01", "subject": "product:A", "value": None}, "tidak boleh dijawab N/A"),
        ({"indicator": "PR-01", "subject": "unit", "value": 1}, "dijawab per produk layanan"),
        ({"indicator": "IN-01", "subject": "respondent:0", "value": 1}, "mulai 1"),
        ({"indicator": "IN-02", "subject": "siapa", "value": 3}, "tidak dikenal"),
    ],
)
def test_bad_answer_values_are_refused_and_change_nothing(world, kwargs, message):
    w = world
    before = w.snapshot()
    with pytest.raises(KepatuhanError, match=message):
        ACTIONS["record_answer"](w, **kwargs)
    assert w.snapshot() == before


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"indicator": "IN-02"}, "tidak dijawab per responden"),
        ({"counts": {5: 30}}, "di luar skala"),
        ({"counts": {2: -1}}, "bilangan bulat 0 atau lebih"),
    ],
)
def test_bad_tallies_are_refused_and_change_nothing(world, kwargs, message):
    w = world
    before = w.snapshot()
    with pytest.raises(KepatuhanError, match=message):
        ACTIONS["record_tally"](w, **kwargs)
    assert w.snapshot() == before


def test_too_long_note_is_refused(world):
    w = world
    before = w.snapshot()
    with pytest.raises(KepatuhanError, match="terlalu panjang"):
        record_note(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", note="x" * 4001)
    assert w.snapshot() == before


def test_stale_answer_revision_is_a_conflict_and_changes_nothing(world):
    w = world
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=0)
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=3, expected_revision=1)
    before = w.snapshot()
    with pytest.raises(ConflictError, match="tab atau jendela lain"):
        record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=0, expected_revision=1)
    assert w.snapshot() == before

"""record_tally_level: one level per save, so fast entry in several fields never overwrites another level."""

from __future__ import annotations

import pytest

from assessment.errors import KepatuhanError
from services.answering.assessing import content_revision, record_answer
from services.answering.tally_entry import record_tally_level
from store import assessments, audit
from store.errors import ConflictError


def counts(w) -> dict[str, int]:
    rows = assessments.answers(w.con, assessment_id=w.assessment)
    return {r.subject: r.count for r in rows if r.indicator_id == "OU-01"}


def level(w, value, count, expected=None, actor=None):
    record_tally_level(
        w.con, actor or w.head, assessment_id=w.assessment, indicator_id="OU-01", value=value, count=count,
        expected_count=expected,
    )  # fmt: skip


def test_each_level_is_saved_alone_and_the_others_are_kept(world):
    w = world
    # what a page rendered before any save: every field showed 0
    level(world, 2, 20, expected=0)
    level(world, 1, 7, expected=0)  # rendered before the first save finished: still accepted, nothing lost
    level(world, 0, 3, expected=0)
    assert counts(w) == {"tally:0": 3, "tally:1": 7, "tally:2": 20}
    level(world, 1, 0, expected=7)  # back to 0 removes that level only
    assert counts(w) == {"tally:0": 3, "tally:2": 20}
    event = audit.events(w.con, assessment_id=w.assessment, limit=1)[0]
    assert event.event == "answer.tally"
    assert event.payload == {"indicator": "OU-01", "old": {"tally:0": 3, "tally:1": 7, "tally:2": 20},
                             "new": {"0": 3, "2": 20}}  # fmt: skip


def test_a_level_changed_elsewhere_is_refused_and_kept(world):
    level(world, 2, 20, expected=0)
    with pytest.raises(ConflictError):
        level(world, 2, 5, expected=0)  # another tab saw 0 and typed 5
    assert counts(world) == {"tally:2": 20}


def test_individual_answers_become_the_tally_they_add_up_to(world):
    w = world
    for n, value in enumerate([1, 1, 0], start=1):
        record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="OU-01", subject=f"respondent:{n}",
                      value=value)  # fmt: skip
    level(world, 2, 4, expected=0)
    assert counts(w) == {"tally:0": 1, "tally:1": 2, "tally:2": 4}


@pytest.mark.parametrize("count", [-1, 100_001, 2.5, True, "3"])
def test_bad_counts_are_refused_with_nothing_changed(world, count):
    level(world, 2, 20)
    with pytest.raises(KepatuhanError, match="bilangan bulat"):
        level(world, 1, count)
    assert counts(world) == {"tally:2": 20}


def test_unknown_level_and_non_respondent_indicator_are_refused(world):
    with pytest.raises(KepatuhanError, match="Level 9"):
        level(world, 9, 1)
    with pytest.raises(KepatuhanError, match="tidak dijawab per responden"):
        record_tally_level(world.con, world.head, assessment_id=world.assessment, indicator_id="IN-02", value=1,
                           count=1)  # fmt: skip
    assert counts(world) == {}


def test_content_revision_changes_with_every_write(world):
    w = world
    before = content_revision(w.con, w.head, assessment_id=w.assessment)
    level(world, 2, 20)
    after = content_revision(w.con, w.head, assessment_id=w.assessment)
    assert after != before
    assert content_revision(w.con, w.head, assessment_id=w.assessment) == after  # stable while nothing changes

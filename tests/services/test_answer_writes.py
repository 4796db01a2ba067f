"""The one answer-writing path: the rules every writer shares hold whichever way an answer arrives."""

from __future__ import annotations

from services.answering.assessing import clear_answer, record_answer, record_tally
from store import assessments


def subjects(w, indicator="IN-01") -> dict[str, float | int]:
    rows = assessments.answers(w.con, assessment_id=w.assessment)
    return {
        r.subject: (r.count if r.subject.startswith("tally:") else r.value) for r in rows if r.indicator_id == indicator
    }


def test_clearing_one_respondent_leaves_respondents_whose_number_starts_alike(world):
    w = world
    for n in (1, 10, 11):
        record_answer(
            w.con, w.head, assessment_id=w.assessment, indicator_id="OU-01", subject=f"respondent:{n}", value=1
        )
    clear_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="OU-01", subject="respondent:1")
    assert subjects(w, "OU-01") == {"respondent:10": 1, "respondent:11": 1}


def test_respondent_answers_replace_a_tally_and_a_tally_replaces_them(world):
    w = world
    record_tally(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-01", counts={2: 3, 1: 0})
    assert subjects(w) == {"tally:2": 3}
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-01", subject="respondent:1", value=1)
    assert subjects(w) == {"respondent:1": 1}
    record_tally(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-01", counts={0: 2})
    assert subjects(w) == {"tally:0": 2}

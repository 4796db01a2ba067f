"""Subject: the one place the stored subject strings are built and read."""

import pytest

from assessment.subject import UNIT, Subject, is_respondent, is_tally


@pytest.mark.parametrize(
    ("subject", "stored"),
    [
        (Subject.unit(), "unit"),
        (Subject.product("SKTM"), "product:SKTM"),
        (Subject.respondent(12), "respondent:12"),
        (Subject.tally(3.0), "tally:3"),
        (Subject.tally(2.5), "tally:2.5"),
    ],
)
def test_the_stored_form_is_unchanged_and_reads_back(subject, stored):
    assert str(subject) == stored
    assert Subject.parse(stored) == subject


def test_parts_of_each_kind():
    assert Subject.parse("respondent:7").number == 7
    assert Subject.parse("product:A:B").code == "A:B"  # a code may itself hold a colon
    assert Subject.parse("tally:2").indicator_kind == "respondent"
    assert UNIT == "unit" and is_tally("tally:1") and not is_tally("respondent:1")
    assert is_respondent("respondent:1") and not is_respondent("product:respondent")
    assert Subject.parse("survey:1").kind == "survey"  # kept for the answer checks to report as unknown

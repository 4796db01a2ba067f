"""Survey definitions as data (criteria/surveys/*.yaml) and the SKM arithmetic of PermenPANRB 14/2017."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from assessment import load_criteria
from assessment.skm import category, indicator_tallies, min_sample, skm_result
from assessment.survey_defs import SurveyError, check_against_criteria, load_survey, parse_survey

ROOT = Path(__file__).resolve().parents[2]
SURVEYS = sorted((ROOT / "criteria" / "surveys").glob("*.yaml"))


@pytest.fixture(scope="module")
def skm():
    return load_survey(ROOT / "criteria/surveys/skm-2017.yaml")


@pytest.mark.parametrize("path", SURVEYS, ids=lambda p: p.name)
def test_every_shipped_survey_loads_with_both_languages(path):
    survey = load_survey(path)
    assert survey.title.en and survey.intro.en
    assert all(q.text.en and all(o.label.en for o in q.options) for q in survey.questions)


def test_three_kinds_are_shipped():
    assert {load_survey(p).kind for p in SURVEYS} == {"skm", "user", "trust"}


def test_skm_has_the_nine_elements_with_the_regulation_labels(skm):
    assert [q.element for q in skm.questions] == [f"U{i}" for i in range(1, 10)]
    labels = {q.element: [o.label.id for o in q.options] for q in skm.questions}
    assert labels["U4"] == ["Sangat mahal", "Cukup mahal", "Murah", "Gratis"]
    assert labels["U8"] == [
        "Tidak ada", "Ada tetapi tidak berfungsi", "Berfungsi kurang maksimal", "Dikelola dengan baik"
    ]  # fmt: skip
    assert labels["U9"] == ["Buruk", "Cukup", "Baik", "Sangat baik"]
    assert {p.id for p in skm.profile} >= {"jenis-kelamin", "umur", "pendidikan", "pekerjaan"}
    assert skm.suggestion


def test_user_survey_maps_every_question_onto_an_output_indicator_of_the_criteria():
    user = load_survey(ROOT / "criteria/surveys/user-2023.yaml")
    criteria = load_criteria(ROOT / "criteria/ombudsman-2023.yaml")
    levels = {i.id: tuple(o.value for o in i.options) for d in criteria.dimensions for i in d.indicators}
    assert check_against_criteria(user, levels, "user") == []
    output = {i.id for d in criteria.dimensions if d.id == "output" for i in d.indicators}
    assert {q.maps_to.indicator for q in user.questions} == output
    assert user.proof_of_service == "required"


def test_a_mapping_to_a_missing_indicator_or_level_is_named():
    user = load_survey(ROOT / "criteria/surveys/user-2023.yaml")
    problems = check_against_criteria(user, {"OUT-01": (0, 1, 2)}, "x.yaml")
    text = "\n".join(str(p) for p in problems)
    assert "OUT-02 tidak ada" in text and "tingkat 3 bukan pilihan" in text


BAD = """id: s
version: "1"
kind: skm
scale: skm-2017
title: {id: S}
intro: {id: I}
description: d
questions:
  - id: U1
    element: U1
    text: {id: Q}
    options: [{value: 1, label: {id: a}}, {value: 2, label: {id: b}}, {value: 5, label: {id: c}}]
  - id: U1
    text: {id: Q2}
    colour: red
    options: [{value: 1, label: {id: a}}, {value: 1, label: {id: b}}]
"""


def test_a_bad_survey_names_file_line_and_field_of_every_problem():
    with pytest.raises(SurveyError) as err:
        parse_survey(BAD, "survei.yaml")
    assert "survei.yaml:15:5 [questions[1].colour]: kunci tidak dikenal" in str(err.value)
    with pytest.raises(SurveyError) as err:  # once fields are right, every cross-field rule is named
        parse_survey(BAD.replace("    colour: red\n", ""), "survei.yaml")
    assert "survei.yaml:15:44 [questions[1].options[1].value]: nilai pilihan 1 dipakai dua kali" in str(err.value)
    with pytest.raises(SurveyError) as err:
        fixed = BAD.replace("    colour: red\n", "").replace("{value: 1, label: {id: b}}", "{value: 2, label: {id: b}}")
        parse_survey(fixed, "s.yaml")
    text = str(err.value)
    assert "s.yaml:12:5 [questions[0].options]: unsur SKM dijawab 1–4" in text
    assert "s.yaml:13:5 [questions[1].id]: id 'U1' dipakai dua kali" in text
    assert "[questions[1].element]: unsur SKM wajib menyebut kodenya" in text


def test_parser_limits_refuse_a_huge_or_binary_file(tmp_path):
    with pytest.raises(SurveyError, match="lebih dari 512 KB"):
        parse_survey("id: x\n" + "# pad\n" * 100_000, "big.yaml")
    binary = tmp_path / "b.yaml"
    binary.write_bytes(b"\x00\x01\x02")
    with pytest.raises(SurveyError, match="bukan berkas teks"):
        load_survey(binary)
    with pytest.raises(SurveyError, match="tidak ditemukan"):
        load_survey(tmp_path / "none.yaml")


@pytest.mark.parametrize(
    ("population", "sample"),
    [(10, 10), (20, 19), (30, 28), (50, 44), (100, 80), (150, 108), (200, 132), (300, 169), (500, 217),
     (1000, 278), (2000, 322), (5000, 357), (10000, 370), (1_000_000, 384)],
)  # fmt: skip
def test_minimum_sample_is_the_krejcie_morgan_table(population, sample):
    assert min_sample(population) == sample


@pytest.mark.parametrize(
    ("ikm", "code"),
    [("100", "A"), ("88.31", "A"), ("88.30", "B"), ("76.61", "B"), ("76.60", "C"), ("65.00", "C"), ("64.99", "D"),
     ("25", "D")],
)  # fmt: skip
def test_quality_category_boundaries(ikm, code):
    assert category(Decimal(ikm))[0] == code


def _answers(rows):
    return [{f"U{i}": v for i, v in enumerate(row, 1) if v is not None} for row in rows]


def test_hand_computed_four_respondents(skm):
    # sums per element 14 12 10 11 14 13 15 10 12 = 111; Σ NRR = 27,75; × 0,111 = 3,08025; × 25 = 77,00625
    rows = [
        [4, 3, 3, 2, 4, 3, 4, 2, 3],
        [3, 3, 2, 1, 3, 3, 4, 3, 3],
        [4, 4, 3, 4, 4, 4, 4, 3, 4],
        [3, 2, 2, 4, 3, 3, 3, 2, 2],
    ]
    result = skm_result(skm, _answers(rows), population=100)
    assert result.n == 4
    assert [str(e.nrr) for e in result.elements] == ["3.500", "3.000", "2.500", "2.750", "3.500", "3.250", "3.750",
                                                     "2.500", "3.000"]  # fmt: skip
    assert result.index == Decimal("3.080")
    assert result.ikm == Decimal("77.01")
    assert (result.category, result.category_label) == ("B", "Baik")
    assert (result.min_sample, result.enough) == (80, False)


def test_regulation_weight_gives_99_9_for_a_perfect_survey_and_74_93_for_all_threes(skm):
    assert skm_result(skm, _answers([[4] * 9] * 3)).ikm == Decimal("99.90")
    assert skm_result(skm, _answers([[3] * 9] * 3)).ikm == Decimal("74.93")  # 74,925 rounds half up
    assert skm_result(skm, _answers([[1] * 9])).ikm == Decimal("24.98")


def test_nrr_counts_only_respondents_who_answered_the_element(skm):
    rows = [[4, 4, 4, None, 4, 4, 4, 4, 4], [2, 2, 2, 2, 2, 2, 2, 2, 2]]
    result = skm_result(skm, _answers(rows))
    u4 = result.elements[3]
    assert (u4.answered, u4.nrr) == (1, Decimal("2.000"))
    assert result.elements[0].nrr == Decimal("3.000")


def test_no_responses_or_an_unanswered_element_gives_no_index(skm):
    assert skm_result(skm, []).ikm is None
    assert skm_result(skm, [{"U1": 4}]).ikm is None


def test_user_answers_become_tallies_of_indicator_levels():
    user = load_survey(ROOT / "criteria/surveys/user-2023.yaml")
    tallies = indicator_tallies(user, [{"penundaan": 4, "imbalan": 1}, {"penundaan": 4}, {"penundaan": 2}])
    assert tallies["OUT-01"] == {3: 2, 1: 1}
    assert tallies["OUT-02"] == {0: 1}
    assert tallies["OUT-05"] == {}

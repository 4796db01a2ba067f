"""Label families (unit and entity bands in one file) and the suffix that follows a recorded fact."""

from __future__ import annotations

from pathlib import Path

import pytest

from assessment import load_criteria, region_score
from assessment.labels import combine_facts, labels_for

CRITERIA_DIR = Path(__file__).resolve().parents[2] / "criteria"
FACT = "tindak_lanjut_produk_ombudsman"


@pytest.fixture(scope="module")
def opini():
    return load_criteria(CRITERIA_DIR / "opini-2025.yaml")


def family(labels, applies_to):
    return next(lab for lab in labels if lab.applies_to == applies_to)


@pytest.mark.parametrize(
    ("value", "unit", "entity"),
    [
        (100, "Kualitas Pelayanan Sangat Baik", "Opini Kualitas Tertinggi"),
        (88.0, "Kualitas Pelayanan Sangat Baik", "Opini Kualitas Tertinggi"),
        (87.995, "Kualitas Pelayanan Sangat Baik", "Opini Kualitas Tertinggi"),  # published rounded: 88.00
        (87.99, "Kualitas Pelayanan Baik", "Opini Kualitas Tinggi"),
        (78.0, "Kualitas Pelayanan Baik", "Opini Kualitas Tinggi"),
        (76.04, "Kualitas Pelayanan Cukup", "Opini Kualitas Sedang"),  # the published unit at 76.04 was "Cukup"
        (54.0, "Kualitas Pelayanan Cukup", "Opini Kualitas Sedang"),
        (53.99, "Kualitas Pelayanan Kurang", "Opini Kualitas Rendah"),
        (0, "Kualitas Pelayanan Kurang", "Opini Kualitas Rendah"),
    ],
)
def test_both_families_at_the_same_score(opini, value, unit, entity):
    labels = labels_for(opini, value, facts={FACT: False})
    assert family(labels, "unit").label == unit
    assert family(labels, "entity").label == entity


def test_unit_family_has_no_suffix_entity_family_follows_the_fact(opini):
    granted = labels_for(opini, 90, facts={FACT: True})
    assert family(granted, "unit").text == "Kualitas Pelayanan Sangat Baik"
    assert family(granted, "entity").text == "Opini Kualitas Tertinggi Tanpa Maladministrasi"
    # the suffix never changes the number and also comes below the top
    low = labels_for(opini, 60, facts={FACT: True})
    assert family(low, "entity").text == "Opini Kualitas Sedang Tanpa Maladministrasi"


def test_suffix_withheld_when_the_fact_is_false_and_undetermined_when_unrecorded(opini):
    denied = family(labels_for(opini, 95, facts={FACT: False}), "entity")
    assert denied.suffix.state == "tidak" and denied.text == "Opini Kualitas Tertinggi"
    assert "belum ditindaklanjuti" in denied.suffix.reason
    for facts in ({}, None, {"fakta_lain": True}):
        unknown = family(labels_for(opini, 95, facts=facts), "entity")
        assert unknown.suffix.state == "belum_ditentukan"
        assert unknown.suffix.reason == "tindak lanjut produk Ombudsman belum dicatat"
        assert unknown.text == "Opini Kualitas Tertinggi"


def test_region_score_stays_the_mean_of_units_with_the_entity_label(opini):
    result = region_score(opini, [85.32, 73.88], facts={FACT: True})
    assert result.score == 79.6  # mean of the unit totals, unchanged by labels
    assert family(result.labels, "entity").text == "Opini Kualitas Tinggi Tanpa Maladministrasi"
    assert family(result.labels, "unit").text == "Kualitas Pelayanan Baik"


@pytest.mark.parametrize(
    ("units", "expected"),
    [
        ([{FACT: True}, {FACT: True}], {FACT: True}),
        ([{FACT: True}, {FACT: False}], {FACT: False}),
        ([{FACT: True}, {}], {}),  # one unit unrecorded: undetermined, never granted
        ([{}, {FACT: False}], {FACT: False}),
        ([], {}),
    ],
)
def test_entity_facts_from_its_units(units, expected):
    assert combine_facts(units, [FACT]) == expected

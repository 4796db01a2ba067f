"""Scoring worked examples: every number here is computed by hand in the comment beside it."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

import pytest

from assessment import (
    Answer,
    AnswersError,
    Criteria,
    answers_from_mapping,
    apply_improvements,
    improvements,
    load_criteria,
    parse_criteria,
    region_score,
    score,
)
from assessment.criteria import Indicator

CRITERIA_DIR = Path(__file__).resolve().parents[2] / "criteria"


@pytest.fixture(scope="module")
def ombudsman() -> Criteria:
    return load_criteria(CRITERIA_DIR / "ombudsman-2023.yaml")


@pytest.fixture(scope="module")
def pekppp() -> Criteria:
    return load_criteria(CRITERIA_DIR / "pekppp-2023.yaml")


@pytest.fixture(scope="module")
def skm() -> Criteria:
    return load_criteria(CRITERIA_DIR / "skm-2017.yaml")


@pytest.fixture(scope="module")
def opini() -> Criteria:
    return load_criteria(CRITERIA_DIR / "opini-2025.yaml")


def answer_all(criteria: Criteria, value_of: Callable[[Indicator], float | None]) -> list[Answer]:
    """Every indicator answered on every expected subject with one value (N/A when value_of gives None)."""
    out = []
    for dim in criteria.dimensions:
        for ind in dim.indicators:
            value = value_of(ind)
            if ind.subject.kind == "unit":
                out.append(Answer(indicator=ind.id, value=value))
            elif ind.subject.kind == "product":
                out += [Answer(indicator=ind.id, subject=f"product:P{n}", value=value) for n in (1, 2)]
            elif value is None:
                out += [
                    Answer(indicator=ind.id, subject=f"respondent:{n}", value=None)
                    for n in range(1, ind.subject.expected + 1)
                ]
            else:
                out.append(
                    Answer(indicator=ind.id, subject=f"tally:{value:g}", value=value, count=ind.subject.expected)
                )
    return out


def top(ind: Indicator) -> float:
    return ind.max_value


def bottom(ind: Indicator) -> float:
    return ind.min_value


def dims(report) -> dict[str, float]:
    return {d.id: d.score for d in report.dimensions}


# ---- (a) Ombudsman 2023: dimension scores known exactly ----


def test_ombudsman_all_at_top_is_100_A_hijau(ombudsman):
    report = score(ombudsman, answer_all(ombudsman, top))
    assert report.total == 100.00
    assert (report.band.code, report.band.zone, report.label) == ("A", "hijau", "Kualitas Tertinggi")
    assert dims(report) == {"input": 21.85, "proses": 32.37, "output": 24.24, "pengaduan": 21.54}
    assert report.complete and report.next_band is None and report.path == ()
    assert all(r.status == "lengkap" and r.lost == pytest.approx(0) for r in report.indicators)


def test_ombudsman_all_at_zero_is_0_E_merah(ombudsman):
    report = score(ombudsman, answer_all(ombudsman, bottom))
    assert report.total == 0
    assert (report.band.code, report.band.zone) == ("E", "merah")
    assert dims(report) == {"input": 0, "proses": 0, "output": 0, "pengaduan": 0}
    assert report.next_band.code == "D"


@pytest.mark.parametrize(
    ("at_top", "total", "code", "zone"),
    [
        ({"output"}, 24.24, "E", "merah"),
        ({"input", "proses"}, 54.22, "C", "kuning"),  # 21.85 + 32.37
        ({"proses", "output", "pengaduan"}, 78.15, "B", "hijau"),  # 32.37 + 24.24 + 21.54
        ({"input", "output"}, 46.09, "D", "merah"),  # 21.85 + 24.24
        ({"input", "proses", "output"}, 78.46, "B", "hijau"),
    ],
)
def test_ombudsman_whole_dimensions_at_top(ombudsman, at_top, total, code, zone):
    def value_of(ind: Indicator) -> float:
        return ind.max_value if ombudsman.dimension_of(ind.id).id in at_top else ind.min_value

    report = score(ombudsman, answer_all(ombudsman, value_of))
    assert report.total == total
    assert (report.band.code, report.band.zone) == (code, zone)


def test_watdek_published_dimension_scores_fall_in_band_D(ombudsman):
    # Puskesmas Watdek 2023 (domain §3.7): 8.72 + 10.76 + 20.76 + 9.61 = 49.85, published as zona merah
    published = {"input": 8.72, "proses": 10.76, "output": 20.76, "pengaduan": 9.61}
    maxima = {d.id: ombudsman.dimension_max(d) for d in ombudsman.dimensions}
    assert all(published[k] <= maxima[k] for k in published)
    total = round(sum(published.values()), 2)
    assert total == 49.85
    band = ombudsman.band_for(total)
    assert (band.code, band.zone) == ("D", "merah")


MIXED = {
    # Input: IN-K01 (12.22 %) at top on all 4 officials, the other 14 at 0 -> 21.85 x 0.1222 = 2.67007
    "IN-K01": [3, 3, 3, 3],
    **{f"IN-K0{n}": [0, 0, 0, 0] for n in range(2, 7)},
    **{f"IN-S0{n}": 0 for n in range(1, 10)},
    # Proses: 3 of 12 equal indicators at top on both products -> 32.37 x 3/12 = 8.0925
    **{f"PR-{n:02d}": ({"SKTM": 3, "PBI": 3} if n <= 3 else {"SKTM": 0, "PBI": 0}) for n in range(1, 13)},
    # Output: half the 30 users at 3, half at 0 -> 24.24 x 0.5 = 12.12
    **{f"OUT-0{n}": {"tally": {3: 15, 0: 15}} for n in range(1, 6)},
    # Pengaduan: 5 of 10 at top -> 21.54 x 0.5 = 10.77
    **{f"PG-{n:02d}": 3 for n in range(1, 6)},
    **{f"PG-{n:02d}": 0 for n in range(6, 7)},
    "PG-07": [0, 0],
    "PG-08": [0, 0],
    "PG-09": 0,
    "PG-10": 0,
}


def test_ombudsman_mixed_unit(ombudsman):
    report = score(ombudsman, answers_from_mapping(ombudsman, MIXED, "contoh"))
    exact = {d.id: d.exact for d in report.dimensions}
    assert exact["input"] == pytest.approx(2.67007)
    assert exact["proses"] == pytest.approx(8.0925)
    assert exact["output"] == pytest.approx(12.12)
    assert exact["pengaduan"] == pytest.approx(10.77)
    assert dims(report) == {"input": 2.67, "proses": 8.09, "output": 12.12, "pengaduan": 10.77}
    # 2.67007 + 8.0925 + 12.12 + 10.77 = 33.65257
    assert report.total == 33.65
    assert (report.band.code, report.band.zone) == ("D", "merah")
    variables = {v.id: v for v in report.variables}
    assert variables["kompetensi-pelaksana"].exact == pytest.approx(2.67007)
    assert variables["sarana-prasarana"].exact == 0
    assert variables["kompetensi-pelaksana"].max == pytest.approx(21.85 * (12.22 + 5 * 6.27) / 100)
    ind = report.indicator("IN-K01")
    assert (ind.max_points, ind.earned, ind.mean_value) == (pytest.approx(2.67007), pytest.approx(2.67007), 3)
    assert report.indicator("OUT-01").mean_value == 1.5
    assert report.indicator("PR-01").evidence_required  # 3 >= required_from 2
    assert not report.indicator("PR-04").evidence_required


def test_explanation_adds_up_to_the_total(ombudsman):
    report = score(ombudsman, answers_from_mapping(ombudsman, MIXED, "contoh"))
    assert math.fsum(r.earned for r in report.indicators) == pytest.approx(report.total_exact, abs=1e-9)
    for r in report.indicators:
        assert r.lost == pytest.approx(r.max_points - r.earned)
    assert report.total == ombudsman.round(math.fsum(d.exact for d in report.dimensions))
    assert abs(report.total - sum(d.score for d in report.dimensions)) <= 0.005 * len(report.dimensions) + 1e-9


def test_unanswered_indicators_count_as_zero_and_are_reported(ombudsman):
    partial = {k: v for k, v in MIXED.items() if not k.startswith("PG")}
    report = score(ombudsman, answers_from_mapping(ombudsman, partial, "contoh"))
    assert report.total == 22.88  # 33.65257 - 10.77 = 22.88257
    assert not report.complete
    assert report.answered == report.scored_indicators - 10
    assert {r.id for r in report.indicators if r.status == "belum"} == {f"PG-{n:02d}" for n in range(1, 11)}


def test_ombudsman_na_pelayanan_terpadu_is_excluded(ombudsman):
    # PR-12 N/A on both products: the 3 maxed Proses indicators now share 11 -> 32.37 x 3/11 = 8.828182
    answers = dict(MIXED, **{"PR-12": {"SKTM": "na", "PBI": "na"}})
    report = score(ombudsman, answers_from_mapping(ombudsman, answers, "contoh"))
    assert {d.id: d.exact for d in report.dimensions}["proses"] == pytest.approx(32.37 * 3 / 11)
    pr12 = report.indicator("PR-12")
    assert (pr12.status, pr12.max_points, pr12.earned, pr12.fraction) == ("na", 0, 0, None)


def test_missing_products_count_as_zero(ombudsman):
    # the unit serves three products but PR-01..03 were only observed on two: (3 + 3 + 0) / 3 = 2/3 of the top
    report = score(ombudsman, answers_from_mapping(ombudsman, MIXED, "contoh"), products=["SKTM", "PBI", "SKTM-2"])
    pr01 = report.indicator("PR-01")
    assert pr01.fraction == pytest.approx(2 / 3)
    assert pr01.status == "sebagian"
    assert {d.id: d.exact for d in report.dimensions}["proses"] == pytest.approx(32.37 * 3 / 12 * 2 / 3)


def test_fewer_respondents_than_expected_is_partial(ombudsman):
    answers = dict(MIXED, **{"IN-K01": [3, 3]})
    report = score(ombudsman, answers_from_mapping(ombudsman, answers, "contoh"))
    k01 = report.indicator("IN-K01")
    assert (k01.status, k01.answered_subjects, k01.expected_subjects, k01.fraction) == ("sebagian", 2, 4, 1.0)


# ---- (b) a small inline criteria set: respondents, products, tally, N/A, both N/A policies ----

MINI = """\
id: mini-hitung
version: "1"
title: Contoh hitung
na_policy: {policy}
dimensions:
  - id: D1
    title: Satu
    weight: 60
    indicators:
      - id: A
        question: Unit?
        method: dokumen
        weight: 50
        options: &nol-tiga
          - {{value: 0, label: Nol, meaning: Tidak ada.}}
          - {{value: 1, label: Satu, meaning: Sebagian kecil.}}
          - {{value: 2, label: Dua, meaning: Sebagian besar.}}
          - {{value: 3, label: Tiga, meaning: Lengkap.}}
      - id: B
        question: Per produk?
        method: observasi
        weight: 30
        na_allowed: true
        subject: {{kind: product, expected: 2}}
        options: *nol-tiga
      - id: C
        question: Per petugas?
        method: wawancara
        weight: 20
        subject: {{kind: respondent, expected: 4, label: petugas}}
        options: *nol-tiga
  - id: D2
    title: Dua
    weight: 40
    indicators:
      - id: E
        question: Unit, boleh N/A?
        method: observasi
        na_allowed: true
        options:
          - {{value: 0, label: Tidak, meaning: Tidak ada.}}
          - {{value: 1, label: Sebagian, meaning: Sebagian.}}
          - {{value: 2, label: Ya, meaning: Ada lengkap.}}
      - id: F
        question: Per pengguna, skala 1-4?
        method: survei
        na_allowed: true
        subject: {{kind: respondent, expected: 3, label: pengguna}}
        options:
          - {{value: 1, label: Buruk, meaning: Buruk.}}
          - {{value: 2, label: Cukup, meaning: Cukup.}}
          - {{value: 3, label: Baik, meaning: Baik.}}
          - {{value: 4, label: Sangat baik, meaning: Sangat baik.}}
bands:
  - {{code: L, label: Lulus, min: 50, max: 100, colour: "#1a7f37"}}
  - {{code: T, label: Tidak lulus, min: 0, max: 49.99, colour: "#c62828"}}
"""


def mini(policy: str = "exclude") -> Criteria:
    return parse_criteria(MINI.format(policy=policy), "mini.yaml")


MINI_ANSWERS = [
    Answer(indicator="A", value=2),  # 2/3
    Answer(indicator="B", subject="product:P1", value=3),  # 1
    Answer(indicator="B", subject="product:P2", value=1),  # 1/3
    Answer(indicator="B", subject="product:P3", value=None),  # N/A product: left out -> B = (1 + 1/3) / 2 = 2/3
    Answer(indicator="C", subject="respondent:1", value=3),  # 1
    Answer(indicator="C", subject="respondent:2", value=0),  # 0
    Answer(indicator="C", subject="tally:2", value=2, count=2),  # 2 x 2/3 -> C = (1 + 0 + 4/3) / 4 = 7/12
    Answer(indicator="E", value=None),  # N/A
    Answer(indicator="F", subject="respondent:1", value=4),  # (4-1)/3 = 1
    Answer(indicator="F", subject="respondent:2", value=2),  # 1/3
    Answer(indicator="F", subject="tally:3", value=3, count=1),  # 2/3 -> F = 2/3
]


def test_mini_exclude():
    report = score(mini("exclude"), MINI_ANSWERS)
    # D1 = 60 x (0.5 x 2/3 + 0.3 x 2/3 + 0.2 x 7/12) = 60 x 39/60 = 39
    # D2 = 40 x F (E left out) = 40 x 2/3 = 26.6667
    assert {d.id: d.exact for d in report.dimensions} == {"D1": pytest.approx(39), "D2": pytest.approx(80 / 3)}
    assert report.total == 65.67
    assert report.band.code == "L"
    e = report.indicator("E")
    assert (e.status, e.max_points, e.earned) == ("na", 0, 0)
    assert report.indicator("F").max_points == pytest.approx(40)
    c = report.indicator("C")
    assert (c.fraction, c.mean_value, c.answered_subjects, c.status) == (pytest.approx(7 / 12), 1.75, 4, "lengkap")
    b = report.indicator("B")
    assert (b.fraction, b.answered_subjects) == (pytest.approx(2 / 3), 2)


def test_mini_full_marks():
    report = score(mini("full_marks"), MINI_ANSWERS)
    # D2 = 40 x (E counted as 1 + F 2/3) / 2 = 40 x 5/6 = 33.3333; D1 unchanged 39
    assert {d.id: d.exact for d in report.dimensions} == {"D1": pytest.approx(39), "D2": pytest.approx(100 / 3)}
    assert report.total == 72.33
    e = report.indicator("E")
    assert (e.status, e.max_points, e.earned, e.lost) == ("na", pytest.approx(20), pytest.approx(20), 0)


def test_mini_unanswered_product_counts_zero():
    report = score(mini(), MINI_ANSWERS, products=["P1", "P2", "P3", "P4"])
    # B = (1 + 1/3 + 0 for P4) / 3 = 4/9 -> D1 = 60 x (1/3 + 0.3 x 4/9 + 7/60) = 35; total 35 + 26.6667
    assert report.indicator("B").fraction == pytest.approx(4 / 9)
    assert report.indicator("B").status == "sebagian"
    assert report.total == 61.67


def test_mini_dimension_all_na_earns_its_maximum_and_still_adds_up():
    answers = [a for a in MINI_ANSWERS if a.indicator != "F"] + [
        Answer(indicator="F", subject="respondent:1", value=None),
        Answer(indicator="F", subject="respondent:2", value=None),
    ]
    for policy in ("exclude", "full_marks"):
        report = score(mini(policy), answers)
        d2 = next(d for d in report.dimensions if d.id == "D2")
        assert d2.exact == pytest.approx(40)  # nothing in D2 applies, so nothing is lost there
        assert report.total == 79.0  # 39 + 40
        # the explanation (points per indicator) adds up to the total, N/A indicators carry D2's points
        assert math.fsum(r.earned for r in report.indicators) == pytest.approx(report.total_exact)
        assert report.indicator("E").earned == pytest.approx(20)
        assert report.indicator("F").earned == pytest.approx(20)


def test_mini_answer_order_does_not_matter():
    forward = score(mini(), MINI_ANSWERS)
    backward = score(mini(), list(reversed(MINI_ANSWERS)))
    assert forward == backward


# ---- (c) PEKPPP worked example (other-frameworks.md §1.4) ----


def test_pekppp_worked_example(pekppp):
    levels = {"kebijakan": 4, "sdm": 3, "sarpras": 5, "sipp": 2, "konsultasi-pengaduan": 2, "inovasi": 2}
    report = score(pekppp, answer_all(pekppp, lambda ind: levels[pekppp.dimension_of(ind.id).id]))
    # F02 = 0.24·4 + 0.25·3 + 0.18·5 + 0.11·2 + 0.10·2 + 0.12·2 = 3.27
    assert dims(report) == {
        "kebijakan": 0.96,
        "sdm": 0.75,
        "sarpras": 0.90,
        "sipp": 0.22,
        "konsultasi-pengaduan": 0.20,
        "inovasi": 0.24,
    }
    assert report.total == 3.27
    assert (report.band.code, report.label) == ("B-", "Baik (dengan catatan)")
    assert report.next_band.code == "B"


def test_pekppp_extremes_and_indicator_weights(pekppp):
    assert score(pekppp, answer_all(pekppp, top)).total == 5.00
    assert score(pekppp, answer_all(pekppp, top)).band.code == "A"
    assert score(pekppp, answer_all(pekppp, bottom)).total == 0.00
    assert score(pekppp, answer_all(pekppp, bottom)).band.code == "F"
    # only indicator 1 (17 % of Kebijakan) at level 5: 0.24 x 0.17 x 5 = 0.204 -> 0.20, band F
    answers = [
        a if a.indicator != "1.a.Ak" else Answer(indicator="1.a.Ak", value=5) for a in answer_all(pekppp, bottom)
    ]
    report = score(pekppp, answers)
    assert report.total_exact == pytest.approx(0.204)
    assert report.total == 0.20


# ---- (d) SKM ----


def test_skm_all_four_is_100_A(skm):
    report = score(skm, answer_all(skm, top))
    assert (report.total, report.band.code, report.label) == (100.0, "A", "Sangat Baik (Mutu A)")


def test_skm_all_one_is_25_D(skm):
    report = score(skm, answer_all(skm, bottom))
    assert (report.total, report.band.code) == (25.0, "D")


def test_skm_mixed(skm):
    # every unsur NRR 4 except U4 (biaya) NRR 3: IKM = 25 x (8 x 4 + 3) / 9 = 97.22
    answers = answer_all(skm, lambda ind: 3 if ind.id == "U4" else 4)
    assert score(skm, answers).total == 97.22
    # NRR 3 everywhere: IKM 75 -> C (65.00 - 76.60); NRR from 100 respondents 3.06 -> 76.5 -> C; 3.08 -> 77 -> B
    assert score(skm, answer_all(skm, lambda ind: 3)).band.code == "C"
    mapping = {i: {"tally": {3: 94, 4: 6}} for i in skm.indicators_by_id()}
    report = score(skm, answers_from_mapping(skm, mapping, "skm"))
    assert (report.total, report.band.code) == (76.5, "C")
    mapping = {i: {"tally": {3: 92, 4: 8}} for i in skm.indicators_by_id()}
    report = score(skm, answers_from_mapping(skm, mapping, "skm"))
    assert (report.total, report.band.code) == (77.0, "B")
    assert report.indicator("U1").mean_value == pytest.approx(3.08)


# ---- (e) region = mean of unit totals, with its own band ----


def test_region_mean_of_units(ombudsman):
    # seven units of one kabupaten (Maluku Tenggara style): 429.90 / 7 = 61.414... -> 61.41 C kuning
    totals = [49.85, 62.10, 71.40, 55.00, 80.20, 45.30, 66.05]
    result = region_score(ombudsman, totals)
    assert (result.score, result.units, result.band.code, result.band.zone) == (61.41, 7, "C", "kuning")
    # a region can sit in another band than most of its units
    assert region_score(ombudsman, [88.0, 88.0, 20.0]).band.code == "C"  # 65.33
    assert region_score(ombudsman, [87.99, 88.02]).band.code == "A"  # 88.005 rounds to 88.00 or 88.01: both A


def test_region_of_scored_units(ombudsman):
    unit_a = score(ombudsman, answer_all(ombudsman, top))
    unit_b = score(ombudsman, answers_from_mapping(ombudsman, MIXED, "contoh"))
    result = region_score(ombudsman, [unit_a.total, unit_b.total])
    assert result.score == 66.83  # (100 + 33.65) / 2 = 66.825 -> 66.83 (binary 66.825000000000003)
    assert result.band.code == "C"


def test_region_without_units(ombudsman):
    with pytest.raises(ValueError, match="belum ada unit"):
        region_score(ombudsman, [])


# ---- (f) path to the next band ----


def test_path_is_the_fewest_improvements(ombudsman):
    answers = answers_from_mapping(ombudsman, MIXED, "contoh")
    report = score(ombudsman, answers)
    assert report.next_band.code == "C"
    # gap 54 - 33.65257 = 20.347; the largest single gains are the 9 remaining Proses indicators,
    # 32.37 / 12 = 2.6975 each: 7 give 18.88 (short), 8 give 21.58 (enough)
    assert [i.indicator for i in report.path] == [f"PR-{n:02d}" for n in range(4, 12)]
    assert all(i.points == pytest.approx(2.6975) for i in report.path)
    assert all(i.target_value == 3 for i in report.path)
    assert report.path[0].evidence_hint.startswith("Foto papan informasi")
    gained = math.fsum(i.points for i in report.path)
    assert ombudsman.round(report.total_exact + gained) >= report.next_band.min
    all_gains = improvements(ombudsman, report.indicators)
    assert ombudsman.round(report.total_exact + math.fsum(i.points for i in all_gains[: len(report.path) - 1])) < 54
    improved = score(ombudsman, apply_improvements(ombudsman, answers, [i.indicator for i in report.path]))
    assert improved.total == 55.23  # 33.65257 + 8 x 2.6975 = 55.23257
    assert improved.band.code == "C"


def test_path_when_respondents_and_products_must_improve(ombudsman):
    answers = answer_all(ombudsman, bottom)
    report = score(ombudsman, answers, products=["P1", "P2", "P3"])
    assert report.next_band.code == "D"
    # largest gains first: the 5 Output indicators (24.24 / 5 = 4.848 each) give 24.24, then Proses
    # (32.37 / 12 = 2.6975 each): 2 more give 29.635 (short), 3 more give 32.3325 (enough)
    assert [i.indicator for i in report.path] == [
        "OUT-01",
        "OUT-02",
        "OUT-03",
        "OUT-04",
        "OUT-05",
        "PR-01",
        "PR-02",
        "PR-03",
    ]
    raised = apply_improvements(ombudsman, answers, [i.indicator for i in report.path], products=["P1", "P2", "P3"])
    improved = score(ombudsman, raised, products=["P1", "P2", "P3"])
    assert (improved.total, improved.band.code) == (32.33, "D")
    assert improved.indicator("PR-01").answered_subjects == 3  # the third product is observed too


def test_apply_improvements_raises_respondent_indicators_for_the_whole_sample(ombudsman):
    answers = answers_from_mapping(ombudsman, MIXED, "contoh")
    raised = score(ombudsman, apply_improvements(ombudsman, answers, ["OUT-01", "PG-07"]))
    assert raised.indicator("OUT-01").fraction == 1.0
    assert raised.indicator("OUT-01").answered_subjects == 30
    assert raised.indicator("PG-07").answered_subjects == 2


def test_no_path_at_the_top(ombudsman):
    report = score(ombudsman, answer_all(ombudsman, top))
    assert report.path == () and report.next_band is None


def test_plan_can_be_skipped(ombudsman):
    report = score(ombudsman, answers_from_mapping(ombudsman, MIXED, "contoh"), plan=False)
    assert report.path == () and report.next_band.code == "C"


# ---- (g) composite 2025; "Tanpa Maladministrasi" follows the recorded follow-up, not an indicator ----

FOLLOWED_UP = {"tindak_lanjut_produk_ombudsman": True}


def entity_label(report):
    return next(lab for lab in report.labels if lab.applies_to == "entity")


def test_opini_all_top_with_suffix(opini):
    report = score(opini, answer_all(opini, top), facts=FOLLOWED_UP)
    assert report.total == 100
    assert report.label == "Kualitas Tertinggi"  # the band label itself never carries the suffix any more
    assert entity_label(report).text == "Opini Kualitas Tertinggi Tanpa Maladministrasi"
    assert {g.id: g.score for g in report.groups} == {"dimensi": 70.0, "kepercayaan": 30.0}


def test_opini_suffix_not_granted_when_products_not_followed_up(opini):
    answers = answer_all(opini, lambda ind: 2 if ind.id == "O-PG-02" else ind.max_value)
    report = score(opini, answers, facts={"tindak_lanjut_produk_ombudsman": False})
    # O-PG-02 at 2/3 of its share: pengaduan = 17.5 x (1 + 2/3) / 2 = 14.5833; total 100 - 2.9167 = 97.08
    assert report.total == 97.08
    assert entity_label(report).suffix.state == "tidak"
    assert entity_label(report).text == "Opini Kualitas Tertinggi"


def test_opini_suffix_also_below_the_top(opini):
    # four dimensions at top, Kepercayaan Masyarakat at 0 -> 70.00, band C, still "Tanpa Maladministrasi"
    answers = answer_all(opini, lambda ind: 0 if ind.id.startswith("O-KM") else ind.max_value)
    report = score(opini, answers, facts=FOLLOWED_UP)
    assert report.total == 70.00
    assert {g.id: g.score for g in report.groups} == {"dimensi": 70.0, "kepercayaan": 0.0}
    assert entity_label(report).text == "Opini Kualitas Sedang Tanpa Maladministrasi"
    only_trust = answer_all(opini, lambda ind: ind.max_value if ind.id.startswith("O-KM") else 0)
    report = score(opini, only_trust, facts=FOLLOWED_UP)
    assert (report.total, report.band.code) == (30.0, "E")
    assert entity_label(report).text == "Opini Kualitas Rendah Tanpa Maladministrasi"
    # each of the four dimensions weighs 70 % x 25 % = 17.5 points
    assert {d.id: d.max for d in report.dimensions}["input"] == pytest.approx(17.5)


def test_opini_suffix_is_never_granted_silently(opini):
    # O-PG-02 at its top level no longer grants the suffix: without a recorded fact it stays undetermined
    report = score(opini, answer_all(opini, top))
    suffix = entity_label(report).suffix
    assert (suffix.state, suffix.reason) == ("belum_ditentukan", "tindak lanjut produk Ombudsman belum dicatat")
    assert entity_label(report).text == "Opini Kualitas Tertinggi"
    assert not report.suffix_granted


# ---- (h) bad answers ----


@pytest.mark.parametrize(
    ("answer", "fragment"),
    [
        (Answer(indicator="IN-X99", value=1), "indikator 'IN-X99' tidak ada di kriteria 'ombudsman-2023'"),
        (Answer(indicator="IN-S01", value=4), "nilai 4 di luar skala; pilih salah satu: 0, 1, 2, 3"),
        (Answer(indicator="IN-S01", value=1.5), "nilai 1.5 di luar skala"),
        (Answer(indicator="PR-04", subject="product:SKTM", value=None), "'PR-04' tidak boleh dijawab N/A"),
        (Answer(indicator="IN-K01", value=3), "'IN-K01' dijawab per responden, bukan per unit"),
        (Answer(indicator="PR-01", subject="respondent:1", value=3), "dijawab per produk layanan, bukan per responden"),
        (Answer(indicator="IN-S01", subject="product:SKTM", value=3), "dijawab per unit, bukan per produk layanan"),
        (Answer(indicator="IN-K01", subject="respondent:0", value=3), "nomor responden harus bilangan bulat mulai 1"),
        (Answer(indicator="IN-K01", subject="respondent:x", value=3), "nomor responden"),
        (Answer(indicator="IN-K01", subject="orang:1", value=3), "subjek 'orang:1' tidak dikenal"),
        (Answer(indicator="IN-K01", subject="tally:2", value=3, count=2), "nilai tally tidak sama"),
        (Answer(indicator="IN-K01", subject="respondent:1", value=3, count=5), "hanya untuk subjek tally"),
        (Answer(indicator="IN-S01", subject="unit:2", value=3), "subjek unit ditulis 'unit' saja"),
    ],
)
def test_bad_answer_is_refused(ombudsman, answer, fragment):
    with pytest.raises(AnswersError) as caught:
        score(ombudsman, [Answer(indicator="IN-S02", value=2), answer])
    message = str(caught.value)
    assert message.startswith("Berkas jawaban tidak valid (1 masalah):")
    assert fragment in message
    assert f"[{answer.indicator}/{answer.subject}]" in message


def test_every_bad_answer_is_listed(ombudsman):
    bad = [
        Answer(indicator="IN-X99", value=1),
        Answer(indicator="IN-S01", value=9),
        Answer(indicator="IN-S02", value=1),
        Answer(indicator="IN-S02", value=2),  # twice for the same subject
    ]
    with pytest.raises(AnswersError) as caught:
        score(ombudsman, bad)
    assert len(caught.value.problems) == 3
    assert "jawaban ganda untuk subjek yang sama" in str(caught.value)


@pytest.mark.parametrize(
    ("mapping", "fragment"),
    [
        ({"IN-X99": 1}, "indikator 'IN-X99' tidak ada"),
        ({"IN-S01": [1, 2]}, "dijawab sekali untuk unit: tulis satu angka"),
        ({"PR-01": 3}, "dijawab per produk layanan: tulis {KODE_PRODUK: nilai, ...}"),
        ({"IN-K01": 3}, "dijawab per responden: tulis daftar"),
        ({"IN-K01": []}, "daftar jawaban responden kosong"),
        ({"IN-K01": {"tally": {3: -1}}}, "harus bilangan bulat ≥ 0"),
        ({"IN-S01": "tiga"}, "nilai 'tiga' harus angka pada skala, atau 'na'"),
        ({"IN-S01": True}, "harus angka"),
        ({"IN-S01": "na"}, "'IN-S01' tidak boleh dijawab N/A"),
        ({"IN-K01": [3, 3, 7]}, "nilai 7 di luar skala"),
    ],
)
def test_bad_answer_mapping(ombudsman, mapping, fragment):
    with pytest.raises(AnswersError) as caught:
        answers_from_mapping(ombudsman, mapping, "jawaban.yaml")
    assert fragment in str(caught.value)
    assert "jawaban.yaml" in str(caught.value)


def test_path_promises_only_what_the_rescored_unit_reaches():
    """A path whose gains add up to a rounding boundary (2.551 + 0.25 + 0.204 = 3.005) must still reach the band.

    Found by hypothesis: a running float sum said B- was reached, the rescored unit rounded to 3.00 (C).
    """
    from assessment import apply_improvements

    criteria = load_criteria(CRITERIA_DIR / "pekppp-2023.yaml")
    levels = {
        "2.a.P": 1, "3.a.T": 4, "4.a.K": 5, "5.a.K": 3, "6.a.B": 2, "8.a.Ak": 3, "9.a.Ak": 4, "10.b.As": 4,
        "12.b.Ak": 1, "13.b.K": 4, "14.b.K": 4, "15.c.K": 1, "16.c.As": 2, "17.c.As": 1, "18.c.K": 4,
        "20.c.B": 4, "21.d.T": 2, "22.d.B": 2, "23.d.As": 5, "24.d.T": 4, "26.e.P": 4, "28.e.Ak": 4,
        "29.f.B": 2, "30.f.B": 5,
    }  # fmt: skip
    answers = [Answer(indicator=k, value=float(v)) for k, v in levels.items()]
    report = score(criteria, answers)
    raised = apply_improvements(criteria, answers, [i.indicator for i in report.path])
    improved = score(criteria, raised)
    assert improved.band.min >= report.next_band.min, (improved.total, [i.indicator for i in report.path])

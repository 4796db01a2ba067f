"""Gates and results: worked examples for each kind of gate, the explanation, and the path to the next result."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from assessment import Answer, answers_from_mapping, load_criteria, parse_criteria, score
from assessment.gates import explain_gate

CRITERIA_DIR = Path(__file__).resolve().parents[2] / "criteria"

# four dimensions of 25 points, one indicator each (0..4, so one step = 6.25 points), gates of every kind
GATED = """\
id: gerbang
version: "1"
title: Kriteria dengan gerbang
dimensions:
  - id: A
    title: Area A
    weight: 25
    variables: [{id: A-P, title: A pemenuhan}, {id: A-R, title: A reform}]
    indicators:
      - id: A1
        question: a1?
        method: dokumen
        variable: A-P
        options: &o
          - {value: 0, label: E, meaning: nol sama sekali}
          - {value: 1, label: D, meaning: satu dari empat}
          - {value: 2, label: C, meaning: dua dari empat}
          - {value: 3, label: B, meaning: tiga dari empat}
          - {value: 4, label: A, meaning: empat dari empat}
      - {id: A2, question: a2?, method: dokumen, variable: A-R, options: *o}
  - id: B
    title: Area B
    weight: 25
    indicators:
      - {id: B1, question: b1?, method: dokumen, options: *o}
  - id: C
    title: Survei C
    weight: 25
    indicators:
      - {id: C1, question: c1?, method: dokumen, options: *o}
  - id: D
    title: Survei D
    weight: 25
    indicators:
      - {id: D1, question: d1?, method: dokumen, options: *o}
components:
  - {id: pengungkit, title: Pengungkit, parts: [dimension:A, dimension:B]}
results:
  title: Predikat
  otherwise: {code: BELUM, label: Belum memenuhi, colour: "#8e0000"}
  levels:
    - code: WBK
      label: WBK
      colour: "#4caf50"
      gates:
        - {id: total, title: Total minimal 60, of: total, min: 60}
        - {id: pengungkit, title: Pengungkit minimal 30, of: "component:pengungkit", min: 30}
        - {id: area, title: Setiap area minimal 50 persen, all: [dimension:A, dimension:B], min_share: 50}
        - {id: survei, title: Salah satu survei minimal 18.75, any: [dimension:C, dimension:D], min: 18.75}
    - code: WBBM
      label: WBBM
      colour: "#1a7f37"
      gates:
        - {id: total, title: Total minimal 85, of: total, min: 85}
        - {id: reform, title: Reform A penuh, of: "variable:A-R", min_share: 100}
bands:
  - {code: I, label: Tinggi, min: 50, max: 100, colour: "#1a7f37"}
  - {code: II, label: Rendah, min: 0, max: 49.99, colour: "#c62828"}
"""


@pytest.fixture(scope="module")
def gated():
    return parse_criteria(GATED, "gerbang.yaml")


def run(criteria, **values):
    return score(criteria, answers_from_mapping(criteria, values, "contoh"))


def test_every_gate_holds_gives_wbk_and_names_what_wbbm_still_needs(gated):
    # A1 3, A2 3 -> A 18.75; B 3 -> 18.75; C 4 -> 25; D 0: total 62.5, pengungkit 37.5
    r = run(gated, A1=3, A2=3, B1=3, C1=4, D1=0)
    assert r.total == 62.5
    assert (r.result.code, r.result.label) == ("WBK", "WBK")
    wbbm = r.result.next
    assert wbbm.code == "WBBM"
    failing = {g.id: g for g in wbbm.failing}
    assert set(failing) == {"total", "reform"}
    assert failing["total"].gap == 22.5  # 85 - 62.5
    assert failing["reform"].gap == pytest.approx(3.13, abs=0.01)  # A-R 9.38 of 12.5, needs 12.5
    assert any("WBBM belum tercapai: 2 dari 2 syarat gagal" in line for line in r.result.explanation)


def test_min_points_gate_fails_with_its_distance(gated):
    r = run(gated, A1=4, A2=4, B1=2, C1=3, D1=1)  # total 25 + 12.5 + 18.75 + 6.25 = 62.5, pengungkit 37.5
    assert r.result.code == "WBK"
    r = run(gated, A1=2, A2=2, B1=2, C1=4, D1=4)  # pengungkit 12.5 + 12.5 = 25 < 30
    assert r.result.code == "BELUM"
    gate = next(g for g in r.result.levels[0].gates if g.id == "pengungkit")
    assert (gate.passed, gate.gap) == (False, 5.0)
    assert explain_gate(gate) == "Pengungkit minimal 30: Pengungkit 25,00, perlu 30,00, kurang 5,00"


def test_all_gate_names_every_failing_part_and_share(gated):
    # A 25 (full), B 6.25 = 25 % of 25 (< 50 %): total 25+6.25+25+25 = 81.25
    r = run(gated, A1=4, A2=4, B1=1, C1=4, D1=4)
    area = next(g for g in r.result.levels[0].gates if g.id == "area")
    assert not area.passed
    assert [p.ref for p in area.failing_parts] == ["dimension:B"]
    assert area.failing_parts[0].required == 12.5 and area.gap == 6.25
    assert "Area B 6,25 (25,00 % dari maks. 25,00), perlu 12,50, kurang 6,25" in explain_gate(area)
    assert r.result.code == "BELUM"  # the total alone (81.25) never awards a result


def test_any_gate_passes_with_one_part_and_reports_the_nearest_otherwise(gated):
    r = run(gated, A1=4, A2=4, B1=4, C1=0, D1=3)  # D 18.75 meets "any"
    survei = next(g for g in r.result.levels[0].gates if g.id == "survei")
    assert survei.passed
    r = run(gated, A1=4, A2=4, B1=4, C1=1, D1=2)  # C 6.25, D 12.5: nearest is D, 6.25 short
    survei = next(g for g in r.result.levels[0].gates if g.id == "survei")
    assert (survei.passed, survei.gap) == (False, 6.25)
    assert "salah satu cukup" in explain_gate(survei)


def test_gate_compares_the_published_rounded_score():
    zi = load_criteria(CRITERIA_DIR / "zi-lke-2021.yaml")
    # IPAK index 3.60 exactly: 0.9 x 17.5 = 15.75 -> meets the WBK floor; 3.5667 (107/30) does not
    at = [Answer(indicator="ZI-H-IPAK", subject="tally:4", value=4, count=18),
          Answer(indicator="ZI-H-IPAK", subject="tally:3", value=3, count=12)]  # fmt: skip
    gate = next(g for g in score(zi, at).result.levels[0].gates if g.id == "ipak")
    assert gate.parts[0].score == 15.75 and gate.passed
    below = [Answer(indicator="ZI-H-IPAK", subject="tally:4", value=4, count=17),
             Answer(indicator="ZI-H-IPAK", subject="tally:3", value=3, count=13)]  # fmt: skip
    gate = next(g for g in score(zi, below).result.levels[0].gates if g.id == "ipak")
    assert gate.parts[0].score == 15.6 and not gate.passed and gate.gap == 0.15


# ---- the path to the next result: fewest improvements that satisfy every gate ----


def brute_force_fewest(criteria, values: dict[str, int], level: str) -> int | None:
    ids = [i for i, v in values.items() if v < 4]
    for k in range(len(ids) + 1):
        for combo in itertools.combinations(ids, k):
            raised = {**values, **dict.fromkeys(combo, 4)}
            r = score(criteria, answers_from_mapping(criteria, raised, "x"), plan=False)
            codes = [lv.code for lv in r.result.levels if lv.passed]
            if level in codes:
                return k
    return None


@pytest.mark.parametrize(
    "values",
    [
        {"A1": 0, "A2": 0, "B1": 0, "C1": 0, "D1": 0},
        {"A1": 3, "A2": 1, "B1": 2, "C1": 1, "D1": 2},
        {"A1": 4, "A2": 0, "B1": 4, "C1": 0, "D1": 1},
        {"A1": 2, "A2": 2, "B1": 1, "C1": 3, "D1": 3},
    ],
)
def test_path_is_the_fewest_improvements_and_really_reaches_the_result(gated, values):
    r = score(gated, answers_from_mapping(gated, values, "x"))
    target = r.result.next
    assert target is not None
    assert len(r.path) == brute_force_fewest(gated, values, target.code)
    raised = {**values, **{imp.indicator: 4 for imp in r.path}}
    after = score(gated, answers_from_mapping(gated, raised, "x"), plan=False)
    assert target.code in [lv.code for lv in after.result.levels if lv.passed]
    assert r.result.path_optimal and r.result.path_reachable


def test_path_targets_the_next_result_not_the_next_band(gated):
    # total 62.5 is already band I (the top band) but the unit is BELUM: the path still leads to WBK
    r = run(gated, A1=4, A2=4, B1=2, C1=4, D1=0)  # B at 12.5 = 50 % passes; survei C 25 passes -> WBK?
    assert r.result.code == "WBK"
    r = run(gated, A1=4, A2=4, B1=1, C1=4, D1=4)  # B 25 % fails "area"
    assert r.band.code == "I" and r.next_band is None
    assert r.result.code == "BELUM"
    assert [i.indicator for i in r.path] == ["B1"]


def test_the_highest_result_has_no_path_and_one_short_of_it_has_one(gated):
    r = run(gated, A1=4, A2=4, B1=4, C1=4, D1=3)  # 93.75, A-R full: WBBM already
    assert r.result.code == "WBBM" and r.result.next is None and r.path == ()
    r = run(gated, A1=4, A2=3, B1=4, C1=4, D1=4)  # 93.75 but reform A 9.38 < 12.5
    assert r.result.code == "WBK" and [i.indicator for i in r.path] == ["A2"]


# ---- Zona Integritas (criteria/zi-lke-2021.yaml) worked examples ----


@pytest.fixture(scope="module")
def zi():
    return load_criteria(CRITERIA_DIR / "zi-lke-2021.yaml")


def zi_answers(zi, level_of):
    out = []
    for ind in zi.indicators_by_id().values():
        value = level_of(ind)
        if ind.subject.kind == "respondent":
            out.append(Answer(indicator=ind.id, subject=f"tally:{value:g}", value=value, count=30))
        else:
            out.append(Answer(indicator=ind.id, value=value))
    return out


def test_zi_weights_and_components(zi):
    maxima = {d.id: zi.dimension_max(d) for d in zi.dimensions}
    assert maxima["penguatan-pengawasan"] == pytest.approx(15)
    assert maxima["ipak"] + maxima["kinerja"] == pytest.approx(22.5)
    r = score(zi, zi_answers(zi, lambda i: i.max_value))
    parts = {g.id: g for g in r.result.levels[0].gates}
    assert r.total == 100 and r.result.code == "WBBM"
    assert parts["pengungkit"].parts[0].max == pytest.approx(60)
    pemenuhan = {v.id: v.max for v in r.variables if v.id.startswith("pemenuhan-")}
    assert sum(pemenuhan.values()) == pytest.approx(30)


def test_zi_a_total_of_75_is_not_wbk_when_the_surveys_fall_short(zi):
    # every pengungkit item at B (0.75): pengungkit 45; surveys at 3 of 4: IPAK 13.13, IPKP 13.13; kinerja 3.75
    r = score(zi, zi_answers(zi, lambda i: 3))
    assert r.total == 75.0
    assert r.result.code == "BELUM"
    failing = {g.id: g.gap for g in r.result.next.failing}
    assert failing == {"birokrasi-bersih": 1.37, "ipak": 2.63, "pelayanan-prima": 0.88}
    assert [i.indicator for i in r.path] == ["ZI-H-IPAK", "ZI-H-IPKP"]


def test_zi_one_weak_area_blocks_wbk(zi):
    # everything at the top except Penguatan Pengawasan at C (0.5): 7.5 of 15 = 50 % < 60 %
    r = score(zi, zi_answers(zi, lambda i: 2 if i.id.startswith("ZI-PW") else i.max_value))
    assert r.total == 92.5
    assert r.result.code == "BELUM"
    (gate,) = r.result.next.failing
    assert gate.id == "area" and [p.title for p in gate.failing_parts] == ["Penguatan Pengawasan"]
    assert gate.gap == 1.5
    assert len(r.path) == 1 and r.path[0].indicator.startswith("ZI-PW-R")  # a reform item gains most (3.75)


def test_zi_wbbm_marks_its_unconfirmed_thresholds(zi):
    wbbm = zi.results.levels[1]
    uncertain = {g.id for g in wbbm.gates if g.uncertain}
    assert uncertain == {"area", "birokrasi-bersih", "ipak", "kinerja", "pelayanan-prima"}
    assert all(g.note for g in wbbm.gates if g.uncertain)
    assert not any(g.uncertain for g in zi.results.levels[0].gates)

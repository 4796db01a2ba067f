"""Bad gates, components and label families: one CriteriaError naming file, line and field, in Indonesian."""

from __future__ import annotations

import pytest

from assessment import CriteriaError, parse_criteria
from assessment.answers_file import parse_answers
from assessment.errors import AnswersError
from tests.assessment.test_gates import GATED

FAMILIES = """\
label_families:
  - id: unit
    title: Label unit
    applies_to: unit
    bands:
      - {code: SB, label: Sangat Baik, min: 50, max: 100}
      - {code: K, label: Kurang, min: 0, max: 49.99}
  - id: entitas
    title: Opini entitas
    applies_to: entity
    bands:
      - {code: T, label: Tertinggi, min: 50, max: 100}
      - {code: R, label: Rendah, min: 0, max: 49.99}
    suffix: {text: Tanpa Maladministrasi, fact: tindak_lanjut_produk_ombudsman}
"""
WITH_FAMILIES = GATED.replace("bands:\n  - {code: I,", FAMILIES + "bands:\n  - {code: I,")


def problems(text: str):
    with pytest.raises(CriteriaError) as exc:
        parse_criteria(text, "gerbang.yaml")
    return exc.value.problems


def line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def test_the_valid_texts_load():
    assert parse_criteria(WITH_FAMILIES, "x.yaml").label_families[1].suffix.fact == "tindak_lanjut_produk_ombudsman"


@pytest.mark.parametrize(
    ("old", "new", "message", "path", "line_fragment"),
    [
        (
            'of: "component:pengungkit", min: 30}',
            'of: "component:pengungkitt", min: 30}',
            "menyebut 'component:pengungkitt' yang tidak ada",
            "results.levels[0].gates[1].of",
            "pengungkitt",
        ),
        (
            "all: [dimension:A, dimension:B]",
            "all: [dimension:A, dimension:X]",
            "menyebut 'dimension:X' yang tidak ada",
            "results.levels[0].gates[2].all[1]",
            "dimension:X",
        ),
        (
            "of: total, min: 60}",
            "of: total, min: 160}",
            "min 160 melebihi nilai maksimum 'total' (100.00); tidak mungkin tercapai",
            "results.levels[0].gates[0].min",
            "min: 160",
        ),
        (
            "of: total, min: 60}",
            "of: total, all: [total], min: 60}",
            "harus memakai tepat satu dari of / all / any",
            "results.levels[0].gates[0]",
            "all: [total]",
        ),
        (
            "of: total, min: 85}",
            "of: total, min: 85, min_share: 85}",
            "harus memakai tepat satu dari min / min_share",
            "results.levels[1].gates[0]",
            "min_share: 85",
        ),
        (
            "min_share: 50}",
            "min_share: 150}",
            "terlalu besar (batas 100",
            "results.levels[0].gates[2].min_share",
            "min_share: 150",
        ),
        (
            "parts: [dimension:A, dimension:B]",
            "parts: [dimension:A, total]",
            "komponen 'pengungkit' hanya boleh menjumlah dimension:… atau variable:…",
            "components[0].parts[1]",
            "parts: [dimension:A, total]",
        ),
        (
            "of: total, min: 60}",
            "of: everything, min: 60}",
            "format tidak sesuai",
            "results.levels[0].gates[0].of",
            "of: everything",
        ),
        (
            "- code: WBBM",
            "- code: WBK  # ganda",
            "kode hasil 'WBK' ganda",
            "results.levels[1].code",
            "# ganda",
        ),
    ],
)
def test_gate_problems_are_located(old, new, message, path, line_fragment):
    text = WITH_FAMILIES.replace(old, new, 1)
    assert text != WITH_FAMILIES
    found = problems(text)
    hit = [p for p in found if message in p.message]
    assert hit, [str(p) for p in found]
    assert hit[0].path == path
    assert hit[0].line == line_of(text, line_fragment)


@pytest.mark.parametrize(
    ("old", "new", "message", "path"),
    [
        (
            "{code: K, label: Kurang, min: 0, max: 49.99}",
            "{code: K, label: Kurang, min: 0, max: 48}",
            "ada celah antara band 'K' (48) dan 'SB' (50)",
            "label_families[0].bands[0].min",
        ),
        (
            "    applies_to: entity\n",
            "    applies_to: unit\n",
            "sudah ada keluarga label untuk 'unit'",
            "label_families[1].applies_to",
        ),
        (
            "fact: tindak_lanjut_produk_ombudsman}",
            "fact: tindak_lanjut_produk_ombudsman, indicator: A1, min_value: 4}",
            "akhiran harus memakai tepat satu dari fact / indicator",
            "label_families[1].suffix",
        ),
        (
            "{text: Tanpa Maladministrasi, fact: tindak_lanjut_produk_ombudsman}",
            "{text: Tanpa Maladministrasi, indicator: A9, min_value: 4}",
            "akhiran menyebut indikator 'A9' yang tidak ada",
            "label_families[1].suffix.indicator",
        ),
        (
            "    applies_to: entity\n",
            "    applies_to: pemda\n",
            "nilai tidak diizinkan; pilih salah satu",
            "label_families[1].applies_to",
        ),
    ],
)
def test_family_problems_are_located(old, new, message, path):
    text = WITH_FAMILIES.replace(old, new, 1)
    assert text != WITH_FAMILIES
    found = problems(text)
    hit = [p for p in found if message in p.message]
    assert hit, [str(p) for p in found]
    assert hit[0].path == path and hit[0].line is not None


def test_answers_file_facts_are_checked_against_the_criteria():
    criteria = parse_criteria(WITH_FAMILIES, "x.yaml")
    doc = parse_answers(
        "unit: {code: U1, name: Unit}\nanswers: {A1: 4}\nfacts: {tindak_lanjut_produk_ombudsman: true}\n", criteria
    )
    assert doc.units[0].facts == {"tindak_lanjut_produk_ombudsman": True}
    with pytest.raises(AnswersError) as exc:
        parse_answers(
            "unit: {code: U1, name: Unit}\nanswers: {A1: 4}\nfacts: {tindak_lanjut: true}\n", criteria, "j.yaml"
        )
    (problem,) = exc.value.problems
    assert "fakta 'tindak_lanjut' tidak dikenal; fakta yang dipakai: tindak_lanjut_produk_ombudsman" in problem.message
    assert (problem.line, problem.path) == (3, "facts.tindak_lanjut")
    with pytest.raises(AnswersError) as exc:
        parse_answers("unit: {code: U1, name: Unit}\nfacts: {tindak_lanjut_produk_ombudsman: mungkin}\n", criteria)
    assert "harus true atau false" in str(exc.value)

"""Answers files (assessment.answers_file): both forms, located problems, and a schema that is never stale."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from assessment import AnswersError, load_criteria, score
from assessment.answers_file import SCHEMA_FILE, answers_json_schema, load_answers, parse_answers, schema_text

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini-criteria.yaml"
EXAMPLES = sorted((ROOT / "examples").glob("answers-*.yaml"))


@pytest.fixture(scope="module")
def mini():
    return load_criteria(MINI)


def test_schema_file_is_current():
    assert SCHEMA_FILE.read_text(encoding="utf-8") == schema_text(), (
        "criteria/answers.schema.json sudah usang; jalankan: python -m assessment.answers_file"
    )


def test_schema_describes_both_forms():
    schema = answers_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    forms = {ref["$ref"].rsplit("/", 1)[1] for ref in schema["anyOf"]}
    assert forms == {"UnitAnswersFile", "RegionAnswersFile"}
    unit = schema["$defs"]["UnitAnswersFile"]
    assert unit["additionalProperties"] is False and unit["required"] == ["unit"]
    (value,) = unit["properties"]["answers"]["patternProperties"].values()
    assert len(value["anyOf"]) == 5  # number, na, per respondent, tally, per product


def test_module_command_writes_the_schema(tmp_path):
    out = tmp_path / "answers.schema.json"
    run = subprocess.run([sys.executable, "-m", "assessment.answers_file", str(out)], cwd=ROOT, capture_output=True,
                         text=True, check=False)  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert out.read_text(encoding="utf-8") == schema_text()


def test_examples_match_the_schema_shape():
    schema = answers_json_schema()
    for path in EXAMPLES:
        import yaml

        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        required = schema["$defs"]["UnitAnswersFile" if "unit" in data else "RegionAnswersFile"]["required"]
        assert set(required) <= set(data)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_examples_load_against_ombudsman(path):
    # each example names its criteria in its first comment lines; ombudsman-2023 unless told
    named = re.search(r"kriteria: (criteria/[\w.-]+\.yaml)", path.read_text(encoding="utf-8")[:400])
    criteria_file = ROOT / (named.group(1) if named else "criteria/ombudsman-2023.yaml")
    if not criteria_file.exists():
        pytest.skip("criteria/ombudsman-2023.yaml belum ada")
    criteria = load_criteria(criteria_file)
    doc = load_answers(path, criteria)
    for unit in doc.units:
        report = score(criteria, unit.answers, products=unit.products)
        assert report.complete, unit.code


def test_unit_form(mini):
    doc = parse_answers(
        "unit: {code: U1, name: Satu}\nproducts: [A, B]\nanswers:\n"
        "  IN-01: [3, 2]\n  IN-02: NA\n  PR-01: {A: 2}\n  OU-01: {tally: {2: 20, '1': 10}}\n",
        mini,
        "u.yaml",
    )
    assert not doc.is_region and doc.region is None
    (unit,) = doc.units
    assert (unit.code, unit.name, unit.products) == ("U1", "Satu", ("A", "B"))
    got = {(a.indicator, a.subject): (a.value, a.count) for a in unit.answers}
    assert got == {
        ("IN-01", "respondent:1"): (3.0, 1), ("IN-01", "respondent:2"): (2.0, 1), ("IN-02", "unit"): (None, 1),
        ("PR-01", "product:A"): (2.0, 1), ("OU-01", "tally:2"): (2.0, 20), ("OU-01", "tally:1"): (1.0, 10),
    }  # fmt: skip
    report = score(mini, unit.answers, products=unit.products)
    assert report.indicator("PR-01").fraction == pytest.approx(0.5)  # product B unanswered counts 0


def test_region_form_and_json(mini, tmp_path):
    data = {"region": {"name": "Kab"}, "units": [{"code": "A1", "name": "A", "answers": {"IN-02": 3}},
                                                  {"code": "B1", "name": "B"}]}  # fmt: skip
    path = tmp_path / "r.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    doc = load_answers(path, mini)
    assert doc.is_region and doc.region.name == "Kab" and doc.region.code is None
    assert [u.code for u in doc.units] == ["A1", "B1"] and doc.units[1].answers == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("region: {name: K}\nunits: []\n", "u.yaml:2:1 [units]: terlalu sedikit isi"),
        (
            "region: {name: K}\nunits:\n  - {code: X, name: A}\n  - {code: X, name: B}\n",
            "u.yaml:4:6 [units[1].code]: kode unit 'X' ganda",
        ),
        ("unit: {code: U1, name: S}\nproducts: [A, A]\n", "u.yaml:2:15 [products[1]]: kode produk 'A' ganda"),
        ("unit: {code: 'a b', name: S}\n", "u.yaml:1:8 [unit.code]: format tidak sesuai"),
        (
            "unit: {code: U1, name: S}\nproducts: [A]\nanswers:\n  PR-01: {A: 1, Z: 2}\n",
            "u.yaml:4:17 [unit U1: PR-01/product:Z]: produk 'Z' tidak ada di daftar products unit (A)",
        ),
        (
            "unit: {code: U1, name: S}\nanswers:\n  OU-01: {tally: {2: -3}}\n",
            "u.yaml:3:3 [unit U1: OU-01]: jumlah responden untuk nilai 2 harus bilangan bulat ≥ 0",
        ),
        (
            "unit: {code: U1, name: S}\nanswers:\n  OU-01: {tally: {7: 3}}\n",
            "u.yaml:3:11 [unit U1: OU-01/tally:7]: nilai 7 di luar skala",
        ),
        ("unit: {code: U1, name: S}\nanswers:\n  IN-02: ya\n", "u.yaml:3:3 [unit U1: IN-02]: nilai 'ya' harus angka"),
        (
            "unit: {code: U1, name: S}\nanswers:\n  IN-01: []\n",
            "u.yaml:3:3 [unit U1: IN-01]: daftar jawaban responden kosong",
        ),
    ],
)
def test_problems_name_file_line_unit_and_indicator(mini, text, expected):
    with pytest.raises(AnswersError) as caught:
        parse_answers(text, mini, "u.yaml")
    assert expected in str(caught.value), str(caught.value)


def test_every_problem_is_reported_at_once(mini):
    text = "unit: {code: U1, name: S}\nanswers:\n  IN-01: [9, 9]\n  IN-02: 1\n  XX: 0\n"
    with pytest.raises(AnswersError) as caught:
        parse_answers(text, mini, "u.yaml")
    lines = [str(p) for p in caught.value.problems]
    assert [line.split(" ", 1)[0] for line in lines] == ["u.yaml:3:11", "u.yaml:3:14", "u.yaml:4:3", "u.yaml:5:3"]

"""`kepatuhan score --json` reports the result with its gates and both label families, facts from the file."""

from __future__ import annotations

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ZI = ROOT / "criteria" / "zi-lke-2021.yaml"
OPINI = ROOT / "criteria" / "opini-2025.yaml"


def test_zi_unit_json_names_the_failing_gate_and_the_path_to_wbk(cli):
    run = cli("score", "--criteria", ZI, "--answers", ROOT / "examples" / "answers-zi-unit.yaml", "--json")
    assert run.code == 0, run
    (unit,) = json.loads(run.out)["units"]
    assert unit["total"] == 78.28
    result = unit["result"]
    assert (result["code"], result["next"]["code"]) == ("BELUM", "WBK")
    wbk = result["levels"][0]
    failing = [g for g in wbk["gates"] if not g["passed"]]
    assert [(g["id"], g["gap"]) for g in failing] == [("ipak", 0.29)]
    assert failing[0]["parts"][0] == {
        "part": "dimension:ipak",
        "title": "Survei Persepsi Anti Korupsi (IPAK)",
        "score": 15.46,
        "max": 17.5,
        "required": 15.75,
        "passed": False,
        "gap": 0.29,
    }
    assert unit["path_target"] == "result"
    assert [p["indicator"] for p in unit["path_to_next"]] == ["ZI-H-IPAK"]
    assert any("kurang 0,29" in line for line in result["explanation"])
    wbbm = result["levels"][1]
    assert {g["id"]: g["uncertain"] for g in wbbm["gates"]}["total"] is False
    assert {g["id"]: g["uncertain"] for g in wbbm["gates"]}["ipak"] is True


def test_zi_table_explains_the_result(cli):
    run = cli("score", "--criteria", ZI, "--answers", ROOT / "examples" / "answers-zi-unit.yaml")
    assert run.code == 0, run
    assert "Predikat Zona Integritas: Belum memenuhi syarat WBK." in run.out
    assert "Menuju Wilayah Bebas dari Korupsi (WBK): naikkan 1 indikator ke nilai tertinggi: ZI-H-IPAK" in run.out


def test_opini_region_json_has_both_families_and_the_fact_suffix(cli):
    run = cli("score", "--criteria", OPINI, "--answers", ROOT / "examples" / "answers-opini-region.yaml", "--json")
    assert run.code == 0, run
    doc = json.loads(run.out)
    units = {u["code"]: u for u in doc["units"]}
    totals = [u["total"] for u in doc["units"]]
    assert doc["region"]["score"] == round(sum(totals) / len(totals), 2)  # still the mean of its units
    region = {lab["applies_to"]: lab for lab in doc["region"]["labels"]}
    assert region["entity"]["text"] == "Opini Kualitas Tinggi Tanpa Maladministrasi"
    assert region["entity"]["suffix"]["state"] == "diberikan"
    assert units["DINSOS"]["result"] is None and units["DINSOS"]["path_target"] == "category"
    dinsos = {lab["applies_to"]: lab for lab in units["DINSOS"]["labels"]}
    assert dinsos["unit"]["text"] == "Kualitas Pelayanan Baik" and dinsos["unit"]["suffix"] is None
    rsud = {lab["applies_to"]: lab for lab in units["RSUD"]["labels"]}
    assert rsud["entity"]["suffix"] == {
        "text": "Tanpa Maladministrasi",
        "state": "belum_ditentukan",
        "reason": "tindak lanjut produk Ombudsman belum dicatat",
    }


def test_opini_region_suffix_from_units_when_the_region_gives_no_fact(cli, tmp_path):
    text = (ROOT / "examples" / "answers-opini-region.yaml").read_text(encoding="utf-8")
    text = text.replace("facts: {tindak_lanjut_produk_ombudsman: true}\nunits:", "units:")
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    run = cli("score", "--criteria", OPINI, "--answers", path, "--json")
    assert run.code == 0, run
    region = {lab["applies_to"]: lab for lab in json.loads(run.out)["region"]["labels"]}
    # RSUD has no recorded follow-up: the region's suffix stays undetermined, never granted
    assert region["entity"]["suffix"]["state"] == "belum_ditentukan"
    assert region["entity"]["text"] == "Opini Kualitas Tinggi"
    table = cli("score", "--criteria", OPINI, "--answers", path)
    assert "akhiran 'Tanpa Maladministrasi' belum ditentukan" in table.out


def test_unknown_fact_in_answers_file_is_refused_with_its_line(cli, tmp_path):
    path = tmp_path / "u.yaml"
    path.write_text("unit: {code: U1, name: Satu}\nanswers: {O-IN-02: 3}\nfacts:\n  tindaklanjut: true\n")
    run = cli("score", "--criteria", OPINI, "--answers", path)
    assert run.code == 1
    assert "u.yaml:4" in run.err and "fakta 'tindaklanjut' tidak dikenal" in run.err

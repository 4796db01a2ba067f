"""`kepatuhan validate` and `kepatuhan score`: good input, and bad input with a located Indonesian message."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest

from cli import score_cmd

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini-criteria.yaml"


def write(tmp_path, name: str, text: str):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


UNIT = """
unit: {code: U1, name: Unit Satu}
products: [A, B]
answers:
  IN-01: [3, 3, 3, 3]
  IN-02: 3
  PR-01: {A: 2, B: 2}
  OU-01: {tally: {2: 30}}
"""

REGION = """
region: {code: KAB-X, name: Kabupaten X}
units:
  - code: TOP
    name: Unit Terbaik
    products: [A]
    answers: {IN-01: [3, 3, 3, 3], IN-02: 3, PR-01: {A: 2}, OU-01: {tally: {2: 30}}}
  - code: MID
    name: Unit Sedang
    answers: {IN-01: [2, 2, 2, 2], IN-02: na, PR-01: {A: 1, B: 2}, OU-01: [2, 1, 1, 2]}
  - code: LOW
    name: Unit Lemah
    answers: {IN-01: [0, 1, 0, 0], IN-02: 0, OU-01: {tally: {0: 25, 1: 5}}}
"""


# ---- validate -----------------------------------------------------------------------------------


def test_validate_good_files(cli, needs_ombudsman):
    run = cli("validate", MINI, needs_ombudsman)
    assert run.code == 0, run
    assert f"OK {MINI} (mini 1: 3 dimensi, 4 indikator)" in run.out
    assert f"OK {needs_ombudsman} (ombudsman-2023 " in run.out
    assert run.err == ""


def test_every_shipped_criteria_file_validates(cli):
    files = sorted((ROOT / "criteria").glob("*.yaml"))
    if not files:
        pytest.skip("belum ada berkas kriteria")
    run = cli("validate", *files)
    assert run.code == 0, run
    assert run.out.count("OK ") == len(files)


def test_validate_bad_file_names_file_line_and_field(cli, tmp_path):
    text = MINI.read_text(encoding="utf-8").replace("weight: 25", "weight: 20")
    bad = tmp_path / "rusak.yaml"
    bad.write_text(text, encoding="utf-8")
    run = cli("validate", MINI, bad)
    assert run.code == 1
    assert f"OK {MINI}" in run.out
    assert "Berkas kriteria tidak valid" in run.err
    assert f"{bad}:" in run.err and "bobot dimensi berjumlah 95, harus 100" in run.err
    assert "1 dari 2 berkas tidak valid" in run.err


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("id: x\n  title: [\n", "sintaks YAML salah"),
        ("", "berkas kosong"),
        ("- a\n- b\n", "harus berupa pemetaan"),
    ],
)
def test_validate_broken_yaml(cli, tmp_path, text, needle):
    path = tmp_path / "k.yaml"
    path.write_text(text, encoding="utf-8")
    run = cli("validate", path)
    assert run.code == 1 and needle in run.err and "Traceback" not in run.err


def test_validate_missing_file_and_missing_argument(cli, tmp_path):
    run = cli("validate", tmp_path / "tidak-ada.yaml")
    assert run.code == 1 and "berkas tidak ditemukan" in run.err
    run = cli("validate")
    assert run.code == 2 and "argumen wajib belum diisi" in run.err


# ---- score: good input ----------------------------------------------------------------------------


def test_score_unit_table(cli, tmp_path):
    run = cli("score", "--criteria", MINI, "--answers", write(tmp_path, "u.yaml", UNIT))
    assert run.code == 0, run
    lines = run.out.splitlines()
    header = next(line for line in lines if line.startswith("Kode"))
    assert header.split() == ["Kode", "Unit", "Input", "Proses", "Output", "Total", "Kategori", "Zona", "Terjawab"]
    row = next(line for line in lines if line.startswith("U1"))
    assert row.split() == [
        "U1",
        "Unit",
        "Satu",
        "40.00",
        "35.00",
        "25.00",
        "100.00",
        "A",
        "Kualitas",
        "Tertinggi",
        "hijau",
        "4/4",
    ]
    assert "(maks.)" in run.out and "Wilayah" not in run.out


def test_score_unit_table_shows_the_path_to_the_next_band(cli, tmp_path):
    text = UNIT.replace("IN-02: 3", "IN-02: 0").replace("{2: 30}", "{1: 30}")
    run = cli("score", "--criteria", MINI, "--answers", write(tmp_path, "u.yaml", text))
    assert run.code == 0
    # 40*(4/4)/2... IN-02 lost 20 points, OU-01 half lost 12.5: 67.5 -> C; to B (78) needs IN-02
    assert "67.50" in run.out and "C Kualitas Sedang" in run.out and "kuning" in run.out
    assert "Menuju kategori B (78): naikkan 1 indikator ke nilai tertinggi: IN-02" in run.out


def test_score_region_table_and_json(cli, tmp_path):
    path = write(tmp_path, "r.yaml", REGION)
    run = cli("score", "--criteria", MINI, "--answers", path)
    assert run.code == 0, run
    assert "Wilayah: Kabupaten X (KAB-X)" in run.out
    for code in ("TOP", "MID", "LOW"):
        assert any(line.startswith(code) for line in run.out.splitlines())
    assert "Skor wilayah (rata-rata 3 unit):" in run.out
    assert "Catatan: jawaban belum lengkap untuk LOW" in run.out

    run = cli("score", "--criteria", MINI, "--answers", path, "--json")
    assert run.code == 0, run
    doc = json.loads(run.out)
    assert doc["criteria"]["id"] == "mini"
    units = {u["code"]: u for u in doc["units"]}
    assert units["TOP"]["total"] == 100.0 and units["TOP"]["category"]["code"] == "A"
    assert units["TOP"]["zone"] == "hijau" and units["TOP"]["next_category"] is None
    mid = units["MID"]
    assert mid["products"] == []
    assert {d["id"]: d["max"] for d in mid["dimensions"]} == {"input": 40.0, "proses": 35.0, "output": 25.0}
    ind = {i["id"]: i for i in mid["indicators"]}
    assert ind["IN-02"]["status"] == "na" and ind["IN-02"]["max_points"] == 0
    assert ind["IN-01"]["earned"] + ind["IN-01"]["lost"] == pytest.approx(ind["IN-01"]["max_points"])
    assert sum(i["earned"] for i in mid["indicators"]) == pytest.approx(mid["total"], abs=0.01)
    low = units["LOW"]
    assert low["zone"] == "merah" and low["complete"] is False
    assert low["next_category"]["code"] == "D"
    assert [p["indicator"] for p in low["path_to_next"]]  # a non-empty plan
    totals = [u["total"] for u in doc["units"]]
    assert doc["region"]["score"] == pytest.approx(round(sum(totals) / 3, 2))
    assert doc["region"]["units"] == 3 and doc["region"]["code"] == "KAB-X"
    assert doc["region"]["category"]["code"] in "ABCDE"


def test_score_json_answers_file(cli, tmp_path):
    path = tmp_path / "u.json"
    path.write_text(json.dumps({"unit": {"code": "U1", "name": "Satu"}, "answers": {"IN-02": "na", "IN-01": [1]}}))
    run = cli("score", "--criteria", MINI, "--answers", path, "--json")
    assert run.code == 0, run
    assert json.loads(run.out)["units"][0]["code"] == "U1"


def test_examples_score_against_ombudsman(cli, needs_ombudsman):
    unit = cli("score", "--criteria", needs_ombudsman, "--answers", ROOT / "examples" / "answers-unit.yaml")
    assert unit.code == 0, unit
    assert "DINSOS-SLRT" in unit.out
    region = cli("score", "--answers", ROOT / "examples" / "answers-region.yaml", "--json")  # default criteria
    assert region.code == 0, region
    doc = json.loads(region.out)
    assert {u["zone"] for u in doc["units"]} == {"hijau", "kuning", "merah"}
    assert all(u["complete"] for u in doc["units"])
    assert doc["region"]["name"] == "Kabupaten Sukamaju"


# ---- score: bad input ---------------------------------------------------------------------------


BAD_ANSWERS = {
    "syntax": (
        "unit: {code: U1, name: Satu}\nanswers:\n  IN-01: [3, 2\n  IN-02: 3\n",
        ["sintaks YAML salah", ".yaml:4"],
    ),
    "unknown-indicator": (
        "unit: {code: U1, name: Satu}\nanswers:\n  IN-02: 3\n  IN-77: 1\n",
        [".yaml:4:3", "unit U1: IN-77", "indikator 'IN-77' tidak ada di kriteria 'mini'"],
    ),
    "value-off-scale": (
        "unit: {code: U1, name: Satu}\nanswers:\n  IN-01: [3, 2, 7, 3]\n",
        [".yaml:3:17", "unit U1: IN-01/respondent:3", "nilai 7 di luar skala; pilih salah satu: 0, 1, 2, 3"],
    ),
    "na-not-allowed": (
        "unit: {code: U1, name: Satu}\nanswers:\n  PR-01: {A: na}\n",
        [".yaml:3", "unit U1: PR-01/product:A", "tidak boleh dijawab N/A"],
    ),
    "wrong-subject-form": (
        "region: {name: Kab}\nunits:\n  - code: U9\n    name: Sembilan\n    answers:\n      PR-01: 2\n",
        [".yaml:6:7", "unit U9: PR-01", "dijawab per produk layanan"],
    ),
    "respondent-as-number": (
        "unit: {code: U1, name: Satu}\nanswers:\n  OU-01: 2\n",
        [".yaml:3:3", "unit U1: OU-01", "dijawab per responden"],
    ),
    "neither-unit-nor-region": ("answers: {IN-02: 3}\n", ["kunci 'unit'", "'region'"]),
    "both-forms": ("unit: {code: U, name: U}\nregion: {name: R}\n", ["'unit' dan 'region' sekaligus"]),
    "unknown-key": (
        "unit: {code: U1, name: Satu}\nanswer:\n  IN-02: 3\n",
        [".yaml:2:1", "[answer]", "kunci tidak dikenal"],
    ),
    "missing-unit-name": ("unit: {code: U1}\n", [".yaml:1", "[unit.name]", "wajib diisi"]),
    "empty": ("", ["berkas kosong"]),
    "comments-only": ("# nanti diisi\n", ["tidak berisi data"]),
    "duplicate-key": ("unit: {code: U1, name: Satu}\nanswers:\n  IN-02: 3\n  IN-02: 0\n", [".yaml:4:3", "dua kali"]),
}


@pytest.mark.parametrize("case", BAD_ANSWERS)
def test_bad_answers_file_exit_1_with_located_message(cli, tmp_path, case):
    text, needles = BAD_ANSWERS[case]
    path = tmp_path / "jawaban.yaml"
    path.write_text(text, encoding="utf-8")
    run = cli("score", "--criteria", MINI, "--answers", path)
    assert run.code == 1, run
    assert run.out == ""
    assert run.err.startswith("Berkas jawaban tidak valid")
    assert str(path) in run.err
    for needle in needles:
        assert needle in run.err, (needle, run.err)
    assert "Traceback" not in run.err


def test_bad_json_answers_file_names_line(cli, tmp_path):
    path = tmp_path / "j.json"
    path.write_text('{"unit": {"code": "U1", "name": "Satu"},\n "answers": {"IN-02": 3,}}\n')
    run = cli("score", "--criteria", MINI, "--answers", path)
    assert run.code == 1 and f"{path}:2:" in run.err and "JSON tidak sah" in run.err


def test_binary_answers_file_and_missing_files(cli, tmp_path):
    path = tmp_path / "foto.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    run = cli("score", "--criteria", MINI, "--answers", path)
    assert run.code == 1 and "bukan berkas teks" in run.err
    run = cli("score", "--criteria", MINI, "--answers", tmp_path / "tidak-ada.yaml")
    assert run.code == 1 and "berkas tidak ditemukan" in run.err
    run = cli("score", "--criteria", tmp_path / "k.yaml", "--answers", path)
    assert run.code == 1 and "Berkas kriteria tidak valid" in run.err


def test_score_usage_errors_exit_2_in_indonesian(cli):
    run = cli("score", "--criteria", MINI)
    assert run.code == 2 and "argumen wajib belum diisi: --answers" in run.err and "pemakaian:" in run.err
    run = cli("nilai")
    assert run.code == 2 and "pilihan tidak dikenal" in run.err
    run = cli("score", "--answers", "x.yaml", "--tabel")
    assert run.code == 2 and "argumen tidak dikenal: --tabel" in run.err


def test_help_is_indonesian_and_exits_0(cli):
    run = cli("--help")
    assert run.code == 0 and "perintah" in run.out and "tampilkan bantuan ini" in run.out
    run = cli("score", "-h")
    assert run.code == 0 and "berkas jawaban" in run.out


# ---- unexpected faults --------------------------------------------------------------------------


def test_unexpected_exception_exit_3_without_traceback(cli, tmp_path, monkeypatch):
    def boom(args):
        raise RuntimeError("disk meledak")

    monkeypatch.setattr(score_cmd, "run", boom)
    run = cli("score", "--answers", tmp_path / "x.yaml")
    assert run.code == 3
    assert "Kesalahan tak terduga: RuntimeError: disk meledak" in run.err
    assert "KEPATUHAN_DEBUG=1" in run.err and "Traceback" not in run.err
    monkeypatch.setenv("KEPATUHAN_DEBUG", "1")
    run = cli("score", "--answers", tmp_path / "x.yaml")
    assert run.code == 3 and "Traceback" in run.err


def test_real_process_bad_answers_no_traceback(cli_process, tmp_path):
    path = tmp_path / "jawaban.yaml"
    path.write_text("unit: {code: U1, name: Satu}\nanswers:\n  IN-01: [9]\n", encoding="utf-8")
    run = cli_process("score", "--criteria", MINI, "--answers", path)
    assert run.code == 1
    assert f"{path}:3:" in run.err and "unit U1: IN-01/respondent:1" in run.err
    assert "Traceback" not in run.err

"""`kepatuhan export` and `kepatuhan import`: files written, latest period by default, clear Indonesian errors,
exit codes 0/1, and an import refused as a whole."""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from services.answering.evidence_files import blob_store
from services.ops.demo import seed_demo
from store import periods
from store.db import connect


@pytest.fixture(scope="module")
def cli_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("cli-demo")
    con = connect(root)
    seed_demo(con, blob_store(root))
    con.close()
    return root


@pytest.fixture
def demo_dir(cli_template: Path, _isolated_data_dir: Path) -> Path:
    shutil.copytree(cli_template, _isolated_data_dir, dirs_exist_ok=True)
    return _isolated_data_dir


def _periods(root: Path):
    con = connect(root)
    try:
        return periods.list_periods(con)
    finally:
        con.close()


def test_export_xlsx_of_the_whole_region_in_the_latest_period(cli, demo_dir, tmp_path):
    out = tmp_path / "rekap.xlsx"
    run = cli("export", "--format", "xlsx", "--out", out)
    assert run.code == 0, run.err
    assert "Ekspor xlsx dibuat" in run.out and "seluruh wilayah" in run.out
    wb = load_workbook(out)
    assert wb.sheetnames == ["Ringkasan", "Unit", "Jawaban", "Bukti", "Rencana Perbaikan"]
    latest = _periods(demo_dir)[0].name
    assert {r[0] for r in wb["Jawaban"].iter_rows(min_row=2, values_only=True)} == {latest}
    assert not list(tmp_path.glob(".rekap.xlsx.*"))  # no temporary file left behind


def test_export_pdf_of_one_unit_in_a_named_period(cli, demo_dir, tmp_path):
    past = next(p for p in _periods(demo_dir) if p.status == "closed")
    out = tmp_path / "rapor.pdf"
    run = cli("export", "--format", "pdf", "--out", out, "--unit", "DINSOS-SLRT", "--period", past.name)
    assert run.code == 0, run.err
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(out).pages).replace("—", "-").split())
    assert (
        "Dinas Sosial - Layanan SLRT" in text
    )  # '-' also where the core-font fallback has no em dash and past.name in text and "Rencana perbaikan" in text


def test_export_csv_and_template(cli, demo_dir, tmp_path):
    out = tmp_path / "jawaban.csv"
    assert cli("export", "--format", "csv", "--out", out).code == 0
    rows = list(csv.reader(io.StringIO(out.read_bytes().decode("utf-8-sig")), delimiter=";"))
    assert rows[0][3] == "kode_unit" and len(rows) > 100
    total = rows[0].index("nilai_total")
    assert any("," in r[total] for r in rows[1:])  # Indonesian by default: 63,02
    english = tmp_path / "answers.csv"
    assert cli("export", "--format", "csv", "--out", english, "--bahasa", "en").code == 0
    rows = list(csv.reader(io.StringIO(english.read_bytes().decode("utf-8-sig"))))
    assert rows[0][3] == "kode_unit" and any("." in r[total] for r in rows[1:])
    template = tmp_path / "isian.xlsx"
    run = cli("export", "--format", "template", "--out", template, "--unit", "DISDIK")
    assert run.code == 0 and "unit DISDIK" in run.out
    assert load_workbook(template).sheetnames == ["Petunjuk", "Jawaban", "Pilihan"]


def test_import_a_filled_template(cli, demo_dir, tmp_path):
    template = tmp_path / "isian.xlsx"
    assert cli("export", "--format", "template", "--out", template, "--unit", "DINSOS-SLRT").code == 0
    wb = load_workbook(template)
    ws = wb["Jawaban"]
    col = {c.value: c.column for c in ws[1]}
    blanks = [r for r in ws.iter_rows(min_row=2) if r[col["Nilai"] - 1].value is None]
    blanks = [r for r in blanks if not r[col["Subjek"] - 1].value.startswith("tally:")][:3]
    for r in blanks:
        r[col["Nilai"] - 1].value = 2
    wb.save(template)
    run = cli("import", template)
    assert run.code == 0, run.err
    assert f"{len(blanks)} jawaban disimpan di 1 unit" in run.out
    assert cli("import", template).out.count("0 jawaban disimpan") == 1


def test_import_refuses_a_bad_file_with_row_level_messages(cli, demo_dir, tmp_path):
    template = tmp_path / "isian.xlsx"
    assert cli("export", "--format", "template", "--out", template, "--unit", "DUKCAPIL").code == 0
    wb = load_workbook(template)
    ws = wb["Jawaban"]
    ws["I2"] = 9
    ws["E3"] = "ZZ-01"
    wb.save(template)
    run = cli("import", template)
    assert run.code == 1
    assert "ditolak (2 masalah)" in run.err and "tidak ada jawaban yang disimpan" in run.err
    assert "lembar 'Jawaban', baris 2: nilai 9 di luar skala" in run.err
    assert "lembar 'Jawaban', baris 3: indikator 'ZZ-01' tidak ada" in run.err
    not_excel = tmp_path / "catatan.xlsx"
    not_excel.write_text("bukan excel", encoding="utf-8")
    run = cli("import", not_excel)
    assert run.code == 1 and "bukan Excel .xlsx" in run.err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["export", "--format", "xlsx", "--out", "{tmp}/x.pdf"], "ditulis ke berkas .xlsx"),
        (["export", "--format", "pdf", "--out", "{tmp}/tidak/ada/r.pdf"], "tidak ada; buat dulu foldernya"),
        (["export", "--format", "csv", "--out", "{tmp}/r.csv", "--period", "Penilaian 1990"], "Periode yang ada"),
        (["export", "--format", "pdf", "--out", "{tmp}/r.pdf", "--unit", "TIDAK-ADA"], "tidak ditemukan"),
        (["import", "{tmp}/tidak-ada.xlsx"], "tidak ditemukan"),
    ],
)
def test_clear_errors_and_exit_code_1(cli, demo_dir, tmp_path, args, message):
    run = cli(*[a.format(tmp=tmp_path) for a in args])
    assert run.code == 1 and message in run.err, run
    assert "Traceback" not in run.err


def test_no_database_yet(cli, tmp_path):
    run = cli("export", "--format", "xlsx", "--out", tmp_path / "r.xlsx")
    assert run.code == 1 and "Belum ada database" in run.err


def test_the_real_command_line(cli_process, demo_dir, tmp_path):
    out = tmp_path / "rekap.pdf"
    run = cli_process("export", "--format", "pdf", "--out", out, env={"KEPATUHAN_DATA_DIR": str(demo_dir)})
    assert run.code == 0, run.err
    assert out.read_bytes().startswith(b"%PDF")
    usage = cli_process("export", "--format", "docx", "--out", out)
    assert usage.code == 2 and "pilihan tidak dikenal" in usage.err

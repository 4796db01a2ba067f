"""Gates and label families in the Excel workbook and the PDF rapor, with the recorded follow-up fact."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from assessment import load_criteria
from services.access import Actor
from services.catalog import CRITERIA_DIR, register_file
from services.exchange.formats import export_file
from services.region import standings
from services.region.data import score_period
from store import assessments, periods, units
from store.db import connect, transaction

ADMIN = Actor(username="ortala", role="admin")
FACT = "tindak_lanjut_produk_ombudsman"


@pytest.fixture
def con(demo_copy: Path):
    root = demo_copy
    c = connect(root)
    yield c
    c.close()


def seed_period(con, criteria_file: str, answers: dict[str, float]) -> int:
    criteria = load_criteria(CRITERIA_DIR / criteria_file)
    sha = register_file(con, CRITERIA_DIR / criteria_file)
    today = dt.date.today()
    with transaction(con):
        pid = periods.add_period(con, name=f"Uji {criteria.id}", year=today.year + 1, criteria_sha256=sha)
        for code, level in answers.items():
            row = assessments.get_or_create(con, period_id=pid, unit_id=units.unit_by_code(con, code=code).id)
            for ind in criteria.indicators_by_id().values():
                respondent = ind.subject.kind == "respondent"
                assessments.put_answer(
                    con, assessment_id=row.id, indicator_id=ind.id,
                    subject=f"tally:{level:g}" if respondent else "unit", value=level,
                    count=30 if respondent else 1, actor="uji", at=dt.datetime.now(),
                )  # fmt: skip
    return pid


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_zi_workbook_and_pdf_show_results_and_failing_gates(con):
    pid = seed_period(con, "zi-lke-2021.yaml", {"DINSOS-SLRT": 3, "DISDIK": 4})
    wb = load_workbook(io.BytesIO(export_file(con, ADMIN, "xlsx", period_id=pid).data))
    assert "Predikat & Label" in wb.sheetnames
    rows = list(wb["Predikat & Label"].iter_rows(values_only=True))
    assert any("Predikat Zona Integritas" in (r[0] or "") for r in rows[:4])
    header = next(r for r in rows if r and r[0] == "Kode unit")
    body = {r[0]: dict(zip(header, r, strict=False)) for r in rows[rows.index(header) + 1 :]}
    assert body["DISDIK"]["Predikat"] == "Wilayah Birokrasi Bersih dan Melayani (WBBM)"
    dinsos = body["DINSOS-SLRT"]
    assert dinsos["Predikat"] == "Belum memenuhi syarat WBK"
    assert "Survei persepsi anti korupsi ≥ 15,75 (indeks 3,60)" in dinsos["Syarat yang belum terpenuhi (dan jaraknya)"]
    assert "kurang 2,63" in dinsos["Syarat yang belum terpenuhi (dan jaraknya)"]
    plan = list(wb["Rencana Perbaikan"].iter_rows(values_only=True))
    assert any(r and "ZI-H-IPAK" in r for r in plan)  # the plan leads to WBK, through the surveys
    unit_pdf = pdf_text(export_file(con, ADMIN, "pdf", period_id=pid, unit_code="DINSOS-SLRT").data)
    assert "Predikat dan label" in unit_pdf
    assert "Untuk mencapai Wilayah Bebas dari Korupsi (WBK) (semua syaratnya terpenuhi)" in unit_pdf
    region_pdf = pdf_text(export_file(con, ADMIN, "pdf", period_id=pid).data)
    assert "Predikat Zona Integritas: Wilayah Birokrasi Bersih dan Melayani (WBBM): 1 unit" in region_pdf


def test_opini_exports_show_both_families_and_the_recorded_suffix(con, monkeypatch):
    pid = seed_period(con, "opini-2025.yaml", {"DINSOS-SLRT": 3, "DISDIK": 2})
    recorded = {units.unit_by_code(con, code="DINSOS-SLRT").id: {FACT: True}}
    monkeypatch.setattr(standings, "recorded_facts", lambda con, *, period_id, unit_id: recorded.get(unit_id, {}))
    wb = load_workbook(io.BytesIO(export_file(con, ADMIN, "xlsx", period_id=pid).data))
    rows = list(wb["Predikat & Label"].iter_rows(values_only=True))
    # Disdik has nothing recorded: the region's suffix stays undetermined (mean 83.33: Opini Kualitas Tinggi)
    wanted = "(label wilayah): Opini Kualitas Tinggi — akhiran 'Tanpa Maladministrasi' belum ditentukan"
    assert any(wanted in (r[0] or "") for r in rows)
    header = next(r for r in rows if r and r[0] == "Kode unit")
    body = {r[0]: dict(zip(header, r, strict=False)) for r in rows[rows.index(header) + 1 :]}
    assert body["DINSOS-SLRT"]["Label unit"] == "Kualitas Pelayanan Sangat Baik"
    assert body["DINSOS-SLRT"]["Label entitas pada nilai ini"] == "Opini Kualitas Tertinggi Tanpa Maladministrasi"
    assert body["DISDIK"]["Label unit"] == "Kualitas Pelayanan Cukup"
    assert "belum ditentukan" in body["DISDIK"]["Akhiran"]
    recorded[units.unit_by_code(con, code="DISDIK").id] = {FACT: True}
    text = " ".join(pdf_text(export_file(con, ADMIN, "pdf", period_id=pid).data).split())
    assert "Opini Kualitas Tinggi Tanpa Maladministrasi" in text


def test_pemda_record_decides_over_its_units(con, monkeypatch):
    pid = seed_period(con, "opini-2025.yaml", {"DINSOS-SLRT": 3})
    pemda = con.execute("SELECT id FROM org_units WHERE kind = 'pemda'").fetchone()[0]
    monkeypatch.setattr(
        standings, "recorded_facts", lambda con, *, period_id, unit_id: {FACT: False} if unit_id == pemda else {}
    )
    st = standings.period_standings(con, score_period(con, ADMIN, period_id=pid))
    entity = next(lab for lab in st.region_labels if lab.applies_to == "entity")
    assert entity.suffix.state == "tidak"


def test_criteria_without_gates_or_families_add_nothing(con):
    wb = load_workbook(io.BytesIO(export_file(con, ADMIN, "xlsx").data))
    assert "Predikat & Label" not in wb.sheetnames


def _csv_rows(con, pid: int) -> dict[str, dict[str, str]]:
    text = export_file(con, ADMIN, "csv", period_id=pid).data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    return {r[rows[0].index("kode_unit")]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}


def test_answers_csv_carries_the_result_and_the_unit_label(con):
    zi = _csv_rows(con, seed_period(con, "zi-lke-2021.yaml", {"DINSOS-SLRT": 3, "DISDIK": 4}))
    assert zi["DINSOS-SLRT"]["predikat"] == "Belum memenuhi syarat WBK"
    assert zi["DISDIK"]["predikat"] == "Wilayah Birokrasi Bersih dan Melayani (WBBM)"
    opini = _csv_rows(con, seed_period(con, "opini-2025.yaml", {"DINSOS-SLRT": 3, "DISDIK": 2}))
    assert opini["DINSOS-SLRT"]["label_unit"] == "Kualitas Pelayanan Sangat Baik"
    assert opini["DISDIK"]["label_unit"] == "Kualitas Pelayanan Cukup" and opini["DISDIK"]["predikat"] == ""

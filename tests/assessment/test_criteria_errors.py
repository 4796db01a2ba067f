"""Malformed criteria files: each gives one CriteriaError naming file, line and field path, in Indonesian.

A case is a small edit of a valid text. `# <-` marks the line the problem must be reported on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from assessment import CriteriaError, load_criteria, parse_criteria

SOURCE = "kriteria-contoh.yaml"

VALID = """\
id: contoh
version: "1"
title: Kriteria contoh
dimensions:
  - id: D1
    title: Dimensi satu
    weight: 60
    variables:
      - {id: V1, title: Variabel satu}
    indicators:
      - id: I1
        question: Apakah papan informasi terpasang?
        method: observasi
        variable: V1
        options:
          - {value: 0, label: Tidak, meaning: Tidak ada papan informasi.}
          - {value: 1, label: Ada, meaning: Papan informasi terpasang dan terbaca.}
        evidence:
          hint: Foto papan informasi
          required_from: 1
      - id: I1b
        question: Apakah alur pelayanan dipajang?
        method: observasi
        options:
          - {value: 0, label: Tidak, meaning: Tidak ada bagan alur.}
          - {value: 1, label: Ada, meaning: Bagan alur terpajang.}
  - id: D2
    title: Dimensi dua
    weight: 40
    indicators:
      - id: I2
        question: Apakah petugas tahu standar pelayanan?
        method: wawancara
        subject: {kind: respondent, expected: 4, label: petugas}
        options:
          - {value: 0, label: Tidak tahu, meaning: Tidak dapat menyebutkan.}
          - {value: 3, label: Tahu, meaning: Menyebutkan semua komponen.}
bands:
  - {code: A, label: Baik, min: 50, max: 100, colour: "#1a7f37"}
  - {code: B, label: Buruk, min: 0, max: 49.99, colour: "#c62828"}
"""

COMPOSITE = """\
composite:
  groups:
    - {id: G1, title: Kelompok satu, weight: 70, dimensions: [D1]}
    - {id: G2, title: Kelompok dua, weight: 30, dimensions: [D2]}
  suffix: {text: Tanpa Maladministrasi, indicator: I1, min_value: 1}
"""

ENGLISH = (
    "Input should",
    "Field required",
    "Extra inputs",
    "Value error",
    "String should",
    "valid number",
    " or ",
    "but got",
)


def edit(*pairs: tuple[str, str], base: str = VALID) -> str:
    text = base
    for old, new in pairs:
        assert text.count(old) == 1, f"not exactly once in the base text: {old!r}"
        text = text.replace(old, new)
    return text


def with_composite(*pairs: tuple[str, str]) -> str:
    weights = edit(("    weight: 60\n", "    weight: 100\n"), ("    weight: 40\n", "    weight: 100\n"))
    return edit(*pairs, base=weights.replace("bands:\n", COMPOSITE + "bands:\n"))


@dataclass
class Expect:
    """One expected problem: a fragment of its message, its field path, and whether it has a line."""

    message: str
    path: str = ""
    located: bool = True


@dataclass
class Case:
    id: str
    text: str
    problems: list[Expect] = field(default_factory=list)


CASES = [
    Case(
        "yaml-colon-in-plain-text",
        edit(("    title: Dimensi dua\n", "    title: Dimensi dua: proses  # <-\n")),
        [Expect("sintaks YAML salah: ada ': ' di tempat yang tidak boleh; beri tanda kutip")],
    ),
    Case(
        "yaml-unclosed-bracket",  # reported where the parser notices, the line after the bracket
        edit(("    title: Dimensi dua\n    weight: 40\n", "    title: [Dimensi dua\n    weight: 40  # <-\n")),
        [Expect("sintaks YAML salah: daftar [...] belum ditutup")],
    ),
    Case(
        "yaml-tab-indentation",
        edit(("    weight: 40\n", "\tweight: 40  # <-\n")),
        [Expect("sintaks YAML salah: karakter tab tidak boleh; gunakan spasi")],
    ),
    Case(
        "yaml-inconsistent-indentation",
        edit(("    weight: 40\n", "     weight: 40  # <-\n")),
        [Expect("sintaks YAML salah")],
    ),
    Case(
        "unknown-top-level-key",
        edit(("title: Kriteria contoh\n", "title: Kriteria contoh\ntitel: salah ketik  # <-\n")),
        [Expect("kunci tidak dikenal", "titel")],
    ),
    Case(
        "misspelt-key-in-indicator",
        edit(("        question: Apakah alur", "        questoin: Apakah alur")),  # unknown + missing
        [
            Expect("wajib diisi", "dimensions[0].indicators[1].question"),
            Expect("kunci tidak dikenal", "dimensions[0].indicators[1].questoin"),
        ],
    ),
    Case(
        "duplicate-indicator-id",
        edit(("      - id: I2\n", "      - id: I1  # <-\n")),
        [Expect("id 'I1' ganda; sudah dipakai di dimensions[0].indicators[0].id", "dimensions[1].indicators[0].id")],
    ),
    Case(
        "duplicate-yaml-key",
        edit(("    weight: 40\n", "    weight: 40\n    weight: 45  # <-\n")),
        [Expect("kunci 'weight' muncul dua kali", "dimensions[1].weight")],
    ),
    Case(
        "dimension-weights-not-100",
        edit(("    weight: 40\n", "    weight: 30\n")).replace("dimensions:\n", "dimensions:  # <-\n", 1),
        [Expect("bobot dimensi berjumlah 90, harus 100", "dimensions")],
    ),
    Case(
        "indicator-weights-partly-given",
        edit(
            (
                "        method: observasi\n        variable: V1\n",
                "        method: observasi\n        variable: V1\n        weight: 60\n",
            )
        ).replace("      - id: I1b\n", "      - id: I1b  # <-\n"),
        [Expect("diisi semua atau tidak sama sekali; 'I1b' belum diberi bobot", "dimensions[0].indicators[1].weight")],
    ),
    Case(
        "indicator-weights-not-100",
        edit(
            (
                "        method: observasi\n        variable: V1\n",
                "        method: observasi\n        variable: V1\n        weight: 60\n",
            ),
            (
                "      - id: I1b\n        question: Apakah alur pelayanan dipajang?\n",
                "      - id: I1b\n        question: Apakah alur pelayanan dipajang?\n        weight: 30\n",
            ),
            ("    indicators:\n      - id: I1\n", "    indicators:  # <-\n      - id: I1\n"),
        ),
        [Expect("bobot indikator dimensi 'D1' berjumlah 90, harus 100", "dimensions[0].indicators")],
    ),
    Case(
        "bands-gap",
        edit(
            ('min: 50, max: 100, colour: "#1a7f37"}', 'min: 50, max: 100, colour: "#1a7f37"}  # <-'),
            ("max: 49.99", "max: 40"),
        ),
        [Expect("ada celah antara band 'B' (40) dan 'A' (50); 'A' harus mulai di 40.01", "bands[0].min")],
    ),
    Case(
        "bands-overlap",
        edit(
            ('min: 50, max: 100, colour: "#1a7f37"}', 'min: 50, max: 100, colour: "#1a7f37"}  # <-'),
            ("max: 49.99", "max: 60"),
        ),
        [Expect("band 'B' dan 'A' tumpang tindih (60 ≥ 50)", "bands[0].min")],
    ),
    Case(
        "band-not-reaching-the-top",
        edit(('min: 50, max: 100, colour: "#1a7f37"}', 'min: 50, max: 90, colour: "#1a7f37"}  # <-')),
        [Expect("band tertinggi 'A' berakhir di 90, bukan 100", "bands[0].max")],
    ),
    Case(
        "bands-gap-and-bottom-missing",  # two problems in one rule, both reported
        edit(("max: 49.99", "max: 40"), ("min: 0, max: 40", "min: 10, max: 40")),
        [
            Expect("band terendah 'B' mulai di 10, bukan 0", "bands[1].min"),
            Expect("ada celah antara band 'B'", "bands[0].min"),
        ],
    ),
    Case(
        "evidence-threshold-not-an-option",
        edit(("          required_from: 1\n", "          required_from: 2  # <-\n")),
        [
            Expect(
                "evidence.required_from=2 bukan nilai pilihan jawaban (0, 1)",
                "dimensions[0].indicators[0].evidence.required_from",
            )
        ],
    ),
    Case(
        "weight-not-a-number",
        edit(("    weight: 60\n", "    weight: enam puluh  # <-\n")),
        [Expect("harus berupa angka", "dimensions[0].weight")],
    ),
    Case(
        "expected-not-an-integer",
        edit(("expected: 4, label: petugas}", "expected: 4.5, label: petugas}  # <-")),
        [Expect("harus berupa bilangan bulat", "dimensions[1].indicators[0].subject.expected")],
    ),
    Case(
        "options-not-a-list",
        edit(
            (
                "        options:\n          - {value: 0, label: Tidak tahu, meaning: Tidak dapat menyebutkan.}\n"
                "          - {value: 3, label: Tahu, meaning: Menyebutkan semua komponen.}\n",
                "        options: 0-3  # <-\n",
            )
        ),
        [Expect("harus berupa daftar", "dimensions[1].indicators[0].options")],
    ),
    Case("empty-file", "", [Expect("berkas kosong", located=False)]),
    Case("whitespace-only", "  \n\n\t\n", [Expect("berkas kosong", located=False)]),
    Case("comments-only", "# kriteria belum ditulis\n# nanti\n", [Expect("hanya komentar", located=False)]),
    Case("list-at-top-level", "- id: contoh\n- id: lain\n", [Expect("harus berupa pemetaan", located=False)]),
    Case("scalar-at-top-level", "kriteria ombudsman\n", [Expect("harus berupa pemetaan", located=False)]),
    Case(
        "missing-required-fields",
        edit(("title: Kriteria contoh\n", "")).split("bands:")[0],
        [Expect("wajib diisi", "title", located=True), Expect("wajib diisi", "bands", located=True)],
    ),
    Case(
        "unknown-method",
        edit(("        method: wawancara\n", "        method: survey  # <-\n")),
        [
            Expect(
                "nilai tidak diizinkan; pilih salah satu: 'observasi', 'wawancara', 'dokumen' atau 'survei'",
                "dimensions[1].indicators[0].method",
            )
        ],
    ),
    Case(
        "respondent-without-expected",
        edit(
            (
                "subject: {kind: respondent, expected: 4, label: petugas}",
                "subject: {kind: respondent, label: petugas}  # <-",
            )
        ),
        [Expect("subjek 'respondent' wajib menyebut 'expected'", "dimensions[1].indicators[0].subject.expected")],
    ),
    Case(
        "unit-subject-with-expected",
        edit(
            (
                "        method: observasi\n        variable: V1\n",
                "        method: observasi\n        variable: V1\n        subject: {kind: unit, expected: 3}  # <-\n",
            )
        ),
        [Expect("subjek 'unit' hanya punya satu jawaban", "dimensions[0].indicators[0].subject.expected")],
    ),
    Case(
        "unknown-subject-kind",
        edit(("subject: {kind: respondent,", "subject: {kind: responden,  # <-\n          ")).replace(
            "  # <-\n           expected", " expected"
        ),
        [Expect("nilai tidak diizinkan", "dimensions[1].indicators[0].subject.kind")],
    ),
    Case(
        "composite-group-names-unknown-dimension",
        with_composite(("dimensions: [D2]}", "dimensions: [D3]}  # <-")),
        [
            Expect("kelompok 'G2' menyebut dimensi 'D3' yang tidak ada", "composite.groups[1].dimensions[0]"),
            Expect("dimensi 'D2' tidak masuk kelompok composite mana pun", "dimensions[1].id"),
        ],
    ),
    Case(
        "composite-group-weights-not-100",
        with_composite(("weight: 30, dimensions: [D2]}", "weight: 20, dimensions: [D2]}")).replace(
            "  groups:\n", "  groups:  # <-\n"
        ),
        [Expect("bobot kelompok composite berjumlah 90, harus 100", "composite.groups")],
    ),
    Case(
        "suffix-names-unknown-indicator",
        with_composite(("indicator: I1, min_value: 1}", "indicator: I9, min_value: 1}  # <-")),
        [Expect("suffix menyebut indikator 'I9' yang tidak ada", "composite.suffix.indicator")],
    ),
    Case(
        "suffix-min-value-not-an-option",
        with_composite(("indicator: I1, min_value: 1}", "indicator: I1, min_value: 2}  # <-")),
        [Expect("suffix.min_value=2 bukan nilai pilihan 'I1'", "composite.suffix.min_value")],
    ),
    Case(
        "duplicate-option-values",
        edit(
            (
                "- {value: 1, label: Ada, meaning: Bagan alur terpajang.}",
                "- {value: 0, label: Ada, meaning: Bagan alur terpajang.}  # <-",
            )
        ),
        [Expect("nilai pilihan 0 sudah dipakai oleh options[0]", "dimensions[0].indicators[1].options[1].value")],
    ),
    Case(
        "bad-colour",
        edit(('max: 49.99, colour: "#c62828"}', "max: 49.99, colour: merah}  # <-")),
        [Expect("format tidak sesuai", "bands[1].colour")],
    ),
    Case(
        "unknown-variable",
        edit(("        variable: V1\n", "        variable: V2  # <-\n")),
        [Expect("indikator 'I1' menyebut variabel 'V2' yang tidak ada", "dimensions[0].indicators[0].variable")],
    ),
    Case(
        "duplicate-band-code",
        edit(("- {code: B, label: Buruk,", "- {code: A, label: Buruk,  # <-\n     ")).replace(
            "  # <-\n      label", " label"
        ),
        [Expect("kode band 'A' ganda; sudah dipakai di bands[0]", "bands[1].code")],
    ),
    Case(
        "band-min-above-max",
        edit(("min: 0, max: 49.99", "min: 49.99, max: 0")).replace("  - {code: B,", "  - {code: B,", 1),
        [Expect("band 'B': min 49.99 lebih besar dari max 0", "bands[1].min")],
    ),
    Case(
        "scale-min-not-below-max",
        edit(("title: Kriteria contoh\n", "title: Kriteria contoh\nscale: {min: 100, max: 100}  # <-\n")),
        [Expect("scale.min harus lebih kecil dari scale.max", "scale.min")],
    ),
    Case(
        "bad-identifier",
        edit(("      - id: I1b\n", "      - id: I 1b  # <-\n")),
        [Expect("format tidak sesuai", "dimensions[0].indicators[1].id")],
    ),
    Case(
        "three-problems-at-once",
        edit(
            ("    weight: 60\n", "    weight: banyak  # <-\n"),
            ("        method: wawancara\n", "        method: telepon\n"),
            ('max: 49.99, colour: "#c62828"}', "max: 49.99, colour: red}"),
        ),
        [
            Expect("harus berupa angka", "dimensions[0].weight"),
            Expect("nilai tidak diizinkan", "dimensions[1].indicators[0].method"),
            Expect("format tidak sesuai", "bands[1].colour"),
        ],
    ),
    Case(
        "three-cross-field-problems-at-once",  # every named rule runs; all its problems are listed
        edit(
            ("    weight: 40\n", "    weight: 30\n"),
            ("      - id: I2\n", "      - id: I1\n"),
            ("max: 49.99", "max: 45"),
        ),
        [
            Expect("id 'I1' ganda", "dimensions[1].indicators[0].id"),
            Expect("bobot dimensi berjumlah 90", "dimensions"),
            Expect("ada celah antara band 'B'", "bands[0].min"),
        ],
    ),
]


def marked_line(text: str) -> int | None:
    lines = [n for n, line in enumerate(text.splitlines(), 1) if "# <-" in line]
    return lines[0] if lines else None


def test_the_valid_base_text_loads():
    criteria = parse_criteria(VALID, SOURCE)
    assert [d.id for d in criteria.dimensions] == ["D1", "D2"]
    composite = parse_criteria(with_composite(), SOURCE)
    assert composite.composite.suffix.indicator == "I1"


def test_there_are_enough_cases():
    assert len(CASES) >= 22


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_malformed_criteria(case: Case):
    with pytest.raises(CriteriaError) as caught:
        parse_criteria(case.text, SOURCE)
    error = caught.value
    message = str(error)
    assert message.startswith(f"Berkas kriteria tidak valid ({len(case.problems)} masalah):"), message
    assert len(error.problems) == len(case.problems), message
    for expect in case.problems:
        matching = [p for p in error.problems if expect.message in p.message and p.path == expect.path]
        assert matching, f"expected {expect} in:\n{message}"
        problem = matching[0]
        assert problem.source == SOURCE
        if expect.path:
            assert f"[{expect.path}]" in str(problem)
        if expect.located:
            assert problem.line is not None, str(problem)
            assert str(problem).startswith(f"{SOURCE}:{problem.line}:")
        else:
            assert str(problem).startswith(f"{SOURCE}: ") or str(problem).startswith(f"{SOURCE}:1")
    marked = marked_line(case.text)
    if marked is not None:
        assert error.problems[0].line == marked or any(p.line == marked for p in error.problems), message
        assert f"{SOURCE}:{marked}:" in message
    for english in ENGLISH:
        assert english not in message, message


def test_error_lists_every_problem_on_its_own_line():
    text = CASES[-2].text
    with pytest.raises(CriteriaError) as caught:
        parse_criteria(text, SOURCE)
    lines = str(caught.value).splitlines()
    assert len(lines) == 1 + 3
    assert all(line.startswith(f"  - {SOURCE}:") for line in lines[1:])


# ---- files on disk: binary, encoding, JSON, missing ----


def test_binary_file(tmp_path: Path):
    path = tmp_path / "gambar.yaml"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    with pytest.raises(CriteriaError) as caught:
        load_criteria(path)
    assert str(path) in str(caught.value)
    assert "bukan berkas teks" in str(caught.value)
    assert len(caught.value.problems) == 1


def test_non_utf8_file(tmp_path: Path):
    path = tmp_path / "latin1.yaml"
    path.write_bytes(
        VALID.replace("Kriteria contoh", "Kriteria contoh \u2013 p\u00e9rcobaan").encode("latin-1", "replace")
    )
    with pytest.raises(CriteriaError) as caught:
        load_criteria(path)
    assert str(path) in str(caught.value)
    assert "bukan teks UTF-8" in str(caught.value)


def test_json_file_with_syntax_error(tmp_path: Path):
    path = tmp_path / "kriteria.json"
    path.write_text(
        '{\n  "id": "contoh",\n  "version": "1",\n  "title": "x",,\n  "dimensions": []\n}\n', encoding="utf-8"
    )
    with pytest.raises(CriteriaError) as caught:
        load_criteria(path)
    problem = caught.value.problems[0]
    assert "JSON tidak sah" in problem.message
    assert problem.line == 4
    assert str(caught.value).count(f"{path}:4:") == 1


def test_valid_json_file_loads(tmp_path: Path):
    import json

    import yaml

    path = tmp_path / "kriteria.json"
    path.write_text(json.dumps(yaml.safe_load(VALID), ensure_ascii=False, indent=2), encoding="utf-8")
    assert load_criteria(path).id == "contoh"


def test_json_file_with_model_error_names_its_line(tmp_path: Path):
    path = tmp_path / "kriteria.json"
    text = VALID.replace("    weight: 60\n", "    weight: 61\n")
    import json

    import yaml

    path.write_text(json.dumps(yaml.safe_load(text), indent=2), encoding="utf-8")
    with pytest.raises(CriteriaError) as caught:
        load_criteria(path)
    problem = caught.value.problems[0]
    assert problem.path == "dimensions"
    assert problem.line == 5  # '"dimensions": [' is the 5th line of the pretty-printed JSON


def test_missing_file(tmp_path: Path):
    path = tmp_path / "tidak-ada.yaml"
    with pytest.raises(CriteriaError) as caught:
        load_criteria(path)
    assert str(path) in str(caught.value)
    assert "tidak ditemukan" in str(caught.value)


def test_directory_instead_of_file(tmp_path: Path):
    with pytest.raises(CriteriaError) as caught:
        load_criteria(tmp_path)
    assert "folder" in str(caught.value)


def test_utf8_with_bom_is_accepted(tmp_path: Path):
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + VALID.encode("utf-8"))
    assert load_criteria(path).id == "contoh"

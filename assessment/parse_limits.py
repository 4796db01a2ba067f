"""Limits of every parser: what a criteria, answers or region file, a workbook or a tally may hold.

Each limit sits well above what a real file holds (the largest criteria file in criteria/ has a few thousand
YAML nodes; a region of 300 units answering 60 indicators has about 60,000; lists hold tens to hundreds
of items) and far below what takes the machine down: a file past one of them is refused within a few seconds,
with one Indonesian message naming the file (and the line), before anything is built from it. The YAML, answers
and region loaders in assessment/ and the workbook import in services/ take their limits from here.
"""

from __future__ import annotations

import yaml

from assessment.errors import Problem

MAX_TEXT_BYTES = 8 * 1024 * 1024  # a YAML / JSON criteria or answers file
MAX_NODES = 100_000  # YAML nodes after alias expansion (a billion-laughs file expands to billions)
MAX_LIST_ITEMS = 5_000  # items of one list: respondents are listed up to the hundreds, larger surveys tallied
MAX_ALIASES = 2_000  # *alias uses; criteria files use a few dozen to share option lists
MAX_DEPTH = 64  # nesting of lists and mappings
MAX_SCALAR_CHARS = 20_000  # one text value (a question with its guidance is a few hundred characters)
MAX_DIGITS = 30  # digits in one number: scores, weights, counts and years need far fewer
MAX_REGION_UNITS = 2_000  # units in one region answers file (a kabupaten has tens to a few hundred)
MAX_RESPONDENTS = 100_000  # respondents of one indicator, as a list or as a tally's total
MAX_SHEET_ROWS = 100_000  # rows of the answer sheet of an imported workbook
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024  # an .xlsx is a zip; its members unpacked, together

_LoaderBase = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _mb(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} MB"


def text_size_problem(size: int, source: str) -> Problem | None:
    if size > MAX_TEXT_BYTES:
        return Problem(
            source,
            f"berkas terlalu besar ({size / (1024 * 1024):.1f} MB; batasnya {_mb(MAX_TEXT_BYTES)}); "
            "pecah per unit atau periksa apakah ini berkas yang benar",
        )
    return None


def scan_yaml(text: str, source: str) -> Problem | None:
    """Walk the YAML events once, cheaply, before anything is built; the first limit passed is the problem.

    Counts nodes with their aliases expanded (an alias repeats everything its anchor holds), nesting depth,
    alias uses, and the length of text and numbers. Syntax errors are left to the real parse.
    """
    loader = _LoaderBase(text)
    sizes: dict[str, int] = {}  # anchor -> expanded node count of what it names
    open_at: list[list] = []  # open collections: [anchor, node count when opened, is a list, items so far]
    total = 0
    aliases = 0
    try:
        while loader.check_event():
            event = loader.get_event()
            line = event.start_mark.line + 1 if event.start_mark else None
            problem = None
            starts_item = isinstance(event, (yaml.AliasEvent, yaml.ScalarEvent, yaml.CollectionStartEvent))
            if starts_item and open_at and open_at[-1][2]:
                open_at[-1][3] += 1
                if open_at[-1][3] > MAX_LIST_ITEMS:
                    return Problem(
                        source,
                        f"daftar yang dimulai di baris ini berisi lebih dari {_dots(MAX_LIST_ITEMS)} butir; untuk "
                        "survei besar tulis rekapnya sebagai {tally: {nilai: jumlah}}, untuk wilayah besar pecah "
                        "berkasnya",
                        line=open_at[-1][4],
                    )
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    return Problem(source, f"lebih dari {MAX_ALIASES} alias (*nama); sederhanakan berkasnya", line=line)
                total += sizes.get(event.anchor or "", 1)
            elif isinstance(event, yaml.ScalarEvent):
                problem = _scalar_problem(event, source, line)
                total += 1
                if event.anchor:
                    sizes[event.anchor] = 1
            elif isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
                open_at.append([event.anchor, total, isinstance(event, yaml.SequenceStartEvent), 0, line])
                total += 1
                if len(open_at) > MAX_DEPTH:
                    return Problem(source, f"bersarang lebih dari {MAX_DEPTH} tingkat; periksa indentasinya", line=line)
            elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
                anchor, start, *_ = open_at.pop()
                if anchor:
                    sizes[anchor] = total - start
            if problem is not None:
                return problem
            if total > MAX_NODES:
                return Problem(
                    source,
                    f"berkas memuat lebih dari {_dots(MAX_NODES)} simpul YAML (termasuk yang diulang lewat alias "
                    "*nama); berkas sebesar ini tidak mungkin benar — periksa alias dan panjang daftarnya",
                    line=line,
                )
    except yaml.YAMLError:
        return None  # the real parse reports syntax errors with their line
    finally:
        loader.dispose()
    return None


def _dots(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _scalar_problem(event: yaml.ScalarEvent, source: str, line: int | None) -> Problem | None:
    value = event.value
    if len(value) > MAX_SCALAR_CHARS:
        return Problem(source, f"satu nilai teks lebih dari {_dots(MAX_SCALAR_CHARS)} karakter", line=line)
    if event.implicit[0] and len(value) > MAX_DIGITS:
        digits = sum(ch.isdigit() for ch in value)
        if digits > MAX_DIGITS and digits >= len(value.strip("+-_.eE ")) - 2:
            return Problem(
                source, f"angka dengan {digits} digit; angka di berkas ini paling banyak {MAX_DIGITS} digit", line=line
            )
    return None


def respondents_problem(count: int, expected: int | None) -> str | None:
    """A respondent list or tally total that cannot be right: none at all, or absurdly many."""
    if count <= 0:
        return "tidak ada responden (daftar atau tally kosong / semua nol); isi paling sedikit satu responden"
    if count > MAX_RESPONDENTS:
        return f"{_dots(count)} responden melebihi batas {_dots(MAX_RESPONDENTS)}; periksa angkanya"
    return None


def respondent_list_problem(count: int, expected: int | None) -> str | None:
    """A list of individual answers: at most the respondents the criteria expect (larger surveys use a tally)."""
    problem = respondents_problem(count, expected)
    if problem is None and expected and count > expected:
        problem = (
            f"daftar berisi {count} responden, sedangkan kriteria meminta {expected}; hapus yang berlebih, "
            "atau untuk survei besar tulis rekapnya sebagai {tally: {nilai: jumlah}}"
        )
    return problem

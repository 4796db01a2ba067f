"""Answers files for `kepatuhan score`: one unit's answers, or a whole region's, in YAML or JSON.

Single unit:

    unit: {code: DINSOS-SLRT, name: Dinas Sosial — Layanan SLRT}
    products: [PBI-JK, SKTM]
    answers:
      IN-K01: [3, 2, 2, 3]             # per respondent, in order
      PR-01: {PBI-JK: 3, SKTM: 2}      # per service product
      OU-01: {tally: {3: 20, 2: 10}}   # respondents counted per level
      PG-01: 2                         # once for the unit
      PR-07: na                        # not applicable (where allowed)
    facts: {tindak_lanjut_produk_ombudsman: true}   # recorded yes/no facts (label suffixes)

A region (Pemda), scored as the mean of its units:

    region: {code: KAB-X, name: Kabupaten X}
    facts: {tindak_lanjut_produk_ombudsman: true}   # the entity's own facts (else combined from its units)
    units:
      - {code: DUKCAPIL, name: Disdukcapil, products: [KTP-EL], answers: {...}}

    python -m assessment.answers_file      rewrites criteria/answers.schema.json (a test fails when stale)

The file is parsed keeping line numbers, checked against a strict model, then every answer is checked
against the criteria; one AnswersError lists every problem with its file, line, unit and indicator.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import Field, StringConstraints, TypeAdapter, WithJsonSchema, model_validator

from assessment.answers import Answer, answers_from_mapping
from assessment.criteria import Criteria, Identifier, RuleViolation, Strict, Text
from assessment.errors import AnswersError, Problem
from assessment.labels import fact_names
from assessment.loader import validate_model
from assessment.parse_limits import MAX_REGION_UNITS
from assessment.yamlfile import Positions, format_path, load_text, locate, parse_any

SCHEMA_FILE = Path(__file__).resolve().parent.parent / "criteria" / "answers.schema.json"

Code = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.\-]*$", min_length=1, max_length=64)]

_NA_SCHEMA: dict[str, Any] = {
    "type": "string",
    "enum": ["na", "NA", "n/a", "N/A", "tidak berlaku"],
    "description": "tidak berlaku (N/A), bila kriteria mengizinkan",
}
_SCALAR_SCHEMA: dict[str, Any] = {"anyOf": [{"type": "number"}, _NA_SCHEMA]}
_VALUE_SCHEMA: dict[str, Any] = {
    "description": "Jawaban satu indikator; bentuknya mengikuti subjek indikator di berkas kriteria.",
    "anyOf": [
        {"type": "number", "description": "satu jawaban untuk unit (nilai pada skala indikator)"},
        _NA_SCHEMA,
        {
            "type": "array",
            "items": _SCALAR_SCHEMA,
            "minItems": 1,
            "description": "per responden, berurutan mulai responden 1",
        },
        {
            "type": "object",
            "properties": {
                "tally": {
                    "type": "object",
                    "additionalProperties": {"type": "integer", "minimum": 0},
                    "description": "jumlah responden per nilai, mis. {3: 20, 2: 10}",
                }
            },
            "required": ["tally"],
            "additionalProperties": False,
            "description": "rekap responden per nilai",
        },
        {
            "type": "object",
            "additionalProperties": _SCALAR_SCHEMA,
            "minProperties": 1,
            "description": "per produk layanan: {KODE_PRODUK: nilai}",
        },
    ],
}

# Values are checked against the criteria by answers_from_mapping, whose messages name the scale.
AnswerValue = Annotated[Any, WithJsonSchema(_VALUE_SCHEMA)]
AnswersMap = Annotated[
    dict[Identifier, AnswerValue],
    Field(description="Jawaban per id indikator (lihat berkas kriteria)."),
]
Facts = Annotated[
    dict[Identifier, bool],
    Field(
        description=(
            "Fakta ya/tidak yang tercatat, mis. {tindak_lanjut_produk_ombudsman: true}; fakta yang tidak ditulis "
            "membuat akhiran labelnya 'belum ditentukan', tidak pernah diberikan diam-diam."
        )
    ),
]
Products = Annotated[
    tuple[Code, ...],
    Field(description="Kode produk layanan unit; produk yang tidak dijawab dihitung 0 pada indikator per produk."),
]


class UnitRef(Strict):
    code: Code
    name: Text


class RegionRef(Strict):
    code: Code | None = None
    name: Text


def _duplicates(codes: tuple[str, ...], where: tuple[str | int, ...], what: str) -> list[tuple[Any, str]]:
    seen: dict[str, int] = {}
    problems = []
    for idx, code in enumerate(codes):
        if code in seen:
            problems.append(((*where, idx), f"{what} '{code}' ganda; sudah ada di urutan ke-{seen[code] + 1}"))
        seen.setdefault(code, idx)
    return problems


class UnitAnswersFile(Strict):
    """One unit's answers."""

    unit: UnitRef
    products: Products = ()
    answers: AnswersMap = Field(default_factory=dict)
    facts: Facts = Field(default_factory=dict)

    @model_validator(mode="after")
    def products_unique(self) -> UnitAnswersFile:
        problems = _duplicates(self.products, ("products",), "kode produk")
        if problems:
            raise RuleViolation(problems)
        return self


class RegionUnit(Strict):
    code: Code
    name: Text
    products: Products = ()
    answers: AnswersMap = Field(default_factory=dict)
    facts: Facts = Field(default_factory=dict)

    @model_validator(mode="after")
    def products_unique(self) -> RegionUnit:
        problems = _duplicates(self.products, ("products",), "kode produk")
        if problems:
            raise RuleViolation(problems)
        return self


class RegionAnswersFile(Strict):
    """A region's units, each with its answers; the region scores the mean of its units."""

    region: RegionRef
    facts: Facts = Field(default_factory=dict)
    units: tuple[RegionUnit, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def unit_codes_unique(self) -> RegionAnswersFile:
        problems = _duplicates(tuple(u.code for u in self.units), ("units",), "kode unit")
        if problems:
            raise RuleViolation([((*loc, "code"), message) for loc, message in problems])
        return self


@dataclass(frozen=True)
class UnitAnswers:
    code: str
    name: str
    products: tuple[str, ...]
    answers: tuple[Answer, ...]
    facts: Mapping[str, bool] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class AnswersDocument:
    source: str
    units: tuple[UnitAnswers, ...]
    region: RegionRef | None = None
    region_facts: Mapping[str, bool] | None = None  # the entity's own facts, when the file gives them

    @property
    def is_region(self) -> bool:
        return self.region is not None


_FORM_HINT = (
    "isi berkas harus berupa pemetaan dengan kunci 'unit' (jawaban satu unit: unit, products, answers) "
    "atau 'region' (satu wilayah: region, units)"
)


def parse_answers(text: str, criteria: Criteria, source: str = "<jawaban>") -> AnswersDocument:
    """Parse and check an answers file; raise AnswersError listing every problem."""
    data, positions, problems = parse_any(text, source)
    if problems:
        raise AnswersError(problems)
    if not isinstance(data, dict):
        raise AnswersError([Problem(source, _FORM_HINT, line=1)])
    has_unit, has_region = "unit" in data, "region" in data
    if has_unit and has_region:
        line, col = locate(positions, ("region",))
        raise AnswersError(
            [
                Problem(
                    source, "berkas berisi 'unit' dan 'region' sekaligus; pilih salah satu bentuk", "region", line, col
                )
            ]
        )
    if not has_unit and not has_region:
        raise AnswersError([Problem(source, _FORM_HINT, line=1)])
    listed = data.get("units")
    if has_region and isinstance(listed, list) and len(listed) > MAX_REGION_UNITS:
        line, col = locate(positions, ("units",))
        raise AnswersError(
            [
                Problem(
                    source,
                    f"berkas wilayah berisi {len(listed)} unit; batasnya {MAX_REGION_UNITS} unit per berkas — "
                    "pecah menjadi beberapa berkas",
                    "units",
                    line,
                    col,
                )
            ]
        )
    if has_unit:
        single: UnitAnswersFile = validate_model(UnitAnswersFile, data, positions, source, error=AnswersError)
        entries: list[
            tuple[tuple[Any, ...], UnitRef | RegionUnit, tuple[str, ...], Mapping[str, Any], Mapping[str, bool]]
        ] = [((), single.unit, single.products, single.answers, single.facts)]
        region, region_facts = None, None
    else:
        whole: RegionAnswersFile = validate_model(RegionAnswersFile, data, positions, source, error=AnswersError)
        entries = [(("units", n), u, u.products, u.answers, u.facts) for n, u in enumerate(whole.units)]
        region, region_facts = whole.region, (dict(whole.facts) if whole.facts else None)
    units: list[UnitAnswers] = []
    problems = _fact_problems(criteria, region_facts or {}, (), positions, source)
    for loc, ref, products, mapping, facts in entries:
        answers, found = _unit_answers(criteria, ref.code, products, mapping, loc, positions, source)
        problems.extend(found)
        problems.extend(_fact_problems(criteria, facts, loc, positions, source))
        units.append(
            UnitAnswers(
                code=ref.code, name=ref.name, products=tuple(products), answers=tuple(answers), facts=dict(facts)
            )
        )
    if problems:
        raise AnswersError(problems)
    return AnswersDocument(source=source, units=tuple(units), region=region, region_facts=region_facts)


def _fact_problems(
    criteria: Criteria, facts: Mapping[str, bool], loc: tuple[Any, ...], positions: Positions, source: str
) -> list[Problem]:
    """A fact the criteria never use is almost always a typo: it would leave the suffix undetermined silently."""
    known = fact_names(criteria)
    problems = []
    for name in facts:
        if name in known:
            continue
        line, col = locate(positions, (*loc, "facts", name))
        hint = f"fakta yang dipakai: {', '.join(known)}" if known else f"kriteria {criteria.id} tidak memakai fakta"
        problems.append(
            Problem(
                source,
                f"fakta '{name}' tidak dikenal; {hint}",
                path=format_path((*loc, "facts", name)),
                line=line,
                column=col,
            )
        )
    return problems


def _unit_answers(
    criteria: Criteria,
    code: str,
    products: tuple[str, ...],
    mapping: Mapping[str, Any],
    loc: tuple[Any, ...],
    positions: Positions,
    source: str,
) -> tuple[list[Answer], list[Problem]]:
    prefix = f"unit {code}: "
    answers: list[Answer] = []
    problems: list[Problem] = []
    for ind_id, raw in mapping.items():
        at = (*loc, "answers", ind_id)
        try:
            found = answers_from_mapping(criteria, {ind_id: raw}, source, path=prefix)
        except AnswersError as exc:
            for p in exc.problems:
                line, col = locate(positions, at + _subject_loc(p.path))
                problems.append(dataclasses.replace(p, line=line, column=col))
            continue
        for a in found:
            if a.subject_kind == "product" and products and a.subject.split(":", 1)[1] not in products:
                product = a.subject.split(":", 1)[1]
                line, col = locate(positions, at + (product,))
                problems.append(
                    Problem(
                        source,
                        f"produk '{product}' tidak ada di daftar products unit ({', '.join(products)})",
                        path=f"{prefix}{a.indicator}/{a.subject}",
                        line=line,
                        column=col,
                    )
                )
        answers.extend(found)
    return answers, problems


def _subject_loc(path: str) -> tuple[Any, ...]:
    """Where in an indicator's value a subject sits: respondent:3 -> (2,), product:X -> ('X',)."""
    subject = path.rsplit("/", 1)[-1] if "/" in path else ""
    kind, _, rest = subject.partition(":")
    if kind == "respondent" and rest.isdigit():
        return (int(rest) - 1,)
    if kind == "product":
        return (rest,)
    if kind == "tally":
        return ("tally",)
    return ()


def load_answers(path: str | Path, criteria: Criteria) -> AnswersDocument:
    """Read, parse and check an answers file; raise AnswersError naming file, line, unit and indicator."""
    path = Path(path)
    source = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise AnswersError([Problem(source, "berkas tidak ditemukan; periksa nama dan foldernya")]) from None
    except IsADirectoryError:
        raise AnswersError([Problem(source, "ini folder, bukan berkas jawaban")]) from None
    except OSError as exc:
        raise AnswersError([Problem(source, f"berkas tidak bisa dibaca: {exc.strerror}")]) from None
    text, problems = load_text(raw, source)
    if problems:
        raise AnswersError(problems)
    return parse_answers(text, criteria, source)


def answers_json_schema() -> dict[str, Any]:
    """JSON Schema of an answers file (either form), for editors and for criteria/answers.schema.json."""
    schema = TypeAdapter(UnitAnswersFile | RegionAnswersFile).json_schema()
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Berkas jawaban Kepatuhan",
        "description": "Jawaban satu unit (kunci 'unit') atau satu wilayah (kunci 'region') untuk `kepatuhan score`.",
        **schema,
    }


def schema_text() -> str:
    return json.dumps(answers_json_schema(), indent=2, ensure_ascii=False) + "\n"


def write_schema(path: Path = SCHEMA_FILE) -> Path:
    path.write_text(schema_text(), encoding="utf-8")
    return path


if __name__ == "__main__":  # python -m assessment.answers_file [OUT.json]: regenerate criteria/answers.schema.json
    import sys

    print(write_schema(Path(sys.argv[1]) if len(sys.argv) > 1 else SCHEMA_FILE))

"""Load a criteria file: parse YAML, then validate; every problem is reported with its place."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from assessment.criteria import Criteria, RuleViolation
from assessment.errors import CriteriaError, InputFileError, Problem
from assessment.yamlfile import Positions, format_path, load_text, locate, parse_any

_MESSAGES = {
    "missing": "wajib diisi",
    "extra_forbidden": "kunci tidak dikenal; periksa ejaan atau hapus",
    "float_parsing": "harus berupa angka",
    "float_type": "harus berupa angka",
    "int_parsing": "harus berupa bilangan bulat",
    "int_type": "harus berupa bilangan bulat",
    "string_type": "harus berupa teks",
    "bool_type": "harus true atau false",
    "bool_parsing": "harus true atau false",
    "literal_error": "nilai tidak diizinkan",
    "string_pattern_mismatch": "format tidak sesuai",
    "string_too_short": "tidak boleh kosong",
    "too_short": "terlalu sedikit isi",
    "greater_than": "harus lebih besar",
    "greater_than_equal": "terlalu kecil",
    "less_than_equal": "terlalu besar",
    "model_type": "harus berupa pemetaan (kunci: nilai)",
    "model_attributes_type": "harus berupa pemetaan (kunci: nilai)",
    "int_from_float": "harus berupa bilangan bulat, tanpa pecahan",
    "string_too_long": "terlalu panjang",
    "too_long": "terlalu banyak isi",
    "less_than": "harus lebih kecil",
    "finite_number": "harus berupa angka terhingga",
    "tuple_type": "harus berupa daftar (- ...)",
    "list_type": "harus berupa daftar (- ...)",
    "dict_type": "harus berupa pemetaan (kunci: nilai)",
}


def translate(error: dict[str, Any]) -> str:
    kind = error["type"]
    if kind == "value_error":
        return str(error["msg"]).removeprefix("Value error, ")
    base = _MESSAGES.get(kind, str(error["msg"]))
    ctx = error.get("ctx") or {}
    if kind == "literal_error" and "expected" in ctx:
        return f"{base}; pilih salah satu: {str(ctx['expected']).replace(' or ', ' atau ')}"
    if kind in ("greater_than", "greater_than_equal", "less_than_equal") and ctx:
        limit = next(iter(ctx.values()))
        return f"{base} (batas {limit})"
    if kind == "string_pattern_mismatch":
        return f"{base} (pola {ctx.get('pattern', '')})"
    return base


def problems_from_validation(exc: ValidationError, positions: Positions, source: str) -> list[Problem]:
    problems = []
    errors = exc.errors()
    failed_locs = [tuple(e["loc"]) for e in errors]
    for err in errors:
        loc = tuple(err["loc"])
        # pydantic also calls a list "too short" when one of its items failed: noise, skip it
        if err["type"] == "too_short" and any(f[: len(loc)] == loc and len(f) > len(loc) for f in failed_locs):
            continue
        broken = (err.get("ctx") or {}).get("error")
        if isinstance(broken, RuleViolation):  # a cross-field rule: one problem per located item
            for rel, message in broken.problems:
                line, col = locate(positions, loc + rel)
                problems.append(Problem(source, message, path=format_path(loc + rel), line=line, column=col))
            continue
        line, col = locate(positions, loc)
        problems.append(Problem(source, translate(err), path=format_path(loc), line=line, column=col))
    return problems


def validate_model(
    model: type[BaseModel],
    data: Any,
    positions: Positions,
    source: str,
    *,
    error: type[InputFileError] = CriteriaError,
) -> Any:
    """Validate parsed data; raise ``error`` (CriteriaError unless told) listing every problem."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise error(problems_from_validation(exc, positions, source)) from None


def parse_criteria(text: str, source: str = "<kriteria>") -> Criteria:
    data, positions, problems = parse_any(text, source)
    if problems:
        raise CriteriaError(problems)
    if not isinstance(data, dict):
        raise CriteriaError(
            [Problem(source, "isi berkas harus berupa pemetaan dengan kunci id, title, dimensions, bands")]
        )
    return validate_model(Criteria, data, positions, source)


def load_criteria(path: str | Path) -> Criteria:
    """Load and validate one criteria file; raise CriteriaError naming file, line and field."""
    path = Path(path)
    source = str(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise CriteriaError([Problem(source, "berkas tidak ditemukan; periksa nama dan foldernya")]) from None
    except IsADirectoryError:
        raise CriteriaError([Problem(source, "ini folder, bukan berkas kriteria")]) from None
    except OSError as exc:
        raise CriteriaError([Problem(source, f"berkas tidak bisa dibaca: {exc.strerror}")]) from None
    text, problems = load_text(raw, source)
    if problems:
        raise CriteriaError(problems)
    return parse_criteria(text, source)


def criteria_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()

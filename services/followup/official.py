"""The Ombudsman's published results (per unit and per Pemda) and its products with their follow-up status.

Recorded by the admin in a form or by CSV import (all rows valid or nothing written); every change is a
typed audit event (`official.result_recorded`, `official.product_recorded`, `official.imported`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import duckdb

from assessment.errors import KepatuhanError
from services.access import Actor, require_admin
from services.admin.csv_import import ImportRejected, read_rows
from services.audit_events import OfficialImported, OfficialProductRecorded, OfficialResultRecorded
from services.catalog import criteria_for
from services.common import now
from services.followup.common import FollowupError
from services.region.data import resolve_period
from store import audit, units
from store import official_results as store
from store.db import transaction
from store.models import Period

RESULT_COLUMNS = ("periode", "kode", "nilai", "predikat", "akhiran", "dimensi")
RESULT_REQUIRED = ("periode", "kode", "nilai")
PRODUCT_COLUMNS = ("periode", "kode", "jenis", "nomor", "uraian", "status")
PRODUCT_REQUIRED = ("periode", "kode", "jenis", "nomor", "status")
PRODUCT_KINDS = {
    "tindakan_korektif": "Tindakan korektif",
    "saran": "Saran perbaikan",
    "rekomendasi": "Rekomendasi",
}
_KIND_ALIASES = {"tindakan korektif": "tindakan_korektif", "korektif": "tindakan_korektif"}
FOLLOWUP_STATUSES = {"belum": "Belum ditindaklanjuti", "berjalan": "Sedang ditindaklanjuti", "selesai": "Selesai"}
MAX_LABEL, MAX_REFERENCE, MAX_DESCRIPTION = 80, 80, 1000


@dataclass(frozen=True)
class ResultInput:
    period: Period
    org_unit_id: int
    code: str
    score: float
    label: str
    suffix: str
    dimensions: dict[str, float]


@dataclass(frozen=True)
class ProductInput:
    period: Period
    org_unit_id: int
    code: str
    kind: str
    reference: str
    description: str
    status: str


@dataclass(frozen=True)
class ImportSummary:
    kind: str  # 'hasil' | 'produk'
    rows: int
    replaced: int


def parse_number(text: str) -> float:
    """'87,5' or '87.5' (Indonesian or English decimal mark)."""
    cleaned = text.strip().replace(" ", "")
    if "," in cleaned and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        raise ValueError(text)
    return float(cleaned)


def _org_unit(con, code: str):
    unit = units.unit_by_code(con, code=code.strip())
    if unit is None:
        raise FollowupError(key="err.official.code_unknown", code=code)
    return unit


def _period(con, name_or_id: str | int) -> Period:
    try:
        if isinstance(name_or_id, int):
            return resolve_period(con, period_id=name_or_id)
        return resolve_period(con, name=name_or_id)
    except KepatuhanError as exc:
        raise FollowupError(str(exc) if exc.key is None else "", key=exc.key, **exc.params) from exc


def check_result(
    con, *, period: str | int, code: str, score: float | str, label: str = "", suffix: str = "",
    dimensions: dict[str, float | str] | str | None = None,
) -> ResultInput:  # fmt: skip
    """Validate one published result; every problem is one Indonesian sentence (FollowupError)."""
    p = _period(con, period)
    unit = _org_unit(con, code)
    criteria = criteria_for(con, p.criteria_sha256)
    try:
        value = parse_number(score) if isinstance(score, str) else float(score)
    except ValueError:
        raise FollowupError(key="err.official.score_nan", score=score) from None
    if not criteria.scale.min <= value <= criteria.scale.max:
        raise FollowupError(
            key="err.official.score_range",
            value=f"{value:g}",
            low=f"{criteria.scale.min:g}",
            high=f"{criteria.scale.max:g}",
        )
    dims = _dimensions(criteria, dimensions)
    label = " ".join((label or "").split()) or criteria.band_for(value).label
    suffix = " ".join((suffix or "").split())
    if len(label) > MAX_LABEL or len(suffix) > MAX_LABEL:
        raise FollowupError(key="err.official.label_long", n=MAX_LABEL)
    return ResultInput(p, unit.id, unit.code, round(value, 2), label, suffix, dims)


def _dimensions(criteria, dimensions) -> dict[str, float]:
    if not dimensions:
        return {}
    if isinstance(dimensions, str):
        pairs = {}
        for part in dimensions.split("|"):
            if not part.strip():
                continue
            key, sep, val = part.partition("=")
            if not sep:
                raise FollowupError(key="err.official.dimension_form", part=part.strip())
            pairs[key.strip()] = val.strip()
        dimensions = pairs
    by_id = {d.id: d for d in criteria.dimensions}
    out = {}
    for key, raw in dimensions.items():
        if key not in by_id:
            raise FollowupError(key="err.official.dimension_unknown", dimension=key, known=", ".join(by_id))
        try:
            value = parse_number(raw) if isinstance(raw, str) else float(raw)
        except ValueError:
            raise FollowupError(key="err.official.dimension_nan", dimension=key, raw=raw) from None
        top = criteria.dimension_max(by_id[key])
        if not 0 <= value <= top + 1e-9:
            raise FollowupError(key="err.official.dimension_range", dimension=key, value=f"{value:g}", top=f"{top:g}")
        out[key] = round(value, 2)
    return out


def check_product(
    con, *, period: str | int, code: str, kind: str, reference: str, description: str = "", status: str
) -> ProductInput:
    p = _period(con, period)
    unit = _org_unit(con, code)
    kind_key = _KIND_ALIASES.get(kind.strip().lower(), kind.strip().lower())
    if kind_key not in PRODUCT_KINDS:
        raise FollowupError(key="err.official.kind_unknown", kind=kind, kinds=", ".join(PRODUCT_KINDS))
    status_key = status.strip().lower()
    if status_key not in FOLLOWUP_STATUSES:
        raise FollowupError(key="err.official.status_unknown", status=status, statuses=", ".join(FOLLOWUP_STATUSES))
    reference = " ".join(reference.split())
    if not reference or len(reference) > MAX_REFERENCE:
        raise FollowupError(key="err.official.reference", n=MAX_REFERENCE)
    description = description.strip()
    if len(description) > MAX_DESCRIPTION:
        raise FollowupError(key="err.official.description_long", n=MAX_DESCRIPTION)
    return ProductInput(p, unit.id, unit.code, kind_key, reference, description, status_key)


def _write_result(con, actor: Actor, r: ResultInput, at) -> bool:
    old = store.put_result(
        con, period_id=r.period.id, org_unit_id=r.org_unit_id, score=r.score, label=r.label, suffix=r.suffix,
        dimensions=r.dimensions, actor=actor.username, at=at,
    )  # fmt: skip
    audit.append(
        con,
        actor=actor.username,
        event=OfficialResultRecorded(
            period=r.period.name,
            unit=r.code,
            old=None if old is None else {"score": old.score, "label": old.label, "suffix": old.suffix},
            new={"score": r.score, "label": r.label, "suffix": r.suffix, "dimensions": r.dimensions},
        ),
        at=at,
    )
    return old is not None


def _write_product(con, actor: Actor, p: ProductInput, at) -> bool:
    old = store.put_product(
        con, period_id=p.period.id, org_unit_id=p.org_unit_id, kind=p.kind, reference=p.reference,
        description=p.description, followup_status=p.status, actor=actor.username, at=at,
    )  # fmt: skip
    audit.append(
        con,
        actor=actor.username,
        event=OfficialProductRecorded(
            period=p.period.name,
            unit=p.code,
            product=p.reference,
            kind=p.kind,
            old=None if old is None else old.followup_status,
            new=p.status,
        ),
        at=at,
    )
    return old is not None


def entities(con: duckdb.DuckDBPyConnection, actor: Actor) -> list[tuple[str, str]]:
    """(code, name) of every unit and Pemda a published result can be recorded for (admin only)."""
    require_admin(actor)
    return [(u.code, u.name) for u in units.list_units(con) if u.kind in ("pemda", "unit")]


def record_result(con: duckdb.DuckDBPyConnection, actor: Actor, **fields) -> bool:
    """Admin form: record (or replace) one published result. Returns whether one was replaced."""
    require_admin(actor)
    r = check_result(con, **fields)
    with transaction(con):
        return _write_result(con, actor, r, now())


def record_product(con: duckdb.DuckDBPyConnection, actor: Actor, **fields) -> bool:
    """Admin form: record an Ombudsman product or update its follow-up status (same number = same product)."""
    require_admin(actor)
    p = check_product(con, **fields)
    with transaction(con):
        return _write_product(con, actor, p, now())


def import_csv(con: duckdb.DuckDBPyConnection, actor: Actor, data: bytes) -> ImportSummary:
    """Results (periode,kode,nilai,predikat,akhiran,dimensi) or products (periode,kode,jenis,nomor,uraian,status),
    told apart by the header. Every bad row is reported; nothing is written unless all rows are valid."""
    require_admin(actor)
    head = data[:4096].decode("utf-8-sig", errors="replace").splitlines()[0].lower() if data.strip() else ""
    is_products = "jenis" in head and "nomor" in head
    columns, required = (PRODUCT_COLUMNS, PRODUCT_REQUIRED) if is_products else (RESULT_COLUMNS, RESULT_REQUIRED)
    rows, problems = read_rows(data, columns, required)
    checked: list = []
    seen: dict[tuple, int] = {}
    for row in rows:
        v = row.values
        try:
            if is_products:
                item = check_product(con, period=v["periode"], code=v["kode"], kind=v["jenis"],
                                     reference=v["nomor"], description=v["uraian"], status=v["status"])  # fmt: skip
                key = (item.period.id, item.org_unit_id, item.reference)
            else:
                item = check_result(con, period=v["periode"], code=v["kode"], score=v["nilai"],
                                    label=v["predikat"], suffix=v["akhiran"], dimensions=v["dimensi"])  # fmt: skip
                key = (item.period.id, item.org_unit_id)
        except FollowupError as exc:
            problems.append(f"baris {row.line}: {exc}")
            continue
        if key in seen:
            problems.append(f"baris {row.line}: sama dengan baris {seen[key]} (periode dan kode yang sama).")
            continue
        seen[key] = row.line
        checked.append(item)
    if problems:
        raise ImportRejected(problems)
    at = now()
    replaced = 0
    with transaction(con):
        for item in checked:
            replaced += (_write_product if is_products else _write_result)(con, actor, item, at)
        audit.append(
            con,
            actor=actor.username,
            event=OfficialImported(kind="produk" if is_products else "hasil", rows=len(checked), replaced=replaced),
            at=at,
        )
    return ImportSummary(kind="produk" if is_products else "hasil", rows=len(checked), replaced=replaced)

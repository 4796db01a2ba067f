"""Regions (pemda), OPDs, service units and their service products."""

from __future__ import annotations

import duckdb

from assessment.subject import Subject
from store.models import OrgUnit, Product, UnitKind
from store.rows import fetch_all, fetch_one

_COLS = "id, parent_id, kind, code, name, unit_type, is_demo"


def add_unit(
    con: duckdb.DuckDBPyConnection,
    *,
    kind: UnitKind,
    code: str,
    name: str,
    parent_id: int | None = None,
    unit_type: str | None = None,
    is_demo: bool = False,
) -> int:
    row = con.execute(
        "INSERT INTO org_units (parent_id, kind, code, name, unit_type, is_demo) "
        "VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
        [parent_id, kind, code, name, unit_type, is_demo],
    ).fetchone()
    return int(row[0])


def get_unit(con: duckdb.DuckDBPyConnection, *, unit_id: int) -> OrgUnit | None:
    return fetch_one(con, OrgUnit, f"SELECT {_COLS} FROM org_units WHERE id = ?", [unit_id])


def unit_by_code(con: duckdb.DuckDBPyConnection, *, code: str) -> OrgUnit | None:
    return fetch_one(con, OrgUnit, f"SELECT {_COLS} FROM org_units WHERE code = ?", [code])


def list_units(con: duckdb.DuckDBPyConnection, *, kind: UnitKind | None = None) -> list[OrgUnit]:
    if kind:
        return fetch_all(con, OrgUnit, f"SELECT {_COLS} FROM org_units WHERE kind = ? ORDER BY name", [kind])
    return fetch_all(con, OrgUnit, f"SELECT {_COLS} FROM org_units ORDER BY kind, name")


def children(con: duckdb.DuckDBPyConnection, *, parent_id: int) -> list[OrgUnit]:
    return fetch_all(con, OrgUnit, f"SELECT {_COLS} FROM org_units WHERE parent_id = ? ORDER BY name", [parent_id])


def add_product(con: duckdb.DuckDBPyConnection, *, unit_id: int, code: str, name: str) -> int:
    row = con.execute(
        "INSERT INTO service_products (unit_id, code, name) VALUES (?, ?, ?) RETURNING id", [unit_id, code, name]
    ).fetchone()
    return int(row[0])


def products(con: duckdb.DuckDBPyConnection, *, unit_id: int) -> list[Product]:
    return fetch_all(
        con, Product, "SELECT id, unit_id, code, name FROM service_products WHERE unit_id = ? ORDER BY code", [unit_id]
    )


def rename_unit(con: duckdb.DuckDBPyConnection, *, unit_id: int, name: str, unit_type: str | None) -> None:
    con.execute("UPDATE org_units SET name = ?, unit_type = ? WHERE id = ?", [name, unit_type, unit_id])


def product_by_code(con: duckdb.DuckDBPyConnection, *, unit_id: int, code: str) -> Product | None:
    return fetch_one(
        con,
        Product,
        "SELECT id, unit_id, code, name FROM service_products WHERE unit_id = ? AND code = ?",
        [unit_id, code],
    )


def rename_product(con: duckdb.DuckDBPyConnection, *, product_id: int, name: str) -> None:
    con.execute("UPDATE service_products SET name = ? WHERE id = ?", [name, product_id])


def remove_product(con: duckdb.DuckDBPyConnection, *, product_id: int) -> None:
    con.execute("DELETE FROM service_products WHERE id = ?", [product_id])


def product_answer_count(con: duckdb.DuckDBPyConnection, *, unit_id: int, code: str) -> int:
    """Answers given for one product of a unit, in any period."""
    row = con.execute(
        "SELECT count(*) FROM answers a JOIN assessments s ON s.id = a.assessment_id "
        "WHERE s.unit_id = ? AND a.subject = ?",
        [unit_id, str(Subject.product(code))],
    ).fetchone()
    return int(row[0])

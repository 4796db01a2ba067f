"""Recorded yes/no facts of a unit in a period, e.g. `tindak_lanjut_produk_ombudsman`.

Facts are recorded by the follow-up capability (issue 13: the Ombudsman's products and their follow-up).
Until that capability records something, no fact is known: a label suffix that depends on a fact is then
shown as undetermined, with its reason, and never granted.
"""

from __future__ import annotations

import duckdb


def recorded_facts(con: duckdb.DuckDBPyConnection, *, period_id: int, unit_id: int) -> dict[str, bool]:
    """Every fact recorded for the unit in the period; empty while nothing is recorded."""
    return {}

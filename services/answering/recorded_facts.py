"""Facts recorded outside the questionnaire that scoring rules may depend on (interface for issue 14).

In 2025 the "Tanpa Maladministrasi" suffix followed the entity's follow-up of the Ombudsman's products
(corrective actions, suggestions, recommendations), not one indicator (domain/updates-2025.md §1).
"""

from __future__ import annotations

import duckdb

from store import official_results

FOLLOWED_UP = "tindak_lanjut_produk_ombudsman"


def recorded_facts(con: duckdb.DuckDBPyConnection, *, period_id: int, unit_id: int) -> dict[str, bool]:
    """{"tindak_lanjut_produk_ombudsman": True} when every Ombudsman product recorded for this unit (or Pemda)
    in this period is followed up (selesai), False when any is not; the key is absent when none is recorded."""
    products = official_results.products(con, period_id=period_id, org_unit_id=unit_id)
    if not products:
        return {}
    return {FOLLOWED_UP: all(p.followup_status == "selesai" for p in products)}

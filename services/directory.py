"""Read-only lists for pickers and navigation: periods and the units an actor may see. Never writes or prints."""

from __future__ import annotations

import duckdb

from services.access import Actor
from store import periods, units
from store.models import OrgUnit, Period


def list_periods(con: duckdb.DuckDBPyConnection) -> list[Period]:
    return periods.list_periods(con)


def visible_units(con: duckdb.DuckDBPyConnection, actor: Actor) -> list[OrgUnit]:
    return [u for u in units.list_units(con, kind="unit") if actor.can_read_unit(u.id)]

"""The view models ui/ receives from services: frozen records, read-only, safe to keep in a session.

ui/ imports them from here and never from store/, so the layering test needs no whitelist; services hand out
the stored records themselves (they are frozen pydantic models), named here as the services' vocabulary.
"""

from __future__ import annotations

from store.models import EvidenceRecord, OrgUnit, Period, Product

__all__ = ["EvidenceRecord", "OrgUnit", "Period", "Product"]

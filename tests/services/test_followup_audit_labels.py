"""Every audit event the follow-up services record is a typed event with a plain-language label on the audit page."""

from __future__ import annotations

import re
from pathlib import Path

from services.audit_events import EVENT_TYPES, label_key
from ui.i18n.catalog_en import EN
from ui.i18n.catalog_id import ID

ROOT = Path(__file__).resolve().parents[2]


def test_every_follow_up_event_has_a_label():
    by_class = {kind.__name__: name for name, kind in EVENT_TYPES.items()}
    names = set()
    for path in (ROOT / "services" / "followup").glob("*.py"):
        used = re.findall(r"\bevent=([A-Z][A-Za-z]+)\(", path.read_text(encoding="utf-8"))
        names |= {by_class[c] for c in used}
    assert names >= {"followup.action_created", "followup.action_updated", "official.result_recorded"}
    assert not {n for n in names if label_key(n) not in ID or label_key(n) not in EN}

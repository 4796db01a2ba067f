"""Every audit event the follow-up services append has a plain-language label on the audit page."""

from __future__ import annotations

import re
from pathlib import Path

from services.admin.audit_trail import EVENT_LABELS

ROOT = Path(__file__).resolve().parents[2]


def test_every_follow_up_event_has_a_label():
    names = set()
    for path in [*(ROOT / "services" / "followup").glob("*.py")]:
        names |= set(re.findall(r'event="([a-z_.]+)"', path.read_text(encoding="utf-8")))
    assert names >= {"followup.action_created", "followup.action_updated", "official.result_recorded"}
    assert not names - set(EVENT_LABELS)

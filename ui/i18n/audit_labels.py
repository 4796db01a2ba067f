"""Audit event labels in the reader's language: one catalog line per event type (`audit.event.<name>`).

A name with no line (written by an older or newer version of the app) still reads as something: "Peristiwa
lain (name)", never a blank cell or an error.
"""

from __future__ import annotations

from services.audit_events import label_key
from ui.i18n import CATALOGS, ID, lang, t_plain


def has_label(name: str) -> bool:
    key = label_key(name)
    return key in CATALOGS.get(lang(), ID) or key in ID


def event_label(name: str) -> str:
    """Plain text (for table cells, CSV and select options)."""
    if has_label(name):
        return t_plain(label_key(name))
    return t_plain("audit.event.unknown", name=name)


def event_choice(name: str) -> str:
    """A filter option: the label with the stored name after it, so admins can match either."""
    return f"{event_label(name)} ({name})" if has_label(name) else event_label(name)

"""What the follow-up services share: who may write, the clock, text limits and labels."""

from __future__ import annotations

from assessment.errors import KepatuhanError
from assessment.messages import Phrase

STATUS_LABELS = {"rencana": "Rencana", "berjalan": "Berjalan", "selesai": "Selesai", "dibatalkan": "Dibatalkan"}
SOURCE_LABELS = {
    "path": "Jalur ke zona berikutnya",
    "finding": "Temuan verifikator",
    "missed": "Indikator paling sering terlewat (wilayah)",
    "manual": "Manual",
}
MAX_TITLE, MAX_OWNER, MAX_NOTE = 300, 120, 2000


class FollowupError(KepatuhanError):
    """Refused follow-up input; the message says what to do."""


def clean_text(value: str, *, field: Phrase, max_len: int, min_len: int = 1) -> str:
    text = " ".join((value or "").split()) if max_len <= MAX_TITLE else (value or "").strip()
    if len(text) < min_len:
        raise FollowupError(key="err.followup.text_required", field=field, min_len=min_len)
    if len(text) > max_len:
        raise FollowupError(key="err.followup.text_too_long", field=field, max_len=max_len)
    return text

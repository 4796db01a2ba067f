"""Text shown through Streamlit's markdown: criteria and user texts must show as typed."""

from __future__ import annotations

_CONTROL = "\\`*_[]<>#|$~"


def escape_markdown(text: str) -> str:
    """Escape markdown's control characters (and $ for math, ~ for strike-through)."""
    for ch in _CONTROL:
        text = text.replace(ch, "\\" + ch)
    return text

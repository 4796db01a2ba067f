"""UI strings. Bahasa Indonesia is the default; English is one switch away (D5)."""

from __future__ import annotations

import streamlit as st

from ui.catalog_en import EN
from ui.catalog_id import ID
from ui.markdown import Markup, escape_markdown

CATALOGS = {"id": ID, "en": EN}
LANG_KEY = "lang"


def lang() -> str:
    return st.session_state.get(LANG_KEY, "id")


def t(key: str, **values: object) -> str:
    """A catalog line for a markdown place (caption, alert, header, label): every text value is escaped.

    Catalog lines are ours and may hold markdown; what is put into them (unit, period, user names, notes)
    is typed by users and must show literally.
    """
    text = _line(key)
    if not values:
        return text
    return text.format(
        **{k: escape_markdown(v) if isinstance(v, str) and not isinstance(v, Markup) else v for k, v in values.items()}
    )


def t_plain(key: str, **values: object) -> str:
    """A catalog line for a plain-text place (table cell, select option, chart, st.text): no escaping."""
    text = _line(key)
    return text.format(**values) if values else text


def _line(key: str) -> str:
    return CATALOGS[lang()].get(key) or ID.get(key) or key


def number(value: float, decimals: int = 2) -> str:
    """Numbers as the reader writes them: 49,85 in Indonesian, 49.85 in English."""
    text = f"{value:,.{decimals}f}"
    if lang() == "id":
        text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return text


def decimal_mark() -> str:
    """The decimal separator of the reader's language, for charts that format their own numbers."""
    return "," if lang() == "id" else "."


def receipt_reference(sha256: str) -> str:
    """A submission's short reference for people: the first 8 hex digits of its snapshot hash, as XXXX-XXXX
    (enough to tell a unit's submissions apart; the full hash stays available behind a toggle)."""
    head = sha256[:8].upper()
    return f"{head[:4]}-{head[4:]}"

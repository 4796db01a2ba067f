"""UI strings. Bahasa Indonesia is the default; English is one switch away (D5)."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

import streamlit as st
from babel.numbers import format_decimal

from ui.i18n.catalog_en import EN
from ui.i18n.catalog_id import ID
from ui.i18n.markdown import Markup, escape_markdown

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


BABEL_LOCALES = {"id": "id_ID", "en": "en_US"}


def _line(key: str) -> str:
    return CATALOGS[lang()].get(key) or ID.get(key) or key


def number(value: float, decimals: int = 2) -> str:
    """Numbers as the reader writes them (Babel's CLDR data): 1.234,85 in Indonesian, 1,234.85 in English."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    # round half away from zero, as people (and f-strings on the stored two-decimal scores) do
    return format_decimal(
        Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP),
        format=pattern,
        locale=BABEL_LOCALES.get(lang(), "id_ID"),
    )


def decimal_mark() -> str:
    """The decimal separator of the reader's language, for charts that format their own numbers."""
    return "," if lang() == "id" else "."


def receipt_reference(sha256: str) -> str:
    """A submission's short reference for people: the first 8 hex digits of its snapshot hash, as XXXX-XXXX
    (enough to tell a unit's submissions apart; the full hash stays available behind a toggle)."""
    head = sha256[:8].upper()
    return f"{head[:4]}-{head[4:]}"

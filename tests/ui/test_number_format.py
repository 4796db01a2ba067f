"""One number format everywhere (issue 9): Babel's CLDR data for the reader's language, two decimals for scores."""

from __future__ import annotations

import pytest

from ui.i18n import number, receipt_reference


@pytest.mark.parametrize(
    ("lang", "value", "decimals", "shown"),
    [
        ("id", 63.015, 2, "63,02"),  # half away from zero, as the headline figures always did
        ("id", 8.845, 2, "8,85"),
        ("id", 0.385, 2, "0,39"),
        ("id", 1234.5, 2, "1.234,50"),
        ("id", 12.0, 1, "12,0"),
        ("id", -2.675, 2, "-2,68"),
        ("en", 1234.5, 2, "1,234.50"),
        ("en", 0.385, 2, "0.39"),
        ("id", 7, 0, "7"),
    ],
)
def test_numbers_follow_the_readers_language(language, lang, value, decimals, shown):
    language(lang)
    assert number(value, decimals) == shown


def test_receipt_reference_is_short_and_readable():
    assert receipt_reference("ab12cd34" + "0" * 56) == "AB12-CD34"

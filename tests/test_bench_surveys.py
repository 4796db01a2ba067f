"""The survey bench never reports a page budget it did not measure as met (issue 12)."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[1] / "bench" / "bench_surveys.py"


def bench():
    spec = importlib.util.spec_from_file_location("bench_surveys_under_test", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_without_chromium_the_page_budget_fails_with_a_clear_line():
    ok, lines = bench().page_report(False, [], [], [], [])
    assert not ok
    assert lines == [
        "BENCH survey_page FAIL: /usr/bin/chromium is missing, so the page budget was not measured "
        "(apt-get install chromium)"
    ]


def test_the_throttled_phone_is_held_to_the_same_budget_and_a_miss_says_why():
    b = bench()
    fast, slow = [0.8] * 10, [4.0] * 10
    ok, lines = b.page_report(True, fast, [600_000] * 10, slow, [600_000] * 10)
    assert not ok
    assert lines[0].startswith("BENCH survey_page unthrottled") and lines[0].endswith("PASS")
    assert lines[1].startswith("BENCH survey_page slow-4G p50=4.00s p95=4.00s") and lines[1].endswith("FAIL")
    assert "586 KiB" in lines[2] and "1.6 Mbit/s" in lines[2]
    ok, lines = b.page_report(True, fast, [600_000] * 10, [1.5] * 10, [600_000] * 10)
    assert ok and all(line.endswith("PASS") for line in lines)

"""Browser journeys wait on the app's signals (script state, the element a step produces), never on the clock."""

from __future__ import annotations

import re
from pathlib import Path

BROWSER = Path(__file__).resolve().parent / "browser"


def test_no_browser_test_sleeps_for_a_fixed_time():
    offenders = []
    for path in sorted(BROWSER.glob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            # a wait the app itself demands (the public survey's minimum filling time) is no clock guess, nor is a
            # simulated user's think time in the load harness
            exempt = "minimum time" in line or "think time" in line
            if re.search(r"wait_for_timeout\(|asyncio\.sleep\(", line) and not exempt:
                offenders.append(f"{path.name}:{n}: {line.strip()}")
            # a literal millisecond timeout does not stretch with the machine's load; step_ms() does
            if re.search(r"timeout=\d", line) and "start_timeout" not in line and path.name != "browser_helpers.py":
                offenders.append(f"{path.name}:{n}: {line.strip()}")
    assert offenders == []

"""Login refusals take comparable time: an unknown user against a real user with a wrong password (issue 8).

    python bench/bench_login.py [--rounds 15]

Before the fix an unknown user was answered ~0.3 s faster, which told an attacker which names exist. Both
kinds of attempt are interleaved (the machine's noise hits both alike) on a fresh database; the medians must
differ by at most 10 % of the slower one. The real account locks after five failures, as in life: the
locked answer must cost the same too.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assessment.errors import KepatuhanError  # noqa: E402
from services.accounts import users  # noqa: E402
from store.db import connect  # noqa: E402

MAX_GAP = 0.10


def _attempt(con, username: str) -> float:
    start = time.perf_counter()
    try:
        users.authenticate(con, username=username, password="salah-sekali-123")
    except KepatuhanError:
        pass
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        con = connect(Path(tmp))
        users.create_first_admin(con, username="admin", display_name="Admin", password="Kata-Sandi-Panjang-2026")
        unknown, wrong = [], []
        for n in range(args.rounds):
            unknown.append(_attempt(con, f"tidak-ada-{n}"))
            wrong.append(_attempt(con, "admin"))
        con.close()
    u, w = statistics.median(unknown), statistics.median(wrong)
    gap = abs(u - w) / max(u, w)
    ok = gap <= MAX_GAP
    print(f"unknown user  p50 {u * 1000:.0f} ms  p95 {statistics.quantiles(unknown, n=20)[18] * 1000:.0f} ms")
    print(f"wrong password p50 {w * 1000:.0f} ms  p95 {statistics.quantiles(wrong, n=20)[18] * 1000:.0f} ms")
    verdict = "PASS" if ok else "FAIL"
    print(f"BENCH login_refusal_timing gap {gap * 100:.1f} % (budget ≤ {MAX_GAP * 100:.0f} %) {verdict}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

"""Follow-up benchmark (issue 13): the region views an Ortala analyst opens, on 500 units × three periods.

    python bench/bench_followup.py [--units 500] [--repeat 3] [--dir PATH]

Same data as bench_region.py (the real migrations, ≈ 90 answer rows per unit and period), plus two follow-up
actions per unit and a published result per unit and for the Pemda. Budget: each region view (readiness
board, simulator, self / verified / official comparison across the three periods, the actions list) is
computed in ≤ 2 s, like the region overview (design.md); the actions workbook in ≤ 10 s, like the exports.
The best of --repeat runs is reported. Exits 1 when a budget is missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_region import ADMIN, CRITERIA_FILE, best_of, build  # noqa: E402

from assessment import load_criteria  # noqa: E402
from services.followup.actions import region_actions  # noqa: E402
from services.followup.comparison import compare  # noqa: E402
from services.followup.exports import actions_xlsx  # noqa: E402
from services.followup.readiness import region_readiness  # noqa: E402
from services.followup.simulator import simulate  # noqa: E402
from store.db import connect  # noqa: E402

VIEW_BUDGET = 2.0
EXPORT_BUDGET = 10.0


def add_followup(con, period_ids: list[int], n_units: int) -> None:
    current = period_ids[-1]
    today = dt.date.today()
    now = dt.datetime.now()
    con.execute("BEGIN TRANSACTION")
    con.execute(
        "INSERT INTO followup_actions (period_id, unit_id, title, indicators, source, owner, due_date, status, "
        "expected_points, created_by, created_at, updated_by, updated_at) "
        "SELECT ?, 1000 + i % ?, 'Tindakan ' || i, 'IN-K0' || (1 + i % 5), 'path', 'Petugas ' || i, "
        "?::DATE + CAST(i % 60 - 20 AS INTEGER), CASE WHEN i % 4 = 0 THEN 'selesai' ELSE 'rencana' END, 1.5, "
        "'bench', ?, 'bench', ? FROM range(?) t(i)",
        [current, n_units, today, now, now, 2 * n_units],
    )
    for pid in period_ids:
        con.execute(
            "INSERT INTO official_results (period_id, org_unit_id, score, label, suffix, dimensions, recorded_by, "
            "recorded_at) SELECT ?, 1000 + i, 50 + i % 40, 'Kualitas', '', '{}', 'bench', ? FROM range(?) t(i)",
            [pid, now, n_units],
        )
        con.execute(
            "INSERT INTO official_results VALUES (?, 1, 66.6, 'Opini Kualitas Sedang', '', '{}', 'bench', ?)",
            [pid, now],
        )
    con.execute("COMMIT")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--dir", default=None)
    args = parser.parse_args(argv)
    criteria = load_criteria(CRITERIA_FILE)
    root = Path(tempfile.mkdtemp(prefix="bench-followup-", dir=args.dir))
    try:
        con = connect(root)
        period_ids = build(con, criteria, args.units)
        add_followup(con, period_ids, args.units)
        current = period_ids[-1]
        from services.region.overview import region_overview

        reference, _ = best_of(args.repeat, region_overview, con, ADMIN)
        print(f"reference: region overview service of one period {reference:.3f} s on this machine now")
        timings = {}
        timings["readiness"], board = best_of(args.repeat, region_readiness, con, ADMIN, period_id=current)
        timings["simulator"], sim = best_of(args.repeat, simulate, con, ADMIN, period_id=current)
        timings["comparison"], comparison = best_of(args.repeat, compare, con, ADMIN)
        timings["actions"], lines = best_of(args.repeat, region_actions, con, ADMIN, period_id=current)
        xlsx_seconds, xlsx = best_of(args.repeat, actions_xlsx, con, ADMIN, period_id=current)
        print(f"readiness: {board.ready_units}/{len(board.units)} ready; simulator: {len(sim.cheapest)} steps to "
              f"{sim.target.code if sim.target else '-'}; comparison: {len(comparison.units)} unit rows; "
              f"{len(lines)} actions, workbook {len(xlsx) / 1e6:.2f} MB")
        con.close()
    finally:
        shutil.rmtree(root, ignore_errors=True)
    views_ok = max(timings.values()) <= VIEW_BUDGET
    print("BENCH followup_views " + " ".join(f"{k}_seconds={v:.3f}" for k, v in timings.items())
          + f" {'PASS' if views_ok else 'FAIL'}")
    export_ok = xlsx_seconds <= EXPORT_BUDGET
    print(f"BENCH followup_export xlsx_seconds={xlsx_seconds:.3f} {'PASS' if export_ok else 'FAIL'}")
    return 0 if views_ok and export_ok else 1


if __name__ == "__main__":
    sys.exit(main())

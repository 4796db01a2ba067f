"""Scoring 10,000 units on PostgreSQL against the embedded DuckDB file, in one run (issue 11).

    python bench/bench_scoring_postgres.py [--units 10000] [--repeat 5]

Budget (issue 11): scoring a period of 10,000 units on PostgreSQL within 3x of the embedded figure, with
the very same results. The period is built once with bench_scoring.build in the DuckDB file and copied
table by table into a throwaway PostgreSQL 15 cluster (tests/pg_server.py) with COPY; then
store.period_scores.score_period runs on each backend, interleaved, best of --repeat. On PostgreSQL it
pulls the period's rows over ADBC into Arrow and runs the exact query in an in-process DuckDB.
Exits 1 when the budget is missed or the results differ.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assessment import load_criteria  # noqa: E402
from assessment.batch import BatchScorer  # noqa: E402
from bench.bench_scoring import CRITERIA_FILE, build, score_in_sql, timed  # noqa: E402
from store.db import connect  # noqa: E402

MAX_RATIO = 3.0
TABLES = ("criteria_sets", "periods", "org_units", "service_products", "assessments", "answers")


def copy_to_postgres(duck, url: str, folder: Path) -> None:
    """Every table the scoring reads, DuckDB → CSV → PostgreSQL COPY, in the columns' order."""
    import psycopg

    with psycopg.connect(url) as pg:
        for table in TABLES:
            cols = [r[0] for r in duck.execute(f"DESCRIBE {table}").fetchall()]
            csv_file = folder / f"{table}.csv"
            duck.execute(f"COPY (SELECT {', '.join(cols)} FROM {table}) TO '{csv_file}' (FORMAT csv, HEADER false)")
            with pg.cursor() as cur, cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN (FORMAT csv)") as copy:
                with csv_file.open("rb") as src:
                    while chunk := src.read(1 << 20):
                        copy.write(chunk)
        pg.execute("ANALYZE")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)

    from tests.pg_server import pg_bindir, start

    if pg_bindir() is None:
        print("BENCH scoring_postgres_10k PostgreSQL is not installed (apt-get install postgresql-15) FAIL")
        return 1
    criteria = load_criteria(CRITERIA_FILE)
    folder = Path(tempfile.mkdtemp(prefix="bench-scoring-pg-"))
    os.chmod(folder, 0o755)  # the server (user postgres) does not read it, but COPY's CSV files live here
    server = start()
    try:
        os.environ.pop("KEPATUHAN_DATABASE_URL", None)
        duck = connect(folder / "duck")
        period = build(duck, criteria, args.units)
        name = server.create_database()
        url = server.url(name)
        os.environ["KEPATUHAN_DATABASE_URL"] = url
        pg = connect(folder / "pg")  # migrates the blank database
        copy_to_postgres(duck, url, folder)
        rows = pg.execute("SELECT count(*) FROM answers").fetchone()[0]
        print(f"{args.units} units, {rows} answer rows on both backends")
        scorer = BatchScorer(criteria)
        duck_s, pg_s = [], []
        for _ in range(args.repeat):
            wall, _, duck_results = timed(score_in_sql, duck, criteria, scorer, period)
            duck_s.append(wall)
            wall, _, pg_results = timed(score_in_sql, pg, criteria, scorer, period)
            pg_s.append(wall)
        same = duck_results == pg_results and len(pg_results) == args.units
        duck.close()
        pg.close()
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    duck_best, pg_best = min(duck_s), min(pg_s)
    ratio = pg_best / duck_best
    ok = same and ratio <= MAX_RATIO
    print(
        f"embedded p50={sorted(duck_s)[len(duck_s) // 2]:.3f}s best={duck_best:.3f}s; "
        f"postgresql p50={sorted(pg_s)[len(pg_s) // 2]:.3f}s best={pg_best:.3f}s; results identical: {same}"
    )
    print(
        f"BENCH scoring_postgres_10k embedded={duck_best:.3f}s postgresql={pg_best:.3f}s ratio={ratio:.2f} "
        f"(budget {MAX_RATIO:.0f}x) {'PASS' if ok else 'FAIL'}"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

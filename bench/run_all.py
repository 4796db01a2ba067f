"""Run every bench/bench_*.py in its own process and print their summary lines.

    python bench/run_all.py [--only NAME ...] [--quiet]

Each benchmark prints one line "BENCH <name> ... PASS|FAIL" and exits non-zero when it misses its
budget. This runner shows those lines (and, without --quiet, everything else the benchmarks print),
then a summary; it exits 1 if any benchmark failed or printed no BENCH line.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", default=None, help="run only these (e.g. scoring evidence)")
    parser.add_argument("--quiet", action="store_true", help="print only the BENCH lines")
    args = parser.parse_args(argv)

    scripts = sorted(HERE.glob("bench_*.py"))
    if args.only:
        scripts = [s for s in scripts if s.stem.removeprefix("bench_") in args.only]
    if not scripts:
        print("no benchmarks found", file=sys.stderr)
        return 1
    summary: list[str] = []
    failed = 0
    for script in scripts:
        start = time.perf_counter()
        run = subprocess.run([sys.executable, str(script)], cwd=HERE.parent, capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        lines = [line for line in run.stdout.splitlines() if line.startswith("BENCH ")]
        if not args.quiet:
            print(f"== {script.name} ({elapsed:.1f} s, exit {run.returncode})")
            for line in run.stdout.splitlines():
                if not line.startswith("BENCH "):
                    print(f"   {line}")
            if run.returncode and run.stderr.strip():
                print("   " + run.stderr.strip().replace("\n", "\n   "))
        if not lines:
            lines = [f"BENCH {script.stem.removeprefix('bench_')} no summary line (exit {run.returncode}) FAIL"]
        if run.returncode != 0 or not all(line.rstrip().endswith("PASS") for line in lines):
            failed += 1
        summary.extend(lines)
    print()
    for line in summary:
        print(line)
    print(f"{len(scripts) - failed}/{len(scripts)} benchmarks within budget")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

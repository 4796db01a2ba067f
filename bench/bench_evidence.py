"""Evidence intake benchmark: inspect() + BlobStore.put() for many distinct uploads.

    python bench/bench_evidence.py [--uploads 1000] [--size-mb 2] [--dir PATH]

Budgets (design.md): intake ≥ 50 MB/s, and the 1,000th upload no slower than the 10th (the
median of the last ten uploads is at most 1.5× the median of the first ten, allowing for noise).
Each upload is a PNG magic header followed by random bytes, made distinct by a counter, so
every put() writes a new file and fsyncs it. The data goes to a temporary directory (under
--dir when given), which is removed at the end. Exits 1 when a budget is missed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from evidence import BlobStore, inspect  # noqa: E402

MIN_MB_PER_S = 50.0
MAX_LATE_VS_EARLY = 1.5
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
MIB = 1024 * 1024


def run(uploads: int, size_mb: float, base_dir: str | None) -> tuple[float, float, float, float]:
    """(MB/s over the timed work, median s of uploads 1–10, of the last 10, their ratio)."""
    size = int(size_mb * MIB)
    body = bytearray(os.urandom(size))
    body[: len(PNG_MAGIC)] = PNG_MAGIC
    root = Path(tempfile.mkdtemp(prefix="bench-evidence-", dir=base_dir))
    try:
        store = BlobStore(root / "evidence")
        seconds = []
        for i in range(uploads):
            body[8:16] = i.to_bytes(8, "big")  # distinct content, outside the timed part
            data = bytes(body)
            start = time.perf_counter()
            intake = inspect(data, f"foto-{i}.png")
            sha = store.put(data)
            seconds.append(time.perf_counter() - start)
            if sha != intake.sha256 or intake.media_type != "image/png":
                raise SystemExit(f"upload {i + 1}: unexpected intake {intake}")
        stored = sum(1 for _ in store.iter_hashes())
        if stored != uploads:
            raise SystemExit(f"expected {uploads} blobs, found {stored}")
    finally:
        shutil.rmtree(root, ignore_errors=True)
    window = min(10, uploads)
    early = statistics.median(seconds[:window])
    late = statistics.median(seconds[-window:])
    mb_per_s = uploads * size / MIB / sum(seconds)
    return mb_per_s, early, late, late / early


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uploads", type=int, default=1000, help="number of distinct uploads (default 1000)")
    parser.add_argument("--size-mb", type=float, default=2.0, help="size of each upload in MiB (default 2)")
    parser.add_argument("--dir", default=None, help="where to create the temporary store (default: system temp)")
    args = parser.parse_args(argv)
    if args.uploads < 1 or args.size_mb <= 0:
        parser.error("--uploads must be ≥ 1 and --size-mb > 0")

    mb_per_s, early, late, ratio = run(args.uploads, args.size_mb, args.dir)
    window = min(10, args.uploads)
    total_mb = args.uploads * args.size_mb
    print(f"uploads: {args.uploads} × {args.size_mb:g} MiB = {total_mb:,.0f} MiB (inspect + put, fsync each)")
    print(f"throughput: {mb_per_s:.1f} MB/s (budget ≥ {MIN_MB_PER_S:g})")
    print(
        f"median upload 1–{window}: {early * 1000:.2f} ms; "
        f"{args.uploads - window + 1}–{args.uploads}: {late * 1000:.2f} ms; "
        f"late/early {ratio:.2f} (budget ≤ {MAX_LATE_VS_EARLY:g})"
    )
    failures = []
    if mb_per_s < MIN_MB_PER_S:
        failures.append(f"FAIL throughput {mb_per_s:.1f} MB/s is below the budget of {MIN_MB_PER_S:g} MB/s")
    if ratio > MAX_LATE_VS_EARLY:
        failures.append(
            f"FAIL the last uploads are {ratio:.2f}× slower than the first (budget ≤ {MAX_LATE_VS_EARLY:g}×)"
        )
    for line in failures:
        print(line)
    verdict = "FAIL" if failures else "PASS"
    print(f"BENCH evidence_intake mb_per_s={mb_per_s:.1f} late_vs_early={ratio:.2f} {verdict}")
    return 1 if failures else 0


if __name__ == "__main__":
    raise SystemExit(main())

"""Hostile inputs through the real CLI: each is refused with exit code 1 within 5 s and 300 MB (issue 8).

    python bench/bench_parse_limits.py

Every case runs `python -m cli.main …` in its own process; wall time and the child's peak resident memory
(getrusage of that child alone, via os.wait4) are reported per case. The inputs are the ones the tests in
tests/cli/test_parse_limits.py refuse (alias bomb, 2,000,000 respondents, 20,000 units, 5,001 digits,
8 MB file, deep nesting, 200,000-row workbook, zip-bomb workbook).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TIME_BUDGET_S = 5.0
MEMORY_BUDGET_MB = 300.0
UNIT = "unit: {code: U1, name: Unit Satu}\n"


def _cases(tmp: Path) -> list[tuple[str, list[str]]]:
    """Write the hostile files (run in its own process: a child forked from a big parent would report the
    parent's memory as its own peak)."""
    sys.path[:0] = [str(ROOT / "tests" / "cli"), str(ROOT)]
    from test_parse_limits import LAUGHS, MINI, hostile_workbook

    from assessment import parse_limits

    def write(name: str, content: str | bytes) -> str:
        path = tmp / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        return str(path)

    region = "region: {code: KAB, name: Kab}\nunits:\n" + "".join(
        f"  - {{code: U{n}, name: U{n}, answers: {{IN-02: 3}}}}\n" for n in range(20_000)
    )
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (parse_limits.MAX_XLSX_UNPACKED_BYTES + 1024))
    score = ["score", "--criteria", str(MINI), "--answers"]
    return [
        ("alias bomb (validate)", ["validate", write("bom.yaml", LAUGHS)]),
        ("alias bomb in answers", [*score, write("bom-u.yaml", LAUGHS.replace(
            "id: bom\ntitle: bom", UNIT + "answers: {IN-01: *a9}"))]),  # fmt: skip
        ("2,000,000 respondents", [*score, write("resp.yaml", UNIT + "answers:\n  OU-01: ["
                                                 + ", ".join(["2"] * 2_000_000) + "]\n")]),  # fmt: skip
        ("20,000-unit region", [*score, write("region.yaml", region)]),
        ("5,001-digit number", [*score, write("digits.yaml", UNIT + "answers:\n  IN-02: " + "9" * 5001 + "\n")]),
        ("file over the size limit", ["validate", write("big.yaml", b"#" + b"x" * (parse_limits.MAX_TEXT_BYTES + 9))]),
        ("5,000-deep nesting", ["validate", write("deep.yaml", "a: " + "[" * 5000 + "]" * 5000 + "\n")]),
        ("200,000-row workbook", ["import", write("rows.xlsx", hostile_workbook(200_000))]),
        ("zip-bomb workbook", ["import", write("bomb.xlsx", bomb.getvalue())]),
    ]


def _run(args: list[str], env: dict[str, str]) -> tuple[int, float, float]:
    start = time.perf_counter()
    child = subprocess.Popen([sys.executable, "-m", "cli.main", *args], cwd=ROOT, env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # fmt: skip
    _, status, usage = os.wait4(child.pid, 0)
    child.returncode = os.waitstatus_to_exitcode(status)
    return child.returncode, time.perf_counter() - start, usage.ru_maxrss / 1024  # ru_maxrss is in KiB on Linux


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        env = {**os.environ, "KEPATUHAN_DATA_DIR": str(tmp / "data")}
        subprocess.run([sys.executable, "-c", "from store.db import connect; connect().close()"], cwd=ROOT, env=env,
                       check=True)  # fmt: skip  # an empty database for `import`
        cases = json.loads(subprocess.run([sys.executable, __file__, "--write", str(tmp)], cwd=ROOT, check=True,
                                          capture_output=True, text=True).stdout)  # fmt: skip
        worst_s = worst_mb = 0.0
        ok = True
        for name, args in cases:
            code, seconds, mb = _run(args, env)
            good = code == 1 and seconds <= TIME_BUDGET_S and mb <= MEMORY_BUDGET_MB
            ok &= good
            worst_s, worst_mb = max(worst_s, seconds), max(worst_mb, mb)
            print(f"{name:28s} exit {code}  {seconds:5.2f} s  {mb:6.1f} MB  {'ok' if good else 'OVER'}")
    budget = f"budget {TIME_BUDGET_S:g} s / {MEMORY_BUDGET_MB:g} MB, exit 1 each"
    print(f"BENCH parse_limits worst {worst_s:.2f} s / {worst_mb:.0f} MB ({budget}) {'PASS' if ok else 'FAIL'}")
    return 0 if ok else 1


if __name__ == "__main__":
    if sys.argv[1:2] == ["--write"]:
        print(json.dumps(_cases(Path(sys.argv[2]))))
        sys.exit(0)
    sys.exit(main())

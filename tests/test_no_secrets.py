"""No default password or other secret is written in the source: accounts get passwords from a person
(setup page, `kepatuhan user add`, admin) or from a random generator (demo accounts)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SUFFIXES = {".py", ".toml", ".cfg", ".ini", ".yaml", ".yml", ".json", ".env", ".sh", ".md", ".txt"}
# tests and benchmarks create throwaway accounts in temporary databases
SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "data", "__pycache__", "tests", "bench", "build", "dist"}
# password = "…", password: '…', kata_sandi = "…", secret_key = "…" with a literal value
LITERAL = re.compile(
    r"\b(password|passwd|kata_sandi|sandi|secret|secret_key|api_key|token)\w*\s*[=:]\s*[\"'][^\"'\s{}]{4,}[\"']",
    re.IGNORECASE,
)
ALLOWED = {'type="password"'}


def _files():
    for path in ROOT.rglob("*"):
        rel = path.relative_to(ROOT)
        if path.is_file() and path.suffix in SUFFIXES and not SKIP_DIRS & set(rel.parts):
            yield path


def test_no_password_literals_in_non_test_source():
    hits = []
    for path in _files():
        for n, line in enumerate(path.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
            for match in LITERAL.finditer(line):
                if match.group(0) not in ALLOWED:
                    hits.append(f"{path.relative_to(ROOT)}:{n}: {match.group(0)}")
    assert not hits, "\n".join(hits)


def test_demo_passwords_are_generated_not_written_down():
    from services.accounts import demo_accounts

    source = Path(demo_accounts.__file__).read_text(encoding="utf-8")
    assert "secrets.token_urlsafe" in source
    assert all(len(user) == 4 for user in demo_accounts.DEMO_USERS)  # (username, name, role, unit): no password field


def test_no_database_or_demo_password_file_is_tracked():
    try:
        tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return  # not a git checkout (e.g. an sdist): nothing is tracked
    names = tracked.splitlines()
    assert not [n for n in names if n.endswith((".duckdb", ".duckdb.wal")) or n.endswith("akun-demo.txt")]

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from cli.main import main

ROOT = Path(__file__).resolve().parents[2]
MINI = ROOT / "tests" / "fixtures" / "mini-criteria.yaml"
OMBUDSMAN = ROOT / "criteria" / "ombudsman-2023.yaml"


class Run:
    def __init__(self, code: int, out: str, err: str) -> None:
        self.code, self.out, self.err = code, out, err

    def __repr__(self) -> str:
        return f"Run(code={self.code}, out={self.out!r}, err={self.err!r})"


@pytest.fixture
def cli(capsys):
    """Run `kepatuhan ARGS` in this process; return exit code, stdout, stderr."""

    def run(*args: str) -> Run:
        capsys.readouterr()
        code = main([str(a) for a in args])
        captured = capsys.readouterr()
        return Run(code, captured.out, captured.err)

    return run


@pytest.fixture
def cli_process():
    """Run the real `python -m cli.main` in a subprocess (to see exactly what a user sees)."""

    def run(*args: str, env: dict[str, str] | None = None) -> Run:
        result = subprocess.run(
            [sys.executable, "-m", "cli.main", *map(str, args)],
            cwd=ROOT, env={**os.environ, **(env or {})}, capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        return Run(result.returncode, result.stdout, result.stderr)

    return run


@pytest.fixture
def needs_ombudsman():
    if not OMBUDSMAN.exists():
        pytest.skip("criteria/ombudsman-2023.yaml belum ada")
    return OMBUDSMAN

"""Two processes: a second writer gets a clear message; a killed writer loses no committed answer."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from store import assessments
from store.db import connect
from store.errors import StorageError

ROOT = Path(__file__).resolve().parents[2]
LOCK_MESSAGE = "Database sedang dipakai oleh proses lain"


def python(code: str, data_dir: Path, **kwargs) -> subprocess.Popen:
    env = {**os.environ, "KEPATUHAN_DATA_DIR": str(data_dir), "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code)], env=env, cwd=ROOT, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, stdin=subprocess.PIPE, text=True, **kwargs,
    )  # fmt: skip


@pytest.fixture
def holder(_isolated_data_dir):
    """Another process (like the running app) holding the database open."""
    proc = python(
        """
        import sys
        from store.db import connect
        con = connect()
        print("ready", flush=True)
        sys.stdin.readline()
        """,
        _isolated_data_dir,
    )
    assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    yield proc
    proc.stdin.close()
    proc.wait(timeout=30)


@pytest.mark.duckdb_only  # DuckDB's one-writer lock; PostgreSQL takes many processes
def test_second_writer_in_this_process_gets_the_clear_message(holder, _isolated_data_dir):
    with pytest.raises(StorageError) as caught:
        connect(_isolated_data_dir)
    message = str(caught.value)
    assert message.startswith(LOCK_MESSAGE)
    assert f"PID {holder.pid}" in message
    assert "Tutup aplikasinya dulu" in message


@pytest.mark.duckdb_only  # DuckDB's one-writer lock; PostgreSQL takes many processes
def test_second_writer_cli_prints_the_message_without_traceback(holder, _isolated_data_dir):
    env = {**os.environ, "KEPATUHAN_DATA_DIR": str(_isolated_data_dir)}
    result = subprocess.run(
        [sys.executable, "-m", "cli.main", "demo"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 1
    assert LOCK_MESSAGE in result.stderr
    assert "Traceback" not in result.stderr


CRASH_WRITER = """
import datetime as dt
from store import assessments, periods, units
from store.db import connect, transaction

con = connect()
with transaction(con):
    unit = units.add_unit(con, kind="unit", code="U1", name="Satu")
    period = periods.add_period(con, name="P", year=2024, criteria_sha256="x")
    aid = assessments.get_or_create(con, period_id=period, unit_id=unit).id
print("assessment", aid, flush=True)
n = 0
while True:
    n += 1
    with transaction(con):
        assessments.put_answer(con, assessment_id=aid, indicator_id="IN-01", subject=f"respondent:{n}",
                               value=n % 4, actor="crash", at=dt.datetime.now())
    print("committed", n, flush=True)
"""


def test_sigkill_mid_write_keeps_every_committed_answer(_isolated_data_dir):
    proc = python(CRASH_WRITER, _isolated_data_dir)
    first = proc.stdout.readline().split()
    assert first[0] == "assessment", proc.stderr.read()
    aid = int(first[1])
    committed = 0
    try:
        for line in proc.stdout:
            committed = int(line.split()[1])
            if committed >= 150:
                break
    finally:
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert committed >= 150

    con = connect(_isolated_data_dir)
    rows = assessments.answers(con, assessment_id=aid)
    present = {int(r.subject.split(":")[1]) for r in rows}
    assert set(range(1, committed + 1)) <= present  # maybe one more that committed before its print
    assert len(present) <= committed + 1
    assert all(r.value == int(r.subject.split(":")[1]) % 4 for r in rows)
    # the database is writable again after the crash
    assessments.put_answer(
        con, assessment_id=aid, indicator_id="IN-02", subject="unit", value=3, actor="x", at=rows[0].updated_at
    )
    con.close()

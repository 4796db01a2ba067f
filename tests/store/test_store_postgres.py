"""PostgreSQL as the store (issue 11): several processes on one database, no lost update between them,
migrations applied once when processes start together, a pool that idle sessions do not drain, and clear
words when the server cannot be reached."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from assessment.messages import message
from store import assessments
from store.db import connect, transaction
from store.errors import ConflictError, StorageError
from store.migrations import MIGRATIONS
from store.postgres import placeholders

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.postgres_only

# Each round: read the answer's revision, then save with it as the expected revision, in one transaction.
# Two such processes race on one answer; every save that returns must have advanced the revision by one.
RACER = """
import sys
from store import assessments
from store.db import connect, transaction
from store.errors import ConflictError
import datetime as dt

aid, who, rounds = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
con = connect()
print("ready", flush=True)
sys.stdin.readline()
won = lost = 0
for n in range(rounds):
    rows = assessments.answers_for(con, assessment_id=aid, indicator_id="IN-01")
    try:
        with transaction(con):
            assessments.put_answer(
                con, assessment_id=aid, indicator_id="IN-01", subject="unit", value=float(n % 2), actor=who,
                at=dt.datetime(2024, 7, 1), expected_revision=rows[0].revision if rows else 0,
            )
        won += 1
    except ConflictError:
        lost += 1
print(won, lost, flush=True)
"""


def _python(code: str, *args: str) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(code), *args], env=env, cwd=ROOT, stdin=subprocess.PIPE,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip


def test_two_processes_saving_one_answer_never_overwrite_each_other(con, setup):
    aid, rounds = setup["assessment"], 150
    racers = [_python(RACER, str(aid), who, str(rounds)) for who in ("kepala-a", "kepala-b")]
    for proc in racers:
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read()
    for proc in racers:  # release both at once
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = []
    for proc in racers:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err
        results.append(tuple(int(x) for x in out.split()))
    won = sum(r[0] for r in results)
    lost = sum(r[1] for r in results)
    final = _answer(con, aid)
    assert won + lost == 2 * rounds
    # every acknowledged save is one revision: a silently overwritten save would leave the revision behind
    assert final.revision == won
    assert lost > 0, "the two processes never met; the race was not exercised"


def test_the_stale_tab_rule_holds_against_another_process(con, setup):
    aid = setup["assessment"]
    with transaction(con):
        assessments.put_answer(
            con, assessment_id=aid, indicator_id="IN-01", subject="unit", value=1.0, actor="a", at=_at()
        )
    other = _python(
        """
        import sys, datetime as dt
        from store import assessments
        from store.db import connect, transaction
        con = connect()
        with transaction(con):
            assessments.put_answer(con, assessment_id=int(sys.argv[1]), indicator_id="IN-01", subject="unit",
                value=0.0, actor="b", at=dt.datetime(2024, 7, 2), expected_revision=1)
        """,
        str(aid),
    )
    _, err = other.communicate(timeout=120)
    assert other.returncode == 0, err
    with pytest.raises(ConflictError) as refused, transaction(con):  # this tab still shows revision 1
        assessments.put_answer(
            con, assessment_id=aid, indicator_id="IN-01", subject="unit", value=1.0, actor="a", at=_at(),
            expected_revision=1,
        )  # fmt: skip
    assert "diubah" in message(refused.value.key, "id", **refused.value.params).lower()
    kept = _answer(con, aid)
    assert (kept.value, kept.updated_by, kept.revision) == (0.0, "b", 2)


def test_processes_starting_together_apply_each_migration_once(pg_server):
    name = pg_server.create_database()  # blank: the processes migrate it
    url = pg_server.url(name)
    code = """
        import sys
        from store.db import connect
        sys.stdin.readline()
        connect().close()
        print("ok", flush=True)
    """
    env_url = {"KEPATUHAN_DATABASE_URL": url}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", textwrap.dedent(code)], env={**os.environ, **env_url, "PYTHONPATH": str(ROOT)},
            cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        for _ in range(4)
    ]
    for proc in procs:
        proc.stdin.write("go\n")
        proc.stdin.flush()
    for proc in procs:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0 and out.strip() == "ok", err
    import psycopg

    with psycopg.connect(url) as check:
        names = [r[0] for r in check.execute("SELECT name FROM schema_migrations ORDER BY name").fetchall()]
    assert names == [n for n, _ in MIGRATIONS]
    pg_server.drop_database(name)


def test_idle_sessions_hold_no_connection_and_the_pool_caps_each_process(con, monkeypatch):
    sessions = [con.cursor() for _ in range(60)]  # sixty browser sessions of one app process
    for s in sessions:
        assert s.execute("SELECT count(*) FROM org_units").fetchone() == (0,)
    db = con.execute("SELECT current_database()").fetchone()[0]
    in_use = con.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = ?", [db]).fetchone()[0]
    assert in_use <= 10  # store.postgres.POOL_MAX, not one per session
    for s in sessions:
        s.close()


def test_a_transaction_keeps_one_connection_and_rolls_back_whole(con, setup):
    aid = setup["assessment"]
    with pytest.raises(RuntimeError), transaction(con):
        assessments.put_answer(
            con, assessment_id=aid, indicator_id="IN-01", subject="unit", value=1.0, actor="a", at=_at()
        )
        raise RuntimeError("stopped half-way")
    assert _answer(con, aid) is None


def test_an_unreachable_server_and_a_wrong_url_are_explained(monkeypatch, _isolated_data_dir):
    monkeypatch.setenv("KEPATUHAN_DATABASE_URL", "postgresql://kepatuhan@127.0.0.1:1/none?connect_timeout=2")
    monkeypatch.setattr("store.postgres.POOL_TIMEOUT_S", 3.0)
    with pytest.raises(StorageError) as down:
        connect(_isolated_data_dir)
    assert down.value.key == "err.storage.database_unreachable"
    assert "tidak bisa dihubungi" in message(down.value.key, "id", **down.value.params)
    monkeypatch.setenv("KEPATUHAN_DATABASE_URL", "mysql://root@localhost/x")
    with pytest.raises(StorageError) as wrong:
        connect(_isolated_data_dir)
    assert wrong.value.key == "err.storage.database_url"


def test_the_cli_says_so_without_a_traceback_when_the_server_is_down(_isolated_data_dir):
    env = {
        **os.environ, "PYTHONPATH": str(ROOT), "KEPATUHAN_DATA_DIR": str(_isolated_data_dir),
        "KEPATUHAN_DATABASE_URL": "postgresql://kepatuhan@127.0.0.1:1/none?connect_timeout=2",
    }  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-m", "cli.main", "demo"], env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode != 0
    assert "tidak bisa dihubungi" in done.stderr and "Traceback" not in done.stderr


def test_placeholders_leave_quoted_text_alone():
    assert placeholders("SELECT '?%' || ?, \"a?\" FROM t WHERE x LIKE '%a' AND y = ?") == (
        "SELECT '?%%' || %s, \"a?\" FROM t WHERE x LIKE '%%a' AND y = %s"
    )


def _at():
    import datetime as dt

    return dt.datetime(2024, 7, 1, 9, 30)


def _answer(con, aid: int):
    rows = assessments.answers_for(con, assessment_id=aid, indicator_id="IN-01")
    return rows[0] if rows else None

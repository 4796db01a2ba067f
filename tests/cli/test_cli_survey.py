"""`kepatuhan survey link` and `kepatuhan survey results [--json]`."""

from __future__ import annotations

import json
import time
import uuid

from cli.main import main
from services.surveys.public import Submission, submit


def test_link_prints_the_public_url_and_makes_one_when_missing(survey_world, capsys, monkeypatch):
    w = survey_world
    monkeypatch.setenv("KEPATUHAN_PUBLIC_URL", "https://survei.example.go.id")
    w.con.close()
    assert main(["survey", "link", "--unit", "U1"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"https://survei.example.go.id/?s={w.skm.code}"
    assert main(["survey", "link", "--unit", "U2"]) == 0
    out = capsys.readouterr().out
    assert "(tautan baru dibuat)" in out and "https://survei.example.go.id/?s=" in out
    assert main(["survey", "link", "--unit", "NOPE"]) == 1
    assert "NOPE" in capsys.readouterr().err


def test_results_prints_nrr_ikm_and_category(survey_world, capsys):
    w = survey_world
    for row in (
        [4, 3, 3, 2, 4, 3, 4, 2, 3],
        [3, 3, 2, 1, 3, 3, 4, 3, 3],
        [4, 4, 3, 4, 4, 4, 4, 3, 4],
        [3, 2, 2, 4, 3, 3, 3, 2, 2],
    ):
        submit(
            w.con,
            Submission(
                code=w.skm.code,
                submission_id=uuid.uuid4().hex,
                started_at=time.time() - 60,
                answers={f"U{i}": v for i, v in enumerate(row, 1)},
                device_token=uuid.uuid4().hex,
            ),
        )
    w.con.close()
    assert main(["survey", "results", "--unit", "U1", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["n"], data["ikm"], data["category"]) == (4, 77.01, "B")
    assert data["nrr"]["U1"] == 3.5 and len(data["nrr"]) == 9
    assert main(["survey", "results", "--unit", "U1"]) == 0
    text = capsys.readouterr().out
    assert "IKM: 77,01 — mutu B (Baik)" in text and "NRR 3,500" in text
    assert main(["survey", "results", "--unit", "U1", "--survey", "kepercayaan-2025"]) == 1
    assert "Belum ada periode yang memakai survei" in capsys.readouterr().err

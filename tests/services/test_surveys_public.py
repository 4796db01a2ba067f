"""The public survey services: links, one answer per device per day, kiosks, limits, honeypot, proofs."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest

from services.access import AccessDenied
from services.surveys import links, public
from services.surveys.errors import SurveyAdminError, SurveyRefused
from services.surveys.public import HARD_LIMIT, SOFT_LIMIT, WINDOW_SECONDS, Submission, open_survey, submit
from store import audit
from store import surveys as store
from store.db import connect

ROOT = Path(__file__).resolve().parents[2]

SKM_ALL_4 = {f"U{i}": 4 for i in range(1, 10)}
USER_NONE = {"penundaan": 4, "imbalan": 4, "prosedur": 4, "kompetensi": 4, "perlakuan": 4}


def form(code, answers=None, **kw):
    base = dict(
        code=code, submission_id=uuid.uuid4().hex, answers=answers or SKM_ALL_4, started_at=time.time() - 120,
        device_token=uuid.uuid4().hex, client="10.0.0.1",
    )  # fmt: skip
    base.update(kw)
    return Submission(**base)


def statuses(w):
    return [r.status for r in store.responses(w.con, period_id=w.period)]


def test_a_link_has_a_short_typable_code_and_a_public_url(survey_world, monkeypatch):
    w = survey_world
    monkeypatch.setenv("KEPATUHAN_PUBLIC_URL", "https://survei.example.go.id/")
    assert len(w.skm.code) == 6 and set(w.skm.code) <= set(links.CODE_ALPHABET)
    assert links.public_url(w.skm.code) == f"https://survei.example.go.id/?s={w.skm.code}"
    # typed with spaces, dashes and lower case
    typed = f" {w.skm.code[:3].lower()}-{w.skm.code[3:]} "
    assert open_survey(w.con, typed).link.id == w.skm.id
    assert audit.events(w.con, event="survey.link_created")[0].payload["code"] in (w.skm.code, w.user.code)


def test_links_per_product_and_scope_of_who_may_make_them(survey_world):
    w = survey_world
    link = links.create_link(w.con, w.head, period_id=w.period, unit_id=w.unit, survey_id="skm-2017",
                             product_code="SKTM", counter="Loket 2")  # fmt: skip
    assert open_survey(w.con, link.code).product_name == "Surat Keterangan Tidak Mampu"
    with pytest.raises(AccessDenied):
        links.create_link(w.con, w.other_head, period_id=w.period, unit_id=w.unit, survey_id="skm-2017")
    with pytest.raises(SurveyAdminError, match="Produk layanan 'XX' tidak ada"):
        links.create_link(w.con, w.head, period_id=w.period, unit_id=w.unit, survey_id="skm-2017", product_code="XX")
    with pytest.raises(SurveyAdminError, match="tidak dikenal"):
        links.create_link(w.con, w.admin, period_id=w.period, unit_id=w.unit, survey_id="nope")


def test_unknown_and_closed_links_are_explained(survey_world):
    w = survey_world
    with pytest.raises(SurveyRefused) as err:
        open_survey(w.con, "ZZZZZZ")
    assert err.value.code == "unknown" and "tidak dikenal" in str(err.value)
    links.set_link_open(w.con, w.admin, link_id=w.skm.id, open_=False)
    with pytest.raises(SurveyRefused) as err:
        open_survey(w.con, w.skm.code)
    assert err.value.code == "closed" and "sudah ditutup" in str(err.value)
    with pytest.raises(SurveyRefused):
        submit(w.con, form(w.skm.code))
    assert statuses(w) == []


def test_the_period_pins_the_survey_text(survey_world):
    w = survey_world
    pinned = store.pinned(w.con, period_id=w.period)
    assert set(pinned) == {"skm-2017", "pengguna-2023"}
    text = store.get_def(w.con, sha256=pinned["skm-2017"]).yaml
    assert "Sangat mahal" in text


def test_an_answer_is_stored_once_even_when_sent_twice(survey_world):
    w = survey_world
    sub = form(w.skm.code, profile={"jenis-kelamin": "Perempuan"}, suggestion='=HYPERLINK("x") <b>loket</b>')
    first = submit(w.con, sub)
    again = submit(w.con, sub)
    assert not first.held and not first.duplicate
    assert again.duplicate and again.response_id == first.response_id
    (row,) = store.responses(w.con, period_id=w.period)
    assert row.answers == SKM_ALL_4 and row.profile == {"jenis-kelamin": "Perempuan"}
    assert row.suggestion == '=HYPERLINK("x") <b>loket</b>'  # stored as typed; escaped where shown


def test_one_answer_per_device_per_unit_per_day_but_a_kiosk_may_send_many(survey_world):
    w = survey_world
    submit(w.con, form(w.skm.code, device_token="phone-1"))
    with pytest.raises(SurveyRefused) as err:
        submit(w.con, form(w.skm.code, device_token="phone-1"))
    assert err.value.code == "already"
    submit(w.con, form(w.user.code, answers=USER_NONE, device_token="phone-1", proof="TK-1"))  # another survey
    token = links.add_kiosk(w.con, w.admin, unit_id=w.unit, label="Tablet loket 1")
    for _ in range(3):
        submit(w.con, form(w.skm.code, device_token="tablet", kiosk_token=token))
    assert statuses(w).count("accepted") == 5
    rows = store.responses(w.con, period_id=w.period)
    assert [r.channel for r in rows].count("kiosk") == 3
    # a revoked kiosk is an ordinary device again
    links.set_kiosk_active(w.con, w.admin, token_sha256=links.kiosk_hash(token), active=False)
    with pytest.raises(SurveyRefused):
        submit(w.con, form(w.skm.code, device_token="tablet", kiosk_token=token))
    assert [e.event for e in audit.events(w.con)][:2] == ["survey.kiosk_status", "survey.kiosk_added"]


def test_a_kiosk_of_another_unit_gives_no_exemption(survey_world):
    w = survey_world
    token = links.add_kiosk(w.con, w.admin, unit_id=w.other, label="Tablet unit dua")
    submit(w.con, form(w.skm.code, device_token="t", kiosk_token=token))
    with pytest.raises(SurveyRefused):
        submit(w.con, form(w.skm.code, device_token="t", kiosk_token=token))


def test_honeypot_and_too_fast_answers_are_kept_but_held(survey_world):
    w = survey_world
    assert submit(w.con, form(w.skm.code, honeypot="http://spam")).held
    assert submit(w.con, form(w.skm.code, started_at=time.time() - 3)).held
    assert not submit(w.con, form(w.skm.code, started_at=time.time() - 25)).held
    rows = store.responses(w.con, period_id=w.period)
    assert [r.flags for r in rows] == ["honeypot", "terlalu-cepat", ""]


def test_a_busy_office_router_is_not_tripped_but_a_flood_is(survey_world):
    w = survey_world
    now = time.time()
    # a busy counter: 40 people in ten minutes behind one router, each on their own phone
    for _ in range(40):
        assert not submit(w.con, form(w.skm.code, client="203.0.113.9"), clock=now).held
    for _ in range(SOFT_LIMIT - 40):
        submit(w.con, form(w.skm.code, client="203.0.113.9"), clock=now)
    assert submit(w.con, form(w.skm.code, client="203.0.113.9"), clock=now).held
    for _ in range(HARD_LIMIT - SOFT_LIMIT - 1):
        submit(w.con, form(w.skm.code, client="203.0.113.9"), clock=now)
    with pytest.raises(SurveyRefused) as err:
        submit(w.con, form(w.skm.code, client="203.0.113.9"), clock=now)
    assert err.value.code == "rate"
    # a flood that goes on is refused without growing the shared window table
    for _ in range(5):
        with pytest.raises(SurveyRefused):
            submit(w.con, form(w.skm.code, client="203.0.113.9"), clock=now)
    assert w.con.execute("SELECT count(*) FROM survey_client_hits").fetchone() == (HARD_LIMIT,)
    # another network is unaffected, and the window forgets after ten minutes
    assert not submit(w.con, form(w.skm.code, client="198.51.100.1"), clock=now).held
    assert not submit(w.con, form(w.skm.code, client="203.0.113.9"), clock=now + 601).held


def test_proof_of_service_is_required_hashed_and_usable_once(survey_world):
    w = survey_world
    with pytest.raises(SurveyRefused) as err:
        submit(w.con, form(w.user.code, answers=USER_NONE))
    assert err.value.code == "proof"
    submit(w.con, form(w.user.code, answers=USER_NONE, proof="REG-2025-0001"))
    with pytest.raises(SurveyRefused) as err:  # same number typed differently
        submit(w.con, form(w.user.code, answers=USER_NONE, proof="reg 2025 0001"))
    assert err.value.code == "proof_used"
    assert len(store.responses(w.con, period_id=w.period)) == 1
    stored = w.con.execute("SELECT proof_sha256 FROM survey_proofs").fetchall()
    assert len(stored) == 1 and "0001" not in stored[0][0] and len(stored[0][0]) == 64
    dump = " ".join(str(v) for row in w.con.execute("SELECT * FROM survey_responses").fetchall() for v in row)
    assert "REG-2025" not in dump


def test_incomplete_or_forged_answers_are_refused_and_nothing_is_written(survey_world):
    w = survey_world
    for bad in ({"U1": 4}, {**SKM_ALL_4, "U1": 9}, {**SKM_ALL_4, "X": 1}):
        with pytest.raises(SurveyRefused):
            submit(w.con, form(w.skm.code, answers=bad))
    with pytest.raises(SurveyRefused):
        submit(w.con, form(w.skm.code, profile={"umur": "<b>999</b>"}))
    with pytest.raises(ValueError):
        form(w.skm.code, suggestion="x" * 5000)
    assert statuses(w) == []


def test_contact_is_kept_only_where_the_survey_asks_for_it(survey_world):
    w = survey_world
    submit(w.con, form(w.skm.code, contact="0812-1111"))
    (row,) = store.responses(w.con, period_id=w.period)
    assert row.contact == "0812-1111"


# A second app process: opens the same data directory, sends `count` answers from one client, and exits.
OTHER_PROCESS = """
import sys, time, uuid
from services.surveys.public import Submission, submit
from store.db import connect
code, client, count, clock = sys.argv[1], sys.argv[2], int(sys.argv[3]), float(sys.argv[4])
con = connect()
held = 0
for _ in range(count):
    sub = Submission(code=code, submission_id=uuid.uuid4().hex, answers={f"U{i}": 4 for i in range(1, 10)},
                     started_at=clock - 120, device_token=uuid.uuid4().hex, client=client)
    held += submit(con, sub, clock=clock).held
con.close()
print(held)
"""


def test_the_rate_window_is_shared_by_app_processes_and_survives_a_restart(survey_world, _isolated_data_dir):
    w = survey_world
    now = time.time()
    router = "203.0.113.77"
    # two app processes' connections to one store, answers alternating between them, share one count
    other = connect(_isolated_data_dir)
    for n in range(20):
        assert not submit(w.con if n % 2 else other, form(w.skm.code, client=router), clock=now).held
    other.close()
    w.con.close()  # the app stops: the next process starts with nothing in memory
    run = subprocess.run(
        [sys.executable, "-c", OTHER_PROCESS, w.skm.code, router, str(SOFT_LIMIT - 20), str(now)],
        cwd=ROOT, capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert run.returncode == 0, run.stderr
    assert run.stdout.strip() == "0"  # the other process saw 20 + its own, all within the soft limit
    # restarted again, here: the window still holds the other processes' answers, so the next one is held
    w.con = connect(_isolated_data_dir)
    assert submit(w.con, form(w.skm.code, client=router), clock=now).held
    assert not submit(w.con, form(w.skm.code, client="198.51.100.7"), clock=now).held
    rows = store.responses(w.con, period_id=w.period)
    assert len(rows) == SOFT_LIMIT + 2 and [r.status for r in rows].count("suspicious") == 1
    w.con.close()


def test_hits_older_than_the_window_are_pruned(survey_world, monkeypatch):
    w = survey_world
    now = time.time()
    for _ in range(3):
        submit(w.con, form(w.skm.code, client="203.0.113.5"), clock=now)
    monkeypatch.setitem(public._PRUNE, "next_ms", 0)  # this process has not pruned for a minute
    submit(w.con, form(w.skm.code, client="203.0.113.6"), clock=now + WINDOW_SECONDS + 1)
    kept = w.con.execute("SELECT client_sha256 FROM survey_client_hits").fetchall()
    assert len(kept) == 1 and "203.0.113" not in kept[0][0]  # only a digest of the address is stored

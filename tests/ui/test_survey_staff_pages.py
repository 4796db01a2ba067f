"""Staff survey pages as users reach them: links and posters, population, kiosks, held answers, results,
the Output feed on the questionnaire, and the override reason on the verifier's review."""

from __future__ import annotations

import time
import uuid

from conftest import TIMEOUT, UNIT, login
from streamlit.testing.v1 import AppTest

from services.access import SYSTEM
from services.answering.assessing import record_tally
from services.surveys import links
from services.surveys.output_feed import feed_output
from services.surveys.public import Submission, submit
from store import surveys as store


def page(module: str, call: str, user: str, demo) -> AppTest:
    at = AppTest.from_string(f"from app_pages import {module}\n{module}.{call}()\n", default_timeout=TIMEOUT)
    login(at, user)
    at.query_params["unit"] = UNIT
    at.query_params["periode"] = str(demo.open_period().id)
    return at.run()


def answer(demo, code, answers, **kw):
    sub = Submission(code=code, submission_id=uuid.uuid4().hex, answers=answers, started_at=time.time() - 60,
                     device_token=uuid.uuid4().hex, **kw)  # fmt: skip
    return submit(demo.con(), sub)


def test_unit_head_makes_a_link_and_gets_the_poster(demo):
    at = page("survey_links", "render", "kadinsos", demo)
    assert not at.exception
    assert any("Belum ada tautan survei" in i.value for i in at.info)
    assert len(at.tabs) == 1  # population, kiosks and held answers are the admin's
    next(b for b in at.button if b.label == "Buat tautan").click().run()
    assert any("Tautan dibuat dengan kode" in s.value for s in at.success)
    (link,) = store.links(demo.con(), unit_id=demo.unit().id)
    at.run()
    assert link.code in at.dataframe[0].value.iloc[0].tolist()
    labels = [b.label for b in at.get("download_button")]
    assert {"Poster A4 (PDF, kode QR)", "Formulir kertas (PDF)", "Templat isian kertas (Excel)"} <= set(labels)


def test_admin_enters_population_registers_a_kiosk_and_decides_a_held_answer(demo):
    link = links.create_link(demo.con(), SYSTEM, period_id=demo.open_period().id, unit_id=demo.unit().id,
                             survey_id="skm-2017")  # fmt: skip
    held = answer(demo, link.code, {f"U{i}": 1 for i in range(1, 10)}, honeypot="bot")
    at = page("survey_links", "render", "ortala", demo)
    assert [t.label for t in at.tabs] == ["Tautan", "Populasi layanan", "Perangkat kios", "Jawaban ditahan"]
    at.number_input(key="sv_pop_value").set_value(1000)
    next(b for b in at.button if b.label == "Simpan").click().run()
    assert store.population_of(demo.con(), period_id=demo.open_period().id, unit_id=demo.unit().id,
                               survey_id="skm-2017") == 1000  # fmt: skip
    next(ti for ti in at.text_input if ti.label == "Nama perangkat").input("Tablet loket 1")
    next(b for b in at.button if b.label == "Daftarkan kios").click().run()
    assert any("&kios=" in c.value for c in at.code)
    table = at.dataframe[-1].value
    assert held.response_id in table["ID"].tolist()
    next(b for b in at.button if b.label == "Tolak (tetap disimpan, tidak dihitung)").click().run()
    assert store.response_by_id(demo.con(), response_id=held.response_id).status == "rejected"


def test_results_page_shows_ikm_category_and_the_sample_warning(demo):
    link = links.create_link(demo.con(), SYSTEM, period_id=demo.open_period().id, unit_id=demo.unit().id,
                             survey_id="skm-2017")  # fmt: skip
    for row in ([4, 3, 3, 2, 4, 3, 4, 2, 3], [3, 3, 2, 1, 3, 3, 4, 3, 3], [4, 4, 3, 4, 4, 4, 4, 3, 4],
                [3, 2, 2, 4, 3, 3, 3, 2, 2]):
        answer(demo, link.code, {f"U{i}": v for i, v in enumerate(row, 1)}, suggestion="**tebal** <i>x</i>")
    links.set_population(demo.con(), SYSTEM, period_id=demo.open_period().id, unit_id=demo.unit().id,
                         survey_id="skm-2017", population=100)  # fmt: skip
    at = page("survey_results", "render", "kadinsos", demo)
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Responden": "4 / 80", "IKM": "77,01", "Mutu pelayanan": "B · Baik"}
    assert any("Responden baru 4 dari sampel minimum 80" in w.value for w in at.warning)
    suggestions = at.dataframe[-1].value
    assert suggestions["Saran"].tolist() == ["**tebal** <i>x</i>"] * 4  # a plain cell, never markup
    assert not any("Peringkat IKM unit" in s.value for s in at.subheader)  # the league is for Ortala
    at = page("survey_results", "render", "ortala", demo)
    assert any("Peringkat IKM unit" in s.value for s in at.subheader)


def test_output_page_fills_tallies_from_the_survey_and_the_verifier_sees_the_override_reason(demo):
    con = demo.con()
    period = demo.open_period().id
    link = links.create_link(con, SYSTEM, period_id=period, unit_id=demo.unit().id, survey_id="pengguna-2023")
    for n in range(3):
        answer(demo, link.code, {"penundaan": 4, "imbalan": 4, "prosedur": 4, "kompetensi": 4, "perlakuan": 4},
               proof=f"T-{n}")  # fmt: skip
    at = AppTest.from_string("from app_pages import dimension\ndimension.render('output')\n", default_timeout=TIMEOUT)
    login(at)
    at.query_params["unit"] = UNIT
    at.query_params["periode"] = str(period)
    at.run()
    next(b for b in at.button if b.label == "Isi rekap Output dari survei pengguna").click().run()
    assert not at.exception
    assert any("Dari survei pengguna: 3 responden" in i.value for i in at.info)
    view = demo.view()
    assert {r.subject: r.count for r in view.answers["OUT-01"]} == {"tally:3": 3}
    reason = "Wawancara 30 pengguna di loket bulan Juli"
    from services.access import Actor

    head = Actor(username="kadinsos", role="unit_head", unit_id=demo.unit().id)
    record_tally(con, head, assessment_id=view.assessment.id, indicator_id="OUT-01", counts={3: 30}, reason=reason)
    assert "OUT-01" in feed_output(con, head, assessment_id=view.assessment.id).kept
    at.run()
    assert any(reason in w.value for w in at.warning)

"""The public survey page through the router (app.py): no login, no staff page, id/en, plain refusals."""

from __future__ import annotations

import time

from conftest import APP, TIMEOUT
from streamlit.testing.v1 import AppTest

from services.access import SYSTEM
from services.surveys import links
from store import surveys as store


def make_link(demo, survey_id="skm-2017"):
    con = demo.con()
    return links.create_link(con, SYSTEM, period_id=demo.open_period().id, unit_id=demo.unit().id,
                             survey_id=survey_id)  # fmt: skip


def public(code: str | None, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if code is not None:
        at.query_params["s"] = code
    for key, value in params.items():
        at.query_params[key] = value
    return at.run()


def test_the_survey_opens_without_login_and_shows_no_staff_navigation(demo):
    link = make_link(demo)
    at = public(link.code)
    assert not at.exception
    assert at.title[0].value == "Survei Kepuasan Masyarakat"
    assert len([r for r in at.radio if ":q:" in (r.key or "")]) == 9
    assert not at.sidebar.children or all(not c.children for c in at.sidebar.children.values())
    assert not [w for w in at.text_input if w.label in ("Nama pengguna", "Kata sandi")]
    shown = " ".join(m.value for m in at.markdown)
    assert "Ringkasan" not in shown and "Hasil" not in shown


def test_answering_stores_one_response_and_thanks(demo):
    link = make_link(demo)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["s"] = link.code
    at.session_state[f"survey_state:{link.code}"] = {"started": time.time() - 120, "submission": "s" * 32, "round": 0}
    at.run()
    for radio in at.radio:
        if ":q:" in (radio.key or ""):
            radio.set_value(4)
    at.text_area[0].input("Antrean **lama** <script>alert(1)</script>")
    submit_button = next(b for b in at.button if b.label == "Kirim jawaban")
    submit_button.click().run()
    assert not at.exception
    assert any("Terima kasih" in s.value for s in at.success)
    rows = store.responses(demo.con(), period_id=demo.open_period().id)
    assert len(rows) == 1 and rows[0].status == "accepted"
    assert rows[0].suggestion == "Antrean **lama** <script>alert(1)</script>"


def test_missing_answers_are_named_and_nothing_is_stored(demo):
    link = make_link(demo)
    at = public(link.code)
    radios = [r for r in at.radio if ":q:" in (r.key or "")]
    for radio in radios[:7]:
        radio.set_value(3)
    next(b for b in at.button if b.label == "Kirim jawaban").click().run()
    assert any("nomor 8, 9 belum dijawab" in e.value for e in at.error)
    assert store.responses(demo.con(), period_id=demo.open_period().id) == []


def test_unknown_and_closed_codes_are_explained_in_plain_words(demo):
    at = public("ZZZZZZ")
    assert any("Kode survei tidak dikenal" in w.value for w in at.warning)
    link = make_link(demo)
    links.set_link_open(demo.con(), SYSTEM, link_id=link.id, open_=False)
    at = public(link.code)
    assert any("sudah ditutup" in w.value for w in at.warning)
    assert not at.radio


def test_english_switch(demo):
    link = make_link(demo)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["s"] = link.code
    at.session_state["lang"] = "en"
    at.run()
    assert at.title[0].value == "Public Satisfaction Survey"
    assert any(b.label == "Send answers" for b in at.button)


def test_a_staff_session_opening_a_survey_link_gets_only_the_survey(demo):
    from conftest import login

    link = make_link(demo)
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    login(at)
    at.query_params["s"] = link.code
    at.run()
    assert at.title[0].value == "Survei Kepuasan Masyarakat"
    assert not at.sidebar.children or all(not c.children for c in at.sidebar.children.values())
    assert not at.metric  # none of the staff overview


def test_a_held_too_fast_answer_still_thanks_the_respondent(demo):
    link = make_link(demo)
    at = public(link.code)
    for radio in at.radio:
        if ":q:" in (radio.key or ""):
            radio.set_value(1)
    next(b for b in at.button if b.label == "Kirim jawaban").click().run()
    assert any("Terima kasih" in s.value for s in at.success)
    (row,) = store.responses(demo.con(), period_id=demo.open_period().id)
    assert (row.status, row.flags) == ("suspicious", "terlalu-cepat")

"""Survey results per 14/2017 from stored answers; held answers; the Output feed and its reasoned override."""

from __future__ import annotations

import time
import uuid
from decimal import Decimal

import pytest

from services.access import AccessDenied
from services.answering.assessing import open_assessment, record_answer, record_tally
from services.common import NotAllowedNow
from services.surveys import links
from services.surveys.errors import SurveyAdminError
from services.surveys.output_feed import feed_output, feeds_for
from services.surveys.public import Submission, submit
from services.surveys.results import decide, held_responses, unit_results
from store import assessments, audit

ROWS = [
    [4, 3, 3, 2, 4, 3, 4, 2, 3],
    [3, 3, 2, 1, 3, 3, 4, 3, 3],
    [4, 4, 3, 4, 4, 4, 4, 3, 4],
    [3, 2, 2, 4, 3, 3, 3, 2, 2],
]


def send(w, code, answers, **kw):
    base = dict(code=code, submission_id=uuid.uuid4().hex, answers=answers, started_at=time.time() - 120,
                device_token=uuid.uuid4().hex, client="10.1.1.1")  # fmt: skip
    base.update(kw)
    return submit(w.con, Submission(**base))


def skm(row):
    return {f"U{i}": v for i, v in enumerate(row, 1)}


def test_results_match_the_hand_computed_case_and_leave_out_held_answers(survey_world):
    w = survey_world
    for n, row in enumerate(ROWS):
        send(w, w.skm.code, skm(row), profile={"jenis-kelamin": "Perempuan" if n % 2 else "Laki-laki"},
             suggestion="Antrean <script>" if n == 0 else "")  # fmt: skip
    held = send(w, w.skm.code, skm([1] * 9), honeypot="bot")
    res = unit_results(w.con, w.head, period_id=w.period, unit_id=w.unit, survey_id="skm-2017")
    assert (res.result.n, res.result.ikm, res.result.category) == (4, Decimal("77.01"), "B")
    assert res.held == 1
    assert "Populasi layanan belum diisi" in res.sample_warning
    sex = next(b for b in res.breakdowns if b.field == "jenis-kelamin")
    assert [(name, r.n) for name, r in sex.groups] == [("Laki-laki", 2), ("Perempuan", 2)]
    assert [s.text for s in res.suggestions] == ["Antrean <script>"]
    # the admin keeps the held answer: it counts from now on, and the decision is audited
    decide(w.con, w.admin, response_id=held.response_id, accept=True, note="cek CCTV: warga sungguhan")
    res = unit_results(w.con, w.head, period_id=w.period, unit_id=w.unit, survey_id="skm-2017")
    assert res.result.n == 5 and res.held == 0
    event = audit.events(w.con, event="survey.response_decided")[0]
    assert (event.actor, event.payload["new"], event.payload["flags"]) == ("admin", "accepted", "honeypot")
    with pytest.raises(SurveyAdminError, match="sudah diputuskan"):
        decide(w.con, w.admin, response_id=held.response_id, accept=False)


def test_a_rejected_answer_is_kept_but_never_counted(survey_world):
    w = survey_world
    held = send(w, w.skm.code, skm([1] * 9), started_at=time.time())
    assert [r.id for r in held_responses(w.con, w.admin, period_id=w.period)] == [held.response_id]
    with pytest.raises(AccessDenied):
        decide(w.con, w.head, response_id=held.response_id, accept=True)
    decide(w.con, w.admin, response_id=held.response_id, accept=False)
    res = unit_results(w.con, w.admin, period_id=w.period, unit_id=w.unit, survey_id="skm-2017")
    assert (res.result.n, res.rejected, res.result.ikm) == (0, 1, None)


def test_population_sets_the_minimum_sample_and_only_the_admin_enters_it(survey_world):
    w = survey_world
    for row in ROWS:
        send(w, w.skm.code, skm(row))
    with pytest.raises(AccessDenied):
        links.set_population(w.con, w.head, period_id=w.period, unit_id=w.unit, survey_id="skm-2017", population=100)
    for bad in (0, -5, 10**9):
        with pytest.raises(SurveyAdminError, match="Populasi harus"):
            links.set_population(w.con, w.admin, period_id=w.period, unit_id=w.unit, survey_id="skm-2017",
                                 population=bad)  # fmt: skip
    links.set_population(w.con, w.admin, period_id=w.period, unit_id=w.unit, survey_id="skm-2017", population=100)
    res = unit_results(w.con, w.head, period_id=w.period, unit_id=w.unit, survey_id="skm-2017")
    assert (res.result.min_sample, res.result.enough) == (80, False)
    assert "Responden baru 4 dari sampel minimum 80" in res.sample_warning
    links.set_population(w.con, w.admin, period_id=w.period, unit_id=w.unit, survey_id="skm-2017", population=4)
    res = unit_results(w.con, w.head, period_id=w.period, unit_id=w.unit, survey_id="skm-2017")
    assert res.result.enough and res.sample_warning is None


def test_results_respect_unit_scope(survey_world):
    w = survey_world
    with pytest.raises(AccessDenied):
        unit_results(w.con, w.other_head, period_id=w.period, unit_id=w.unit, survey_id="skm-2017")


def _user(penundaan, imbalan=4):
    return {"penundaan": penundaan, "imbalan": imbalan, "prosedur": 4, "kompetensi": 4, "perlakuan": 4}


def test_output_tallies_are_fed_from_the_user_survey(survey_world):
    w = survey_world
    view = open_assessment(w.con, w.head, period_id=w.period, unit_id=w.unit)
    aid = view.assessment.id
    for n, answer in enumerate([4, 4, 4, 2, 1]):
        send(w, w.user.code, _user(answer), proof=f"T-{n}")
    send(w, w.user.code, _user(1), proof="T-bot", honeypot="x")  # held: not fed
    outcome = feed_output(w.con, w.head, assessment_id=aid)
    assert outcome.fed == {"OUT-01": 5, "OUT-02": 5, "OUT-03": 5, "OUT-04": 5, "OUT-05": 5}
    rows = assessments.answers_for(w.con, assessment_id=aid, indicator_id="OUT-01")
    assert {(r.subject, r.count) for r in rows} == {("tally:3", 3), ("tally:1", 1), ("tally:0", 1)}
    assert feeds_for(w.con, w.verifier, assessment_id=aid)["OUT-01"].n == 5
    assert audit.events(w.con, event="survey.output_fed")[0].payload["fed"]["OUT-01"] == 5


def test_overriding_a_fed_tally_needs_a_reason_that_is_audited_and_kept_for_the_verifier(survey_world):
    w = survey_world
    aid = open_assessment(w.con, w.head, period_id=w.period, unit_id=w.unit).assessment.id
    send(w, w.user.code, _user(4), proof="A-1")
    feed_output(w.con, w.head, assessment_id=aid)
    before = assessments.answers_for(w.con, assessment_id=aid, indicator_id="OUT-01")
    for change in (
        lambda: record_tally(w.con, w.head, assessment_id=aid, indicator_id="OUT-01", counts={3: 30}),
        lambda: record_tally(w.con, w.head, assessment_id=aid, indicator_id="OUT-01", counts={3: 30}, reason="ok"),
        lambda: record_answer(w.con, w.head, assessment_id=aid, indicator_id="OUT-01", subject="respondent:1", value=0),
    ):
        with pytest.raises(NotAllowedNow, match="diisi dari survei pengguna"):
            change()
    assert assessments.answers_for(w.con, assessment_id=aid, indicator_id="OUT-01") == before
    reason = "30 wawancara langsung di loket pada Juli, survei daring baru 1 responden"
    record_tally(w.con, w.head, assessment_id=aid, indicator_id="OUT-01", counts={3: 28, 2: 2}, reason=reason)
    feed = feeds_for(w.con, w.verifier, assessment_id=aid)["OUT-01"]
    assert (feed.overridden_by, feed.reason) == ("kepala1", reason)
    assert audit.events(w.con, event="survey.tally_override")[0].payload == {"indicator": "OUT-01", "reason": reason}
    # feeding again keeps the reasoned override
    assert "OUT-01" in feed_output(w.con, w.head, assessment_id=aid).kept
    rows = assessments.answers_for(w.con, assessment_id=aid, indicator_id="OUT-01")
    assert sum(r.count for r in rows) == 30


def test_feeding_needs_a_user_survey_in_the_period(survey_world):
    w = survey_world
    w.con.execute("DELETE FROM period_surveys WHERE survey_id = 'pengguna-2023'")
    aid = open_assessment(w.con, w.head, period_id=w.period, unit_id=w.unit).assessment.id
    with pytest.raises(NotAllowedNow, match="belum punya survei pengguna"):
        feed_output(w.con, w.head, assessment_id=aid)
    with pytest.raises(AccessDenied):
        feed_output(w.con, w.other_head, assessment_id=aid)


def test_breakdown_per_service_product_has_each_products_own_index(survey_world):
    w = survey_world
    sktm = links.create_link(w.con, w.head, period_id=w.period, unit_id=w.unit, survey_id="skm-2017",
                             product_code="SKTM", counter="Loket 2")  # fmt: skip
    for row in ROWS[:2]:
        send(w, sktm.code, skm(row))  # two answers through the product's own link
    for row in ROWS[2:]:
        send(w, w.skm.code, skm(row))  # two through the unit's general link
    res = unit_results(w.con, w.head, period_id=w.period, unit_id=w.unit, survey_id="skm-2017")
    assert res.result.n == 4
    products = dict(next(b for b in res.breakdowns if b.field == "produk").groups)
    assert {name: r.n for name, r in products.items()} == {"Surat Keterangan Tidak Mampu": 2, "(semua layanan)": 2}
    # hand-computed: NRR of U1..U9 over rows 1-2, x 0.111 x 25 (2 decimals)
    nrr = [(a + b) / 2 for a, b in zip(ROWS[0], ROWS[1], strict=True)]
    expected = Decimal(str(sum(nrr) * 0.111 * 25)).quantize(Decimal("0.01"))
    assert products["Surat Keterangan Tidak Mampu"].ikm == expected

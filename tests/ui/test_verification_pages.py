"""Verification pages (queue, review), the change requests on the unit's pages, the verified score on results."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest
from ui_helpers import login

from services.accounts import users as accounts
from services.answering.results import submit
from services.verification import decisions as vf
from store import assessments

VERIFIER = "verifikator"
TIMEOUT = 30
QUEUE = "from app_pages import verification\nverification.render_queue()\n"
REVIEW = "from app_pages import verification\nverification.render_review()\n"


def texts(elements) -> list[str]:
    return [e.value for e in elements]


def errors(at: AppTest) -> list[str]:
    return texts(at.error)


def toasts(at: AppTest) -> list[str]:
    return texts(at.toast)


def actor(demo, username: str):
    found = accounts.current_user(demo.con(), username)
    assert found is not None
    return found


def submitted(demo) -> int:
    """The demo Dinas Sosial, submitted by its unit head; returns the assessment id."""
    view = demo.view()
    submit(demo.con(), actor(demo, "kadinsos"), assessment_id=view.assessment.id)
    return view.assessment.id


def in_review(demo) -> int:
    aid = submitted(demo)
    vf.start_review(demo.con(), actor(demo, VERIFIER), assessment_id=aid)
    return aid


def status(demo, aid: int) -> str:
    return assessments.get(demo.con(), assessment_id=aid).status


def page(script: str, user: str = VERIFIER, aid: int | None = None, lang: str | None = None) -> AppTest:
    at = login(AppTest.from_string(script, default_timeout=TIMEOUT), user)
    if aid is not None:
        at.query_params["penilaian"] = str(aid)
    if lang:
        at.session_state["lang"] = lang
    return at.run()


def decision_form(at: AppTest, aid: int, indicator: str):
    """(kind radio, value select, note area, save button) of one indicator's decision form."""
    prefix = f"vd:{aid}:{indicator}:r"
    kind = next(r for r in at.radio if r.key and r.key.startswith(prefix) and r.key.endswith(":kind"))
    form = kind.form_id
    value = next(s for s in at.selectbox if s.form_id == form)
    note = next(a for a in at.text_area if a.form_id == form)
    save = next(b for b in at.button if b.form_id == form)
    return kind, value, note, save


def accept_button(at: AppTest, aid: int, indicator: str):
    prefix = f"vd:{aid}:{indicator}:r"
    return next(b for b in at.button if b.key and b.key.startswith(prefix) and b.key.endswith(":accept"))


def test_queue_lists_the_submitted_unit_and_starts_the_review(demo):
    at = page(QUEUE)
    assert not at.exception
    assert at.title[0].value == "Antrean verifikasi"
    assert any("Belum ada penilaian" in i.value for i in at.info)  # nothing submitted yet

    aid = submitted(demo)
    at = page(QUEUE)
    assert "**Dinas Sosial — Layanan SLRT**" in texts(at.markdown)
    start = next(b for b in at.button if b.key == f"vq_open:{aid}")
    assert start.label == "Mulai verifikasi"
    start.click().run()
    assert not at.exception and not errors(at)
    assert status(demo, aid) == "in_review"
    assert at.query_params["penilaian"] == str(aid)
    assert next(b for b in at.button if b.key == f"vq_open:{aid}").label == "Lanjutkan"


def test_queue_is_refused_to_a_unit_head_and_a_viewer(demo):
    submitted(demo)
    for user in ("kadinsos", "pimpinan"):
        at = page(QUEUE, user=user)
        assert not at.exception
        assert any("hanya untuk verifikator" in e for e in errors(at)), user
        assert not [b for b in at.button if b.key and b.key.startswith("vq_open:")]


def test_review_page_before_the_start_offers_to_start(demo):
    aid = submitted(demo)
    at = page(REVIEW, aid=aid)
    assert not at.exception
    assert "Dinas Sosial — Layanan SLRT" in texts(at.subheader)
    assert any("Mulai verifikasi" in i.value for i in at.info)
    assert not [b for b in at.button if b.key and b.key.endswith(":accept")]  # no decisions before the start
    next(b for b in at.button if b.key == "vr_start").click().run()
    assert status(demo, aid) == "in_review"
    assert accept_button(at, aid, "IN-S01")


def test_review_shows_answers_notes_evidence_and_scores(demo):
    aid = in_review(demo)
    at = page(REVIEW, aid=aid)
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "Skor penilaian mandiri" in labels and "Skor verifikasi (sementara)" in labels
    assert at.get("progress")[0].proto.text.startswith("0 dari ")
    assert len(at.tabs) == 4
    # a product indicator shows one line per product; a respondent indicator its spread
    shown = texts(at.text)
    assert any(line.startswith("Rekomendasi PBI-JK: ") for line in shown)
    assert any(line.startswith("Rata-rata ") and "responden" in line for line in shown)
    # the demo's evidence can be downloaded by the verifier
    assert [d for d in at.get("download_button") if d.proto.label == "Unduh"]


def test_accept_adjust_and_request_a_change_from_the_page(demo):
    aid = in_review(demo)
    at = page(REVIEW, aid=aid)
    accept_button(at, aid, "IN-S02").click().run()
    assert "Keputusan IN-S02 tersimpan" in toasts(at)
    rv = vf.review(demo.con(), actor(demo, VERIFIER), assessment_id=aid)
    assert rv.states["IN-S02"] == "accepted"

    # a different value without a note is refused with the reason, nothing saved
    own = demo.view().answer("IN-S03")
    new_value = 0.0 if (own is None or own.value != 0.0) else 1.0
    kind, value, note, save = decision_form(at, aid, "IN-S03")
    kind.set_value("adjust")
    value.set_value(new_value)
    save.click().run()
    assert any("Catatan wajib" in e for e in errors(at))
    assert "IN-S03" not in vf.review(demo.con(), actor(demo, VERIFIER), assessment_id=aid).decisions

    kind, value, note, save = decision_form(at, aid, "IN-S03")
    kind.set_value("adjust")
    value.set_value(new_value)
    note.set_value("SK standar pelayanan belum ditandatangani")
    save.click().run()
    assert not errors(at)
    d = vf.review(demo.con(), actor(demo, VERIFIER), assessment_id=aid).decisions["IN-S03"]
    assert (d.decision, d.verified_value, d.note) == ("adjust", new_value, "SK standar pelayanan belum ditandatangani")
    assert any("IN-S03" in str(df.value) for df in at.table)  # listed among the differences

    kind, value, note, save = decision_form(at, aid, "PR-01")
    kind.set_value("change_requested")
    note.set_value("Unggah foto papan persyaratan produk SKTM")
    save.click().run()
    assert vf.review(demo.con(), actor(demo, VERIFIER), assessment_id=aid).states["PR-01"] == "change_requested"

    back = next(b for b in at.button if b.key == "vr_return")
    assert not back.disabled
    back.click().run()
    assert status(demo, aid) == "reopened"
    assert any("dikembalikan ke unit" in i.value for i in at.info)


def test_accept_the_rest_of_a_dimension_and_complete(demo):
    aid = in_review(demo)
    at = page(REVIEW, aid=aid)
    assert next(b for b in at.button if b.key == "vr_complete").disabled
    for dim in ("input", "proses", "output", "pengaduan"):
        next(b for b in at.button if b.key == f"vr_rest:{dim}").click().run()
        assert not errors(at)
    total = len(vf.review(demo.con(), actor(demo, VERIFIER), assessment_id=aid).scored_ids)
    assert at.get("progress")[0].proto.text == f"{total} dari {total} indikator sudah diterima atau disesuaikan"
    at.checkbox(key="vr_confirm").check().run()
    at.button(key="vr_complete").click().run()
    assert not errors(at)
    assert status(demo, aid) == "verified"
    assert any("Verifikasi selesai" in s.value for s in at.success)
    assert [d for d in at.get("download_button") if d.proto.label == "Unduh berita acara (PDF)"]


def test_the_unit_sees_the_change_request_beside_the_indicator(demo, dimension_page, app):
    aid = in_review(demo)
    verifier = actor(demo, VERIFIER)
    vf.decide(demo.con(), verifier, assessment_id=aid, indicator_id="IN-S01", decision="change_requested",
              note="Lampirkan SK standar pelayanan yang *ditandatangani*")  # fmt: skip
    vf.request_changes(demo.con(), verifier, assessment_id=aid)
    at = dimension_page("input")
    assert not at.exception
    [warning] = [w.value for w in at.warning if "Verifikator meminta perbaikan" in w.value]
    assert "Lampirkan SK standar pelayanan yang \\*ditandatangani\\*" in warning  # shown as typed
    assert at.radio(key=next(r.key for r in at.radio if r.key and ":IN-S01:unit:" in r.key)).disabled is False
    home = app()
    assert any("Verifikator mengembalikan penilaian ini" in w.value and "IN-S01" in w.value for w in home.warning)


def results_as(demo, user: str) -> AppTest:
    at = login(AppTest.from_string("from app_pages import results\nresults.render()\n", default_timeout=TIMEOUT), user)
    at.query_params["unit"] = "DINSOS-SLRT"
    at.query_params["periode"] = str(demo.open_period().id)
    return at.run()


def test_results_show_the_verified_score_beside_the_self_score(demo):
    aid = in_review(demo)
    verifier = actor(demo, VERIFIER)
    own = demo.view().answer("IN-S02")
    value = 0.0 if (own is None or own.value != 0.0) else 3.0
    vf.decide(demo.con(), verifier, assessment_id=aid, indicator_id="IN-S02", decision="adjust",
              verified_value=value, note="Maklumat tidak dipajang")  # fmt: skip

    # while under way, only the verifier and admins see the provisional score
    assert "Hasil verifikasi" not in " ".join(texts(results_as(demo, "kadinsos").subheader))
    assert "Hasil verifikasi (sementara)" in texts(results_as(demo, VERIFIER).subheader)
    vf.accept_remaining(demo.con(), verifier, assessment_id=aid)
    report = vf.complete(demo.con(), verifier, assessment_id=aid)
    for user in ("kadinsos", "ortala", "pimpinan"):
        at = results_as(demo, user)
        assert not at.exception
        assert "Hasil verifikasi" in texts(at.subheader), user
        metrics = {m.label: m.value for m in at.metric}
        assert metrics["Skor terverifikasi"].startswith(f"{report.total:.2f}".replace(".", ",")), user
        assert "Skor penilaian mandiri" in metrics
        assert any("IN-S02" in str(df.value) and "Maklumat tidak dipajang" in str(df.value) for df in at.table)
        assert [d for d in at.get("download_button") if d.proto.label == "Unduh berita acara (PDF)"]


@pytest.mark.parametrize("lang", ["en"])
def test_review_page_in_english(demo, lang):
    aid = in_review(demo)
    at = page(REVIEW, aid=aid, lang=lang)
    assert not at.exception
    assert at.title[0].value == "Review an assessment"
    assert accept_button(at, aid, "IN-S01").label == "Accept"

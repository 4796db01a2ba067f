"""Results page: score, category, zone, path, what-if, submission; and autosave seen across pages."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest
from ui_helpers import answer_radio, metric, texts, toasts

from assessment import improvements
from services.answering.results import score_view
from ui.i18n import number

ZONES = {"hijau": "Zona hijau", "kuning": "Zona kuning", "merah": "Zona merah"}


def _total(at: AppTest) -> str:
    return metric(at, "Nilai total")


def test_headline_total_category_and_zone(demo, results_page):
    at = results_page()
    assert not at.exception
    report = score_view(demo.view())
    assert _total(at) == f"{number(report.total)} / 100,00"
    assert f"**Kategori:** {report.band.code} — {report.label}" in texts(at.markdown)
    badge = next(m.value for m in at.markdown if "-badge[" in m.value)
    assert ZONES[report.band.zone] in badge
    progress = f"Baru {report.answered} dari {report.scored_indicators} indikator dijawab"
    assert any(progress in w for w in texts(at.warning))
    dims = at.table[0].value
    assert list(dims["Dimensi"]) == [d.title for d in report.dimensions]
    assert list(dims["Nilai"]) == [number(d.score) for d in report.dimensions]


def test_path_table_lists_the_smallest_set_of_improvements(demo, results_page):
    at = results_page()
    report = score_view(demo.view())
    assert report.next_band is not None
    intro = next(m for m in texts(at.markdown) if m.startswith("Kategori berikutnya"))
    assert f"Kategori berikutnya {report.next_band.code}" in intro
    assert f"kurang {number(report.next_band.min - report.total)} poin" in intro
    path = at.table[1].value
    assert [v.split(" · ")[0].strip("*") for v in path["Indikator"]] == [imp.indicator for imp in report.path]
    assert list(path["Tambahan poin"]) == ["+" + number(imp.points) for imp in report.path]
    last = float(path["Nilai sesudahnya"].iloc[-1].replace(".", "").replace(",", "."))
    assert last >= report.next_band.min - 0.005
    # the evidence each step needs is spelled out
    hints = {imp.indicator: imp.evidence_hint for imp in report.path}
    first = report.path[0].indicator
    assert path["Bukti yang diperlukan"].iloc[0].replace("\\", "") == (hints[first] or "—")


def test_what_if_changes_the_projection_but_not_the_database(demo, results_page):
    at = results_page()
    before = demo.view().answers
    report = score_view(demo.view())
    assert metric(at, "Proyeksi nilai") == number(report.total)
    options = improvements(demo.view().criteria, report.indicators)
    pick = options[0]
    at.multiselect(key="whatif").select(pick.indicator).run()
    projected = metric(at, "Proyeksi nilai")
    assert projected == number(report.total + pick.points)
    assert projected != number(report.total)
    delta = next(m.proto.delta for m in at.metric if m.label == "Proyeksi nilai")
    assert delta.startswith("+") and delta != "+0,00"
    assert _total(at) == f"{number(report.total)} / 100,00"  # the real total did not move
    assert demo.view().answers == before


def test_answer_on_a_dimension_page_shows_up_on_results_and_overview(demo, dimension_page, results_page, app):
    before = results_page()
    old_total = _total(before)

    page = dimension_page("input")
    answer_radio(page, "IN-S01").set_value(3.0).run()
    assert demo.values("IN-S01") == {"unit": 3.0}

    after = results_page()  # a new session, like switching page: everything comes from DuckDB
    assert _total(after) != old_total
    assert _total(after) == f"{number(score_view(demo.view()).total)} / 100,00"

    overview = app()
    assert not any(t.startswith("IN-S01 ·") for t in texts(overview.text))

    again = dimension_page("input")  # and the questionnaire itself comes back with the answer
    assert answer_radio(again, "IN-S01").value == 3.0


def test_submit_freezes_the_assessment(demo, results_page, dimension_page, app):
    at = results_page()
    button = next(b for b in at.button if b.label == "Kirim dan bekukan")
    assert button.disabled  # needs the confirmation first
    at.checkbox(key="submit_confirm").check().run()
    next(b for b in at.button if b.label == "Kirim dan bekukan").click().run()
    assert not at.exception

    row = demo.view().assessment
    assert row.status == "submitted"
    assert re.fullmatch(r"[0-9a-f]{64}", row.snapshot_sha256)
    ref = f"{row.snapshot_sha256[:4]}-{row.snapshot_sha256[4:8]}".upper()
    assert f"Penilaian terkirim. Nomor bukti kirim {ref}." in toasts(at)
    receipt = next(s for s in texts(at.success) if "Penilaian sudah dikirim" in s)
    assert "kadinsos" in receipt and ref in receipt and row.snapshot_sha256 not in receipt  # short, with the date
    assert row.submitted_at.strftime("%d-%m-%Y") in receipt
    # the full hash only inside the details toggle
    fingerprint = next(e for e in at.expander if e.label.startswith("Sidik lengkap snapshot"))
    assert [c.value for c in fingerprint.code] == [row.snapshot_sha256]
    assert not [b for b in at.button if b.label == "Kirim dan bekukan"]

    page = dimension_page("input")
    radios = [r for r in page.radio if r.key.startswith("ans:")]
    assert radios and all(r.disabled for r in radios)
    assert all(a.disabled for a in page.text_area)
    assert not page.file_uploader  # no upload form on a frozen assessment
    assert any("sudah dikirim dan dibekukan" in i.value for i in page.info)

    overview = app()
    assert metric(overview, "Status") == "Sudah dikirim"
    assert {k.proto.label for k in overview.get("page_link") if " · " not in k.proto.label} == {"Lihat dimensi ini"}


def test_last_years_assessment_cannot_be_submitted_again(demo, results_page):
    at = results_page(period=demo.closed_period().id)
    assert not [b for b in at.button if b.label == "Kirim dan bekukan"]
    assert any("tidak bisa diubah" in i.value or "dibekukan" in i.value for i in at.info)

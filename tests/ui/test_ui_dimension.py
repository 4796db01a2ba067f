"""Questionnaire pages (one per dimension): answering, notes, tallies, filters, conflicts, uploads."""

from __future__ import annotations

from ui_helpers import (
    EXE_BYTES,
    answer_radio,
    answer_radios,
    by_key_prefix,
    caption_values,
    card_heading,
    errors,
    one,
    open_evidence,
    png_bytes,
    shown_indicators,
    texts,
    toasts,
    upload,
)

from services.access import SYSTEM
from services.admin.periods import set_period_status
from services.answering.results import missing_evidence
from ui.i18n import number


def _unanswered(demo, dimension_id: str) -> list[str]:
    view = demo.view()
    dim = next(d for d in view.criteria.dimensions if d.id == dimension_id)
    return [i.id for i in dim.indicators if not view.answers.get(i.id)]


def test_page_header_shows_unit_period_progress_and_next_open_indicator(demo, dimension_page):
    at = dimension_page("input")
    assert not at.exception
    assert at.title[0].value == "Input"
    header = at.caption[0].value
    assert "Dinas Sosial — Layanan SLRT" in header
    assert demo.open_period().name in header
    open_ids = _unanswered(demo, "input")
    dim_total = len(next(d for d in demo.view().criteria.dimensions if d.id == "input").indicators)
    assert at.get("progress")[0].proto.text == f"{dim_total - len(open_ids)} dari {dim_total} indikator dijawab"
    # a link to the first indicator still open, in page order, and one to every variable
    jump = next(m.value for m in at.markdown if "Ke indikator berikutnya" in m.value)
    assert f"#ind-{open_ids[0].lower()}" in jump or any(f"#ind-{i.lower()}" in jump for i in open_ids)
    assert any(m.value.startswith(":material/low_priority: Lompat ke:") and "(#var-" in m.value for m in at.markdown)


def test_unit_level_radio_saves_to_database_with_feedback(demo, dimension_page):
    at = dimension_page("input")
    assert "IN-S01" in _unanswered(demo, "input")
    radio = answer_radio(at, "IN-S01", "unit")
    assert radio.value is None
    assert "radio_button_unchecked" in card_heading(at, "IN-S01")
    radio.set_value(2.0).run()

    assert demo.values("IN-S01") == {"unit": 2.0}
    assert "Jawaban IN-S01 tersimpan" in toasts(at)
    assert answer_radio(at, "IN-S01", "unit").value == 2.0  # rebuilt from the database
    assert "check_circle" in card_heading(at, "IN-S01")
    assert any("Tersimpan" in c and "oleh kadinsos" in c for c in caption_values(at))

    # changing it again is a second save of the same answer, not a conflict
    answer_radio(at, "IN-S01", "unit").set_value(3.0).run()
    assert demo.values("IN-S01") == {"unit": 3.0}
    assert not errors(at)


def test_per_product_indicator_has_one_radio_per_product(demo, dimension_page):
    at = dimension_page("proses")
    products = {p.code: p.name for p in demo.view().products}
    assert len(products) == 3
    radios = answer_radios(at, "PR-12")
    assert sorted(r.label for r in radios) == sorted(products.values())
    assert all(r.value is None for r in radios)

    answer_radio(at, "PR-12", "product:SKTM").set_value(3.0).run()
    assert demo.values("PR-12") == {"product:SKTM": 3.0}
    assert "timelapse" in card_heading(at, "PR-12")  # partly answered

    answer_radio(at, "PR-12", "product:PBI-JK").set_value(2.0).run()
    answer_radio(at, "PR-12", "product:ODGJ").set_value("__na__").run()  # N/A is allowed for PR-12
    assert demo.values("PR-12") == {"product:SKTM": 3.0, "product:PBI-JK": 2.0, "product:ODGJ": None}
    assert "check_circle" in card_heading(at, "PR-12")
    assert answer_radio(at, "PR-12", "product:ODGJ").value == "__na__"


def test_per_respondent_entry_one_radio_per_interviewee(demo, dimension_page):
    at = dimension_page("input")
    radios = answer_radios(at, "IN-K01")
    assert [r.label for r in radios] == ["Responden 1", "Responden 2", "Responden 3", "Responden 4"]
    answer_radio(at, "IN-K01", "respondent:3").set_value(1.0).run()
    assert demo.values("IN-K01") == {"respondent:3": 1.0}
    assert "timelapse" in card_heading(at, "IN-K01")


def _tally_key(at, indicator: str, level: str) -> str:
    # tally:<assessment>:<indicator>:<level>:r<revision of that level>
    return next(n.key for n in by_key_prefix(at.number_input, "tally:") if n.key.split(":")[2:4] == [indicator, level])


def test_tally_inputs_save_counts_and_compare_with_expected_sample(demo, dimension_page):
    at = dimension_page("output")
    assert "OUT-02" in _unanswered(demo, "output")
    inputs = by_key_prefix(at.number_input, "tally:")
    out02 = [n for n in inputs if ":OUT-02:" in n.key]
    assert [n.label.split(" · ")[0] for n in out02] == ["0", "1", "2", "3"]

    key2_before = _tally_key(at, "OUT-02", "2")
    one(at.number_input, _tally_key(at, "OUT-02", "3")).set_value(20).run()
    view = demo.view()
    rows = view.answers["OUT-02"]
    assert [(r.subject, r.value, r.count) for r in rows] == [("tally:3", 3.0, 20)]
    assert "Jawaban OUT-02 tersimpan" in toasts(at)
    # 20 of the expected 30: shown as a warning with what is missing
    assert any("Terisi 20 dari 30 responden yang diharapkan — kurang 10" in w.value for w in at.warning)
    # saving level 3 leaves the other levels' fields (and what is being typed there) alone
    assert _tally_key(at, "OUT-02", "2") == key2_before

    one(at.number_input, key2_before).set_value(10).run()
    counts = {r.subject: r.count for r in demo.view().answers["OUT-02"]}
    assert counts == {"tally:2": 10, "tally:3": 20}
    assert not any("Terisi" in w.value for w in at.warning)
    assert any(c.startswith("Terisi 30 dari 30 responden yang diharapkan") for c in caption_values(at))
    assert any(f"rata-rata {number((2 * 10 + 3 * 20) / 30)}" in c for c in caption_values(at))

    # more than expected: a warning, and setting a level back to 0 removes it
    one(at.number_input, _tally_key(at, "OUT-02", "1")).set_value(5).run()
    assert any("lebih dari 30 yang diharapkan" in w.value for w in at.warning)
    one(at.number_input, _tally_key(at, "OUT-02", "1")).set_value(0).run()
    assert {r.subject: r.count for r in demo.view().answers["OUT-02"]} == {"tally:2": 10, "tally:3": 20}


def test_respondent_indicator_can_switch_between_entry_and_tally(demo, dimension_page):
    at = dimension_page("input")
    mode = next(r for r in at.radio if r.key and r.key.startswith("mode:") and r.key.endswith(":IN-K01"))
    assert mode.value == "Per responden"
    mode.set_value("Rekap jumlah per tingkat").run()
    tally = [n for n in at.number_input if n.key and ":IN-K01:" in n.key]
    assert len(tally) == 4
    assert not answer_radios(at, "IN-K01")


def test_note_is_saved(demo, dimension_page):
    at = dimension_page("input")
    area = next(a for a in at.text_area if ":IN-S03:" in a.key)
    area.input("SK Kepala Dinas tentang penjaminan mutu sedang disusun.").run()
    assert demo.view().notes["IN-S03"].note == "SK Kepala Dinas tentang penjaminan mutu sedang disusun."
    assert "Catatan IN-S03 tersimpan" in toasts(at)
    area = next(a for a in at.text_area if ":IN-S03:" in a.key)
    assert area.value == "SK Kepala Dinas tentang penjaminan mutu sedang disusun."


def test_only_unanswered_toggle_filters_the_cards(demo, dimension_page):
    at = dimension_page("input")
    everything = shown_indicators(at)
    open_ids = _unanswered(demo, "input")
    assert set(open_ids) < set(everything)
    one(at.toggle, "only_open:input").set_value(True).run()
    assert shown_indicators(at) == open_ids

    # answering the last open item of a dimension leaves the "all done" message
    out = dimension_page("output")
    assert _unanswered(demo, "output") == ["OUT-02"]
    one(out.toggle, "only_open:output").set_value(True).run()
    assert shown_indicators(out) == ["OUT-02"]
    one(out.number_input, _tally_key(out, "OUT-02", "3")).set_value(30).run()
    # the answer reran the card and the summary only: the card stays under the user's hand, now complete
    assert shown_indicators(out) == ["OUT-02"]
    assert "check_circle" in card_heading(out, "OUT-02")
    assert "Semua indikator di dimensi ini sudah dijawab." in [s.value for s in out.success]
    out.run()  # the next visit of the page filters it away
    assert shown_indicators(out) == []


def test_two_sessions_stale_save_is_refused_and_first_value_kept(demo, dimension_page):
    first = dimension_page("input")
    second = dimension_page("input")  # opened before the first one saves
    answer_radio(first, "IN-S01").set_value(3.0).run()
    assert demo.values("IN-S01") == {"unit": 3.0}

    answer_radio(second, "IN-S01").set_value(1.0).run()
    assert demo.values("IN-S01") == {"unit": 3.0}
    assert any("sudah diubah di tab atau jendela lain" in e and "Halaman dimuat ulang" in e for e in errors(second))
    assert not any("IN-S01" in t for t in toasts(second))
    # the stale session now shows what the database holds
    assert answer_radio(second, "IN-S01").value == 3.0


def test_refused_click_shows_what_the_database_holds_even_when_nothing_else_changed(demo, dimension_page):
    # the admin closes the period while the page is open: the revision does not move, the click is refused,
    # and the radio must not keep showing a value that was never saved (D3)
    answer_radio(at := dimension_page("input"), "IN-S01").set_value(2.0).run()
    period_id = demo.open_period().id
    set_period_status(demo.con(), SYSTEM, period_id=period_id, status="closed")

    def stored() -> dict:
        return {r.subject: r.value for r in demo.view(period_id=period_id).answers.get("IN-S01", [])}

    answer_radio(at, "IN-S01").set_value(3.0).run()
    assert stored() == {"unit": 2.0}
    assert errors(at) and not any("IN-S01" in t for t in toasts(at)[1:])
    assert answer_radio(at, "IN-S01").value == 2.0
    assert answer_radio(at, "IN-S01").proto.disabled  # and it can no longer be clicked


def test_png_evidence_is_accepted_and_listed(demo, dimension_page):
    at = dimension_page("input")
    assert not demo.view().evidence.get("IN-S01")
    upload(at, "IN-S01", [("notulen-pengawasan.png", png_bytes(), "image/png")], description="Notulen rapat")
    records = demo.view().evidence["IN-S01"]
    assert [(r.file_name, r.media_type, r.description) for r in records] == [
        ("notulen-pengawasan.png", "image/png", "Notulen rapat")
    ]
    assert "1 berkas bukti tersimpan" in toasts(at)
    assert any(e.label.endswith("Bukti dukung (1)") for e in at.expander)
    listed = [t.value for t in at.text]
    assert any(v.startswith("notulen-pengawasan.png · ") for v in listed)
    assert "Notulen rapat" in listed
    assert at.get("image"), "an image evidence is previewed inline"


def test_exe_renamed_png_and_empty_file_are_refused(demo, dimension_page):
    at = dimension_page("input")
    upload(at, "IN-S01", [("foto-papan.png", EXE_BYTES, "image/png")])
    assert any("foto-papan.png" in e and "bukan jenis yang diizinkan" in e for e in errors(at)), errors(at)
    assert not demo.view().evidence.get("IN-S01")

    upload(at, "IN-S01", [("kosong.pdf", b"", "application/pdf")])
    assert any("kosong.pdf" in e and "kosong (0 byte)" in e for e in errors(at)), errors(at)
    assert not demo.view().evidence.get("IN-S01")
    assert not any("berkas bukti tersimpan" in t for t in toasts(at))
    assert any(e.label.endswith("Bukti dukung (0)") for e in at.expander)


def test_evidence_panels_are_built_only_when_opened(demo, dimension_page):
    at = dimension_page("proses")
    assert not at.file_uploader  # twelve closed panels: no upload forms, no previews read from disk
    assert not at.get("image")
    assert any(e.label.endswith("Bukti dukung (1)") for e in at.expander)  # the count is shown while closed
    open_evidence(at, "PR-01")  # the demo put a photo on PR-01
    assert [u.key for u in at.file_uploader] == ["files:PR-01:0"]
    assert any(v.startswith("papan-standar-pelayanan.png · ") for v in texts(at.text))
    assert at.get("image"), "the photo is previewed inline once the panel is open"


def test_required_evidence_missing_shows_points_at_risk_until_a_file_is_attached(demo, dimension_page):
    at_risk = missing_evidence(demo.view())
    assert "IN-K02" in at_risk
    at = dimension_page("input")
    expected = f"{number(at_risk['IN-K02'])} poin berisiko hilang"
    assert any(expected in w.value for w in at.warning), [w.value for w in at.warning]
    warnings_before = sum("berisiko hilang" in w.value for w in at.warning)

    upload(at, "IN-K02", [("sk-tugas.png", png_bytes(), "image/png")])
    assert "IN-K02" not in missing_evidence(demo.view())
    assert sum("berisiko hilang" in w.value for w in at.warning) == warnings_before - 1
    assert not any(expected in w.value for w in at.warning)


def test_answering_above_evidence_threshold_raises_the_flag(demo, dimension_page):
    at = dimension_page("input")
    before = sum("berisiko hilang" in w.value for w in at.warning)
    answer_radio(at, "IN-S01").set_value(3.0).run()  # required from 1, no file attached
    assert "IN-S01" in missing_evidence(demo.view())
    # only the card and the summary reran: the card's own warning, and the summary's link to it
    assert sum("berisiko hilang" in w.value for w in at.warning) == 1
    assert any("poin berisiko" in m.value and "(#ind-in-s01)" in m.value for m in at.markdown)
    at.run()
    assert sum("berisiko hilang" in w.value for w in at.warning) == before + 1


def test_english_switch_translates_the_page(demo, dimension_page):
    at = dimension_page("input", lang="en")
    assert not at.exception
    assert [t.label for t in at.toggle] == ["Show only incomplete indicators"]
    assert "Answer" in [r.label for r in at.radio]
    assert "Note" in [a.label for a in at.text_area]
    assert "indicators answered" in at.get("progress")[0].proto.text

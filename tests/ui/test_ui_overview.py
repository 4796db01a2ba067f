"""The router (app.py) and the overview page: picker, link parameters, progress, open items, language."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest
from ui_helpers import APP, metric, texts

from services.answering.results import score_view


def test_overview_shows_unit_period_status_and_demo_marker(demo, app):
    at = app()
    assert not at.exception
    assert at.title[0].value == "Ringkasan penilaian"
    assert "Dinas Sosial — Layanan SLRT" in texts(at.subheader)
    assert metric(at, "Periode") == demo.open_period().name
    assert metric(at, "Status") == "Draf"
    year = demo.open_period().year
    assert f"**Jendela kunjungan Ombudsman:** 01-07-{year} – 31-10-{year}" in " ".join(texts(at.markdown))
    assert any("data contoh (DEMO)" in i.value for i in at.info)
    # the sidebar picker shows the chosen unit, marked as demo
    unit_box = next(s for s in at.sidebar.selectbox if s.label == "Unit layanan")
    assert unit_box.value.code == "DINSOS-SLRT"
    assert unit_box.format_func(unit_box.value).endswith("· DEMO")


def test_overview_progress_per_dimension_and_open_items(demo, app):
    at = app()
    view = demo.view()
    report = score_view(view)
    bars = at.get("progress")
    assert bars[0].proto.text == f"{report.answered} dari {report.scored_indicators} indikator sudah dijawab"
    statuses = {r.id: r.status for r in report.indicators}
    for bar, dim in zip(bars[1:], view.criteria.dimensions, strict=True):
        done = sum(1 for i in dim.indicators if statuses[i.id] != "belum")
        assert bar.proto.text == f"{done}/{len(dim.indicators)} indikator"
    # every unanswered indicator is listed with its question, nothing else
    listed = [t.split(" · ")[0] for t in texts(at.text)]
    open_ids = [r.id for r in report.indicators if r.status in ("belum", "sebagian")]
    assert listed == open_ids
    assert "IN-S01 · belum dijawab · " in next(t for t in texts(at.text) if t.startswith("IN-S01"))
    # one link to each dimension's questionnaire
    dimension_links = [link.proto.label for link in at.get("page_link") if link.proto.label == "Isi dimensi ini"]
    assert len(dimension_links) == len(view.criteria.dimensions)


def test_missing_evidence_is_listed_per_dimension_naming_and_linking_each_indicator(demo, app):
    at = app()
    warnings = texts(at.warning)
    assert any("butuh bukti dukung yang belum dilampirkan" in w and "poin berisiko" in w for w in warnings)
    links = [link for link in at.get("page_link") if link.proto.label.startswith("IN-K02 · ")]
    assert len(links) == 1
    label = links[0].proto.label
    question = demo.view().criteria.indicators_by_id()["IN-K02"].question
    assert question[:40] in label and "poin)" in label  # the indicator is named, not just its code
    assert "indikator=IN-K02" in links[0].proto.page or "IN-K02" in str(links[0].proto)


def test_a_unit_head_gets_their_own_unit_without_choosing(demo, app):
    at = app(unit=None)
    unit_box = next(s for s in at.sidebar.selectbox if s.label == "Unit layanan")
    assert unit_box.options == ["Dinas Sosial — Layanan SLRT · DEMO"]  # only their unit
    assert "Dinas Sosial — Layanan SLRT" in texts(at.subheader)
    assert at.query_params["unit"] == "DINSOS-SLRT"


def test_choosing_the_unit_in_the_sidebar_sets_the_link(demo, app):
    at = app(unit=None, user="ortala")  # Ortala sees every unit of the region
    assert any("Pilih unit layanan di panel kiri" in i.value for i in at.info)
    assert "unit" not in at.query_params
    unit_box = next(s for s in at.sidebar.selectbox if s.label == "Unit layanan")
    assert unit_box.value is None
    assert len(unit_box.options) == 7
    unit_box.set_value(demo.unit()).run()
    assert "Dinas Sosial — Layanan SLRT" in texts(at.subheader)
    assert at.query_params["unit"] == "DINSOS-SLRT"


def test_bad_unit_in_link_shows_the_picker_warning(demo, app):
    at = app(unit="XYZ", user="ortala")
    assert not at.exception
    assert any("Unit pada tautan tidak dikenal" in w.value for w in at.sidebar.warning)
    assert any("Pilih unit layanan di panel kiri" in i.value for i in at.info)
    assert not at.metric  # no assessment shown for a unit that does not exist


def test_bad_unit_in_link_of_a_unit_head_falls_back_to_their_unit(demo, app):
    at = app(unit="XYZ")
    assert not at.exception
    assert any("Unit pada tautan tidak dikenal" in w.value for w in at.sidebar.warning)
    assert "Dinas Sosial — Layanan SLRT" in texts(at.subheader)


def test_unit_of_someone_else_in_link_is_refused(demo, app):
    at = app(unit="DUKCAPIL")  # exists, but not kadinsos's unit
    assert not at.exception
    assert any("Unit pada tautan tidak dikenal atau bukan wewenang Anda" in w.value for w in at.sidebar.warning)
    assert "Disdukcapil — Pelayanan Dokumen" not in texts(at.subheader)


def test_bad_period_in_link_falls_back_to_the_open_period(demo, app):
    at = app(period=999)
    assert not at.exception
    assert any("Periode pada tautan tidak dikenal" in w.value for w in at.sidebar.warning)
    assert metric(at, "Periode") == demo.open_period().name


def test_closed_period_is_read_only(demo, app):
    at = app(period=demo.closed_period().id)
    assert metric(at, "Periode") == demo.closed_period().name
    assert any("tidak bisa diubah" in i.value for i in at.info)


def test_english_switch_changes_the_ui_strings(demo, app):
    at = app()
    switch = at.sidebar.button_group[0]
    switch.set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Assessment overview"
    assert metric(at, "Period") == demo.open_period().name
    assert metric(at, "Status") == "Draft"
    assert any("demo data" in i.value for i in at.info)
    assert [s.label for s in at.sidebar.selectbox] == ["Assessment period", "Service unit"]
    # and back
    at.sidebar.button_group[0].set_value("id").run()
    assert at.title[0].value == "Ringkasan penilaian"


def test_without_login_the_login_page_is_shown(demo):
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["unit"] = "DINSOS-SLRT"
    at.run()
    assert not at.exception
    assert not at.metric  # nothing of the assessment before logging in
    assert "Kata sandi" in [w.label for w in at.text_input]


def _shown_strings(at: AppTest) -> list[str]:
    out = []
    for node in at:
        for attr in ("value", "label", "body", "placeholder", "help"):
            try:
                value = getattr(node, attr, None)
            except Exception:  # some elements compute .value from session state; not text anyway
                continue
            if isinstance(value, str):
                out.append(value)
    return out


@pytest.mark.parametrize("lang", ["id", "en"])
def test_no_page_shows_a_raw_catalog_key_or_placeholder(demo, app, dimension_page, results_page, lang):
    from ui.i18n.catalog_id import ID

    pages = [dimension_page(d, lang=lang) for d in ("input", "proses", "output", "pengaduan")]
    results = results_page()
    overview = app()
    if lang == "en":
        results.session_state["lang"] = "en"
        results.run()
        overview.sidebar.button_group[0].set_value("en").run()
    for at in (*pages, results, overview):
        assert not at.exception
        shown = _shown_strings(at)
        assert len(shown) > 20
        raw = [s for s in shown if s in ID or re.search(r"\{[a-z_]+\}", s)]
        assert not raw, raw


def test_read_only_roles_get_read_only_wording_and_everyone_can_log_out_from_the_sidebar(demo, app):
    viewer = app(unit=None, user="pimpinan")
    assert not viewer.exception
    hints = texts(viewer.info)
    assert any("untuk melihat penilaiannya (hanya baca)" in h for h in hints)
    assert not any("mulai mengisi" in h for h in hints)
    head = app(unit=None)
    assert any("mulai mengisi" in h for h in texts(head.info)) or texts(head.subheader)

    logout = next(b for b in viewer.sidebar.button if b.key == "sidebar_logout")
    assert logout.label == "Keluar"
    logout.click().run()
    assert not viewer.exception
    assert "Masuk ke Kepatuhan" in [t.value for t in viewer.title]

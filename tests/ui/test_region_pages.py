"""Region pages in AppTest over the demo kabupaten: overview metrics, league table, heatmap, filters, drill-down,
trends, downloads, and the refusal a unit head gets."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest
from ui_helpers import login

from services.access import Actor
from services.answering.results import score_view
from services.catalog import CRITERIA_DIR
from services.region.overview import region_overview
from ui.i18n import number

TIMEOUT = 60
ADMIN = Actor(username="ortala", role="admin")


def page(module: str, *, user: str = "ortala", unit: str | None = None, lang: str | None = None) -> AppTest:
    at = AppTest.from_string(f"from app_pages import {module}\n{module}.render()\n", default_timeout=TIMEOUT)
    login(at, user)
    if lang:
        at.session_state["lang"] = lang
    if unit:
        at.query_params["unit"] = unit
    return at.run()


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


def league(at: AppTest):
    return at.dataframe[0].value


def test_overview_shows_region_score_statuses_league_and_heatmap(demo):
    at = page("region")
    assert not at.exception and not at.error
    ov = region_overview(demo.con(), ADMIN)
    assert metric(at, "Nilai wilayah") == number(ov.region.score)
    assert metric(at, "Kategori") == ov.region.band.code
    assert ov.region.band.label in [c.value for c in at.caption]
    assert metric(at, "Unit dinilai") == "7 dari 7"
    assert metric(at, "Draf") == "7" and metric(at, "Belum mulai") == "0"
    table = league(at)
    assert len(table) == 7
    assert list(table["Kode"]) == [line.code for line in ov.lines]
    assert list(table["Nilai mandiri"]) == [line.total for line in ov.lines]
    assert {"Nilai terverifikasi", "Kategori", "Zona", "Input (%)"} <= set(table.columns)
    kinds = [c["data"][0]["type"] for c in charts(at)]
    assert kinds == ["bar", "heatmap"]
    heat = charts(at)[1]["data"][0]
    assert heat["y"] == [r.name for r in ov.heatmap_rows] and heat["y"][0] == ov.weakest.name
    assert [b.proto.label for b in at.get("download_button")] == [
        "Excel lengkap",
        "Rapor PDF",
        "CSV jawaban",
        "Templat isian Excel",
    ]
    subheaders = [s.value for s in at.subheader]
    assert "Indikator yang paling sering kehilangan poin" in subheaders
    assert "Pengungkit terbesar nilai wilayah" in subheaders
    assert at.selectbox(key="drill_unit").value.code == ov.weakest.code  # weakest first, ready to drill into


def test_filters_change_the_rows(demo):
    at = page("region")
    at.multiselect(key="rf_opd").set_value(["OPD-DINKES"]).run()
    assert set(league(at)["Kode"]) == {"DINKES", "PKM-SUKAMAJU", "PKM-KARANGANYAR"}
    assert any("Unit yang tersaring: 3 unit dinilai" in i.value for i in at.info)
    assert len(charts(at)[1]["data"][0]["y"]) == 3
    at.multiselect(key="rf_zone").set_value(["merah"]).run()
    assert list(league(at)["Kode"]) == ["PKM-KARANGANYAR"]
    at.multiselect(key="rf_opd").set_value([]).run()
    at.multiselect(key="rf_zone").set_value([]).run()
    at.multiselect(key="rf_type").set_value(["puskesmas"]).run()
    assert set(league(at)["Kode"]) == {"PKM-SUKAMAJU", "PKM-KARANGANYAR"}
    at.multiselect(key="rf_type").set_value([]).run()
    at.multiselect(key="rf_status").set_value(["dikirim"]).run()
    assert any("Tidak ada unit yang cocok" in i.value for i in at.info)
    assert not at.exception


def test_the_period_picker_shows_last_year(demo):
    at = page("region")
    closed = demo.closed_period()
    at.selectbox(key="region_period").set_value(closed).run()
    assert metric(at, "Dikirim") == "7"
    assert metric(at, "Nilai wilayah") == number(region_overview(demo.con(), ADMIN, period_id=closed.id).region.score)


def test_a_unit_head_is_refused_and_a_verifier_sees_their_units(demo):
    at = page("region", user="kadinsos")
    assert any("hanya untuk admin Ortala" in e.value for e in at.error)
    assert not at.dataframe
    at = page("region", user="verifikator")
    assert not at.exception and len(league(at)) == 7


def test_drill_down_shows_results_answers_and_evidence(demo):
    at = page("region_unit", unit="DUKCAPIL")
    assert not at.exception and not at.error
    report = score_view(demo.view("DUKCAPIL"))
    assert metric(at, "Nilai total") == f"{number(report.total)} / 100,00"
    answers = at.dataframe[-1].value if len(at.dataframe) == 1 else at.dataframe[1].value
    assert {"Dimensi", "Indikator", "Subjek", "Jawaban"} <= set(answers.columns)
    assert len(answers) >= report.scored_indicators
    assert any(s.value.startswith("Bukti dukung (1)") for s in at.subheader)
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[:4] == ["Excel lengkap", "Rapor PDF", "CSV jawaban", "Templat isian Excel"]
    assert "Unduh" in labels  # the evidence file
    assert any("hanya baca" in i.value for i in at.info)


def test_drill_down_of_a_unit_that_has_not_started(demo):
    from store import units
    from store.db import transaction

    con = demo.con()
    with transaction(con):
        units.add_unit(con, kind="unit", code="BARU", name="Unit Baru")
    at = page("region_unit", unit="BARU")
    assert any("belum memulai penilaian" in i.value for i in at.info)
    assert not at.exception


def test_trends_compare_periods_and_warn_across_criteria_versions(demo):
    at = page("region_trends")
    assert not at.exception and not at.warning
    table = at.dataframe[0].value
    assert len(table) == 8  # seven units and the region row
    lines = charts(at)[0]["data"]
    assert lines[-1]["name"] == "Nilai wilayah" and len(lines[-1]["x"]) == 2

    from assessment import parse_criteria
    from store import assessments, criteria_sets, periods
    from store.db import transaction

    con = demo.con()
    text = (
        (CRITERIA_DIR / "ombudsman-2023.yaml")
        .read_text(encoding="utf-8")
        .replace('version: "2023.1"', 'version: "2023.9"', 1)
    )
    sha = criteria_sets.save(con, criteria=parse_criteria(text, "uji"), yaml_text=text)
    with transaction(con):
        pid = periods.add_period(con, name="Penilaian uji", year=2099, criteria_sha256=sha)
        row = assessments.get_or_create(con, period_id=pid, unit_id=demo.unit("DISDIK").id)
        assessments.put_answer(
            con, assessment_id=row.id, indicator_id="PG-01", subject="unit", value=2, actor="uji", at=row.created_at
        )
    at = page("region_trends")
    assert any("hanya pada nilai total dan dimensi" in w.value for w in at.warning)
    assert not at.exception


@pytest.mark.parametrize("module", ["region", "region_unit", "region_trends"])
def test_pages_switch_to_english(demo, module):
    at = page(module, lang="en", unit="DISDIK")
    assert not at.exception
    assert at.title[0].value in {"All units of the region", "Unit details", "Trends across periods"}

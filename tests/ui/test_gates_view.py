"""Gates and label families on the results page, the region overview and the drill-down (AppTest, logged in)."""

from __future__ import annotations

import datetime as dt

import pytest
from conftest import Demo
from streamlit.testing.v1 import AppTest
from ui_helpers import login

from assessment import load_criteria
from services.accounts import users as accounts
from services.answering.assessing import open_assessment
from services.answering.results import submit
from services.catalog import CRITERIA_DIR, register_file
from services.verification import decisions as vf
from store import assessments, periods
from store.db import transaction

TIMEOUT = 60


def seed_period(demo: Demo, criteria_file: str, answers: dict[str, dict[str, float]]) -> int:
    """A period pinned to a shipped criteria file, with answers per unit code (respondents as a tally of 30)."""
    con = demo.con()
    criteria = load_criteria(CRITERIA_DIR / criteria_file)
    sha = register_file(con, CRITERIA_DIR / criteria_file)
    today = dt.date.today()
    at = dt.datetime.now()
    with transaction(con):
        pid = periods.add_period(
            con, name=f"Uji {criteria.id}", year=today.year + 1, criteria_sha256=sha,
            opens=today - dt.timedelta(days=1), closes=today + dt.timedelta(days=30),
        )  # fmt: skip
        for code, values in answers.items():
            row = assessments.get_or_create(con, period_id=pid, unit_id=demo.unit(code).id)
            for ind in criteria.indicators_by_id().values():
                value = values.get(ind.id, values.get("*"))
                if value is None:
                    continue
                respondent = ind.subject.kind == "respondent"
                assessments.put_answer(
                    con, assessment_id=row.id, indicator_id=ind.id,
                    subject=f"tally:{value:g}" if respondent else "unit", value=value,
                    count=30 if respondent else 1, actor="uji", at=at,
                )  # fmt: skip
    return pid


def page(module: str, *, user: str, period: int, unit: str | None = None) -> AppTest:
    at = AppTest.from_string(f"from app_pages import {module}\n{module}.render()\n", default_timeout=TIMEOUT)
    login(at, user)
    at.query_params["periode"] = str(period)
    if unit:
        at.query_params["unit"] = unit
    return at.run()


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [w.value for w in at.warning] + [s.value for s in at.success]
    parts += [i.value for i in at.info] + [c.value for c in at.caption]
    return "\n".join(parts)


def tables(at: AppTest) -> list:
    return [tb.value for tb in at.table]


@pytest.fixture
def zi_period(demo: Demo) -> int:
    # pengungkit all at B (45 of 60), surveys at 3 of 4, kinerja at 3: total 75.00 but IPAK and IPKP fall short
    return seed_period(demo, "zi-lke-2021.yaml", {"DINSOS-SLRT": {"*": 3}, "DISDIK": {"*": 4}})


def test_results_page_shows_the_result_every_gate_and_the_path_to_wbk(demo, zi_period):
    at = page("results", user="kadinsos", period=zi_period, unit="DINSOS-SLRT")
    assert not at.exception
    body = texts(at)
    assert "Predikat dan label" in [h.value for h in at.subheader]
    assert "Wilayah Bebas dari Korupsi (WBK): 3 dari 7 syarat belum terpenuhi." in body
    gates = tables(at)[1]  # [0] dimensions, [1] WBK gates, [2] WBBM gates, [3] path
    row = gates[gates["Syarat"].str.startswith("Survei persepsi anti korupsi")].iloc[0]
    assert (row["Status"], row["Nilai / perlu"], row["Kurang"]) == (":red[**Belum**]", "13,12 / 15,75", "2,63")
    area = gates[gates["Syarat"].str.startswith("Setiap area")].iloc[0]
    assert area["Syarat"].endswith("(terendah dari 6)") and area["Status"] == ":green[Terpenuhi]"
    assert "Jalur ke predikat berikutnya" in [h.value for h in at.subheader]
    assert "Jalur ke zona berikutnya" not in [h.value for h in at.subheader]
    path = tables(at)[-1]
    assert [cell.split("**")[1] for cell in path["Indikator"]] == ["ZI-H-IPAK", "ZI-H-IPKP"]
    assert any("ambang yang belum pasti" in c.value for c in at.caption)


def test_region_overview_counts_units_per_result(demo, zi_period):
    at = page("region", user="ortala", period=zi_period)
    assert not at.exception
    assert "Predikat dan label wilayah" in [h.value for h in at.subheader]
    counts = {m.label: m.value for m in at.metric}
    assert counts["Wilayah Birokrasi Bersih dan Melayani (WBBM)"] == "1"  # DISDIK, everything at the top
    assert counts["Belum memenuhi syarat WBK"] == "1"  # Dinas Sosial
    frame = next(df.value for df in at.dataframe if "Predikat" in df.value.columns)
    assert dict(zip(frame["Unit"], frame["Predikat"], strict=True)) == {
        "Dinas Pendidikan — Layanan Administrasi": "WBBM",
        "Dinas Sosial — Layanan SLRT": "BELUM",
    }


@pytest.fixture
def opini_period(demo: Demo) -> int:
    return seed_period(demo, "opini-2025.yaml", {"DINSOS-SLRT": {"*": 3}, "DISDIK": {"*": 2}})


def test_results_page_shows_both_label_families_and_an_undetermined_suffix(demo, opini_period):
    at = page("results", user="kadinsos", period=opini_period, unit="DINSOS-SLRT")
    assert not at.exception
    body = texts(at)
    assert "**Label unit ini** · Label unit layanan (Kualitas Pelayanan): **Kualitas Pelayanan Sangat Baik**" in body
    assert "Opini Kualitas Tertinggi**" in body
    assert 'Akhiran "Tanpa Maladministrasi" belum ditentukan: tindak lanjut produk Ombudsman belum dicatat.' in body
    assert "Jalur ke zona berikutnya" in [h.value for h in at.subheader]  # no gates: the band path stays


def test_region_overview_shows_the_entity_label_at_the_mean_of_units(demo, opini_period):
    at = page("region", user="ortala", period=opini_period)
    assert not at.exception
    body = texts(at)
    # Dinas Sosial 100, Disdik 66.67: mean 83.33 -> "Opini Kualitas Tinggi"
    assert "**Label wilayah** · Opini untuk Pemda / kementerian (rata-rata unit): **Opini Kualitas Tinggi**" in body
    assert "belum ditentukan" in body


def test_recorded_fact_grants_the_suffix(demo, opini_period, monkeypatch):
    import services.region.standings as standings

    monkeypatch.setattr(
        standings, "recorded_facts", lambda con, *, period_id, unit_id: {"tindak_lanjut_produk_ombudsman": True}
    )
    at = page("results", user="kadinsos", period=opini_period, unit="DINSOS-SLRT")
    assert "Opini Kualitas Tertinggi Tanpa Maladministrasi**" in texts(at)
    at = page("region", user="ortala", period=opini_period)
    assert "**Opini Kualitas Tinggi Tanpa Maladministrasi**" in texts(at)


def test_drill_down_shows_gates_too(demo, zi_period):
    at = page("region_unit", user="ortala", period=zi_period, unit="DINSOS-SLRT")
    assert not at.exception
    assert "Predikat dan label" in [h.value for h in at.subheader]
    assert "Jalur ke predikat berikutnya" in [h.value for h in at.subheader]


def test_english_switch(demo, zi_period):
    at = AppTest.from_string("from app_pages import results\nresults.render()\n", default_timeout=TIMEOUT)
    login(at, "kadinsos")
    at.session_state["lang"] = "en"
    at.query_params["periode"] = str(zi_period)
    at.query_params["unit"] = "DINSOS-SLRT"
    at.run()
    assert not at.exception
    assert "Result and labels" in [h.value for h in at.subheader]
    assert "Path to the next result" in [h.value for h in at.subheader]


def test_verifier_compares_the_result_too_not_only_the_band(demo, zi_period):
    head = accounts.current_user(demo.con(), "kadinsos")
    view = open_assessment(demo.con(), head, period_id=zi_period, unit_id=demo.unit("DINSOS-SLRT").id)
    submit(demo.con(), head, assessment_id=view.assessment.id)
    verifier = accounts.current_user(demo.con(), "verifikator")
    vf.start_review(demo.con(), verifier, assessment_id=view.assessment.id)
    at = login(
        AppTest.from_string(
            "from app_pages import verification\nverification.render_review()\n", default_timeout=TIMEOUT
        ),
        "verifikator",
    )
    at.query_params["penilaian"] = str(view.assessment.id)
    at.run()
    assert not at.exception
    shown = [m.value for m in at.markdown]
    # the unit's own score and the provisional verified score each say which result they award
    assert shown.count("**Predikat:** Belum memenuhi syarat WBK") == 2

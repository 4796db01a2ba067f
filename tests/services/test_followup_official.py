"""Official results and the Ombudsman's products: form, CSV import (all or nothing), the comparison, and the
recorded facts issue 14's suffix rule reads."""

from __future__ import annotations

import datetime as dt

import pytest

from services.access import AccessDenied, Actor
from services.admin.csv_import import ImportRejected
from services.answering.assessing import record_answer
from services.answering.recorded_facts import recorded_facts
from services.followup import official
from services.followup.common import FollowupError
from services.followup.comparison import compare
from store import assessments, audit
from store import official_results as store
from store.db import transaction


def _period_name(w) -> str:
    return w.con.execute("SELECT name FROM periods WHERE id = ?", [w.period]).fetchone()[0]


def _csv(*lines: str) -> bytes:
    return ("\n".join(lines) + "\n").encode()


def test_admin_records_a_result_with_dimensions_and_a_replacement_is_audited(world):
    name = _period_name(world)
    assert not official.record_result(world.con, world.admin, period=name, code="U1", score="71,5",
                                      dimensions={"input": "30", "proses": 20.5})  # fmt: skip
    row = store.get_result(world.con, period_id=world.period, org_unit_id=world.unit)
    assert (row.score, row.label, row.dimensions) == (71.5, "Kualitas Sedang", {"input": 30.0, "proses": 20.5})
    assert official.record_result(world.con, world.admin, period=name, code="U1", score=80, label="Baik")
    events = audit.events(world.con, event="official.result_recorded")
    assert events[0].payload["old"]["score"] == 71.5 and events[0].payload["new"]["score"] == 80.0


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"code": "NOPE"}, "kode 'NOPE' tidak dikenal"),
        ({"score": "101"}, "di luar rentang"),
        ({"score": "tujuh"}, "bukan angka"),
        ({"dimensions": {"input": "45"}}, "dimensi input 45 di luar rentang 0–40"),
        ({"dimensions": "pengaduan=3"}, "dimensi 'pengaduan' tidak ada"),
        ({"period": "Penilaian 1990"}, "tidak ditemukan"),
    ],
)
def test_bad_result_input_is_refused(world, fields, message):
    base = {"period": _period_name(world), "code": "U1", "score": "70"}
    with pytest.raises(FollowupError, match=message):
        official.record_result(world.con, world.admin, **{**base, **fields})
    assert store.results(world.con) == []


def test_only_admin_records_official_results(world):
    with pytest.raises(AccessDenied):
        official.record_result(world.con, world.head, period=_period_name(world), code="U1", score=70)
    with pytest.raises(AccessDenied):
        official.import_csv(world.con, world.viewer, _csv("periode,kode,nilai", f"{_period_name(world)},U1,70"))


def test_csv_import_writes_every_row_or_none(world):
    name = _period_name(world)
    bad = _csv("periode;kode;nilai;predikat;akhiran;dimensi", f"{name};U1;81,25;Baik;;input=30|proses=30",
               f"{name};U2;120;;;", f"{name};ZZ;50;;;", f"{name};U1;70;;;")  # fmt: skip
    with pytest.raises(ImportRejected) as caught:
        official.import_csv(world.con, world.admin, bad)
    text = str(caught.value)
    assert "baris 3: nilai 120 di luar rentang" in text and "baris 4: kode 'ZZ'" in text
    assert "baris 5: sama dengan baris 2" in text
    assert store.results(world.con) == [] and audit.events(world.con, event="official.imported") == []
    good = _csv("periode;kode;nilai;predikat;akhiran;dimensi", f"{name};U1;81,25;Baik;;input=30|proses=30",
                f"{name};KAB-X;76,04;Opini Kualitas Sedang;Tanpa Maladministrasi;")  # fmt: skip
    summary = official.import_csv(world.con, world.admin, good)
    assert (summary.kind, summary.rows, summary.replaced) == ("hasil", 2, 0)
    region = store.get_result(world.con, period_id=world.period, org_unit_id=world.unit - 1)
    assert (region.score, region.suffix) == (76.04, "Tanpa Maladministrasi")


def test_products_csv_and_the_recorded_facts_for_the_suffix(world):
    name = _period_name(world)
    region_id = world.unit - 1
    assert recorded_facts(world.con, period_id=world.period, unit_id=region_id) == {}
    official.import_csv(world.con, world.admin, _csv(
        "periode,kode,jenis,nomor,uraian,status",
        f"{name},KAB-X,saran,S-01/2025,Hubungkan kanal pengaduan ke SP4N-LAPOR!,selesai",
        f"{name},KAB-X,tindakan korektif,TK-02/2025,=HYPERLINK(\"x\"),berjalan",
    ))  # fmt: skip
    assert recorded_facts(world.con, period_id=world.period, unit_id=region_id) == {
        "tindak_lanjut_produk_ombudsman": False
    }
    assert recorded_facts(world.con, period_id=world.period, unit_id=world.unit) == {}
    assert recorded_facts(world.con, period_id=world.closed_period, unit_id=region_id) == {}
    official.record_product(world.con, world.admin, period=name, code="KAB-X", kind="tindakan_korektif",
                            reference="TK-02/2025", status="selesai")  # fmt: skip
    assert recorded_facts(world.con, period_id=world.period, unit_id=region_id) == {
        "tindak_lanjut_produk_ombudsman": True
    }
    assert len(store.products(world.con)) == 2
    with pytest.raises(ImportRejected, match="jenis 'teguran' tidak dikenal"):
        official.import_csv(world.con, world.admin, _csv("periode,kode,jenis,nomor,status",
                                                          f"{name},KAB-X,teguran,T-1,belum"))  # fmt: skip


def test_comparison_shows_self_verified_official_per_unit_dimension_and_the_region(world):
    record_answer(world.con, world.head, assessment_id=world.assessment, indicator_id="IN-02", value=3)
    name = _period_name(world)
    official.record_result(world.con, world.admin, period=name, code="U1", score=12.5, dimensions={"input": 12.5})
    official.record_result(world.con, world.admin, period=name, code="KAB-X", score=10)
    result = compare(world.con, world.admin)
    u1 = next(u for u in result.units if u.unit_code == "U1")
    assert (u1.self_score, u1.official, u1.optimism) == (20.0, 12.5, 7.5)
    dim = next(d for d in u1.dimensions if d.id == "input")
    assert (dim.self_score, dim.official, dim.verified) == (20.0, 12.5, None)
    region = result.region[0]
    assert (region.app_mean, region.official, region.gap, region.units_assessed) == (20.0, 10.0, 10.0, 1)
    mine = compare(world.con, world.head)
    assert {u.unit_code for u in mine.units} == {"U1"} and mine.region == ()
    assert "U1" not in {u.unit_code for u in compare(world.con, world.other_head, unit_id=world.unit).units}
    with pytest.raises(AccessDenied):
        compare(world.con, Actor(username="v", role="verifier"))


def test_comparison_follows_a_unit_across_years(world):
    # last year's assessment (a closed period) was written before the close; this year's is answered now
    with transaction(world.con):
        old = assessments.get_or_create(world.con, period_id=world.closed_period, unit_id=world.unit)
        assessments.put_answer(world.con, assessment_id=old.id, indicator_id="IN-02", subject="unit", value=0,
                               count=1, actor="uji", at=dt.datetime(2024, 9, 1))  # fmt: skip
    record_answer(world.con, world.head, assessment_id=world.assessment, indicator_id="IN-02", value=3)
    official.record_result(world.con, world.admin, period="Penilaian lama", code="U1", score=5.0)
    official.record_result(world.con, world.admin, period=_period_name(world), code="U1", score=12.5)
    rows = sorted((u for u in compare(world.con, world.admin).units if u.unit_code == "U1"), key=lambda u: u.year)
    assert [(u.year, u.self_score, u.official, u.optimism) for u in rows] == [
        (rows[1].year - 1, 0.0, 5.0, -5.0),  # a year ago the unit rated itself below the Ombudsman
        (rows[1].year, 20.0, 12.5, 7.5),  # this year it is far more optimistic than the Ombudsman
    ]

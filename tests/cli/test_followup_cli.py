"""`kepatuhan official import` and `kepatuhan readiness`: what a shell user sees."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from services.answering.evidence_files import blob_store
from services.ops.demo import REGION_CODE, seed_demo
from store import official_results, periods
from store.db import connect


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("followup-demo")
    con = connect(root)
    seed_demo(con, blob_store(root))
    con.close()
    return root


@pytest.fixture
def demo(demo_template: Path, _isolated_data_dir: Path) -> Path:
    shutil.copytree(demo_template, _isolated_data_dir, dirs_exist_ok=True)
    return _isolated_data_dir


def _latest(root: Path) -> str:
    con = connect(root)
    try:
        return periods.list_periods(con)[0].name
    finally:
        con.close()


def _results(root: Path):
    con = connect(root)
    try:
        return official_results.results(con)
    finally:
        con.close()


def test_official_import_of_results_and_products(cli, demo, tmp_path):
    name = _latest(demo)
    f = tmp_path / "hasil.csv"
    f.write_text(f"periode,kode,nilai,predikat,akhiran,dimensi\n{name},DINSOS-SLRT,\"71,2\",,,\n"
                 f"{name},{REGION_CODE},74.9,Opini Kualitas Sedang,,\n", encoding="utf-8")  # fmt: skip
    run = cli("official", "import", f)
    assert run.code == 0, run
    assert "2 hasil resmi dicatat" in run.out
    assert sorted(r.score for r in _results(demo)) == [71.2, 74.9]
    p = tmp_path / "produk.csv"
    p.write_text("periode;kode;jenis;nomor;uraian;status\n"
                 f"{name};{REGION_CODE};saran;S-1;Hubungkan SP4N-LAPOR!;belum\n", encoding="utf-8")  # fmt: skip
    run = cli("official", "import", p)
    assert run.code == 0 and "1 produk Ombudsman dicatat" in run.out


def test_official_import_refuses_the_whole_file_with_row_numbers(cli, demo, tmp_path):
    name = _latest(demo)
    f = tmp_path / "hasil.csv"
    f.write_text(f"periode,kode,nilai\n{name},DINSOS-SLRT,71\n{name},TIDAK-ADA,70\nPeriode X,DINSOS-SLRT,50\n",
                 encoding="utf-8")  # fmt: skip
    run = cli("official", "import", f)
    assert run.code == 1 and "tidak ada data yang disimpan" in run.err
    assert "baris 3: kode 'TIDAK-ADA' tidak dikenal" in run.err and "baris 4: Periode 'Periode X'" in run.err
    assert _results(demo) == []
    assert cli("official", "import", tmp_path / "tidak-ada.csv").code == 1


def test_readiness_text_and_json(cli, demo):
    run = cli("readiness", "--unit", "DINSOS-SLRT")
    assert run.code == 0, run
    assert "Belum dijawab:" in run.out and "Jendela kunjungan:" in run.out and "BELUM SIAP" in run.out
    data = json.loads(cli("readiness", "--unit", "DINSOS-SLRT", "--json").out)
    assert data["unit"] == "DINSOS-SLRT" and len(data["belum_dijawab"]) > 0
    assert set(data) >= {"bukti_kurang", "bukti_kedaluwarsa", "tindakan_terbuka", "hari_menuju_kunjungan"}
    bad = cli("readiness", "--unit", "NOPE")
    assert bad.code == 1 and "tidak ditemukan" in bad.err
    assert cli("readiness").code == 2

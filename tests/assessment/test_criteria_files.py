"""Every criteria file shipped in criteria/ is a test case, plus the facts each file must carry."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from assessment import Criteria, load_criteria

CRITERIA_DIR = Path(__file__).resolve().parents[2] / "criteria"
FILES = sorted(CRITERIA_DIR.glob("*.yaml"))


def load(name: str) -> Criteria:
    return load_criteria(CRITERIA_DIR / f"{name}.yaml")


def test_the_five_criteria_files_are_there():
    assert {p.stem for p in FILES} >= {"ombudsman-2023", "pekppp-2023", "ombudsman-2021-zona", "opini-2025", "skm-2017"}


@pytest.fixture(params=FILES, ids=lambda p: p.name)
def criteria_file(request) -> Path:
    return request.param


def test_loads(criteria_file: Path):
    criteria = load_criteria(criteria_file)
    assert criteria.id == criteria_file.stem
    assert criteria.locale == "id"
    assert criteria.sources, "sebutkan sumber (S-key / URL)"
    assert criteria.description


def test_first_line_points_editors_at_the_schema(criteria_file: Path):
    first = criteria_file.read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=schema.json"


def test_valid_against_the_generated_schema(criteria_file: Path):
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    schema = json.loads((CRITERIA_DIR / "schema.json").read_text(encoding="utf-8"))
    data = yaml.safe_load(criteria_file.read_text(encoding="utf-8"))
    jsonschema.validate(data, schema)


def test_weights_sum_to_100(criteria_file: Path):
    criteria = load_criteria(criteria_file)
    if criteria.composite is None:
        assert sum(d.weight for d in criteria.dimensions) == pytest.approx(100, abs=1e-9)
    else:
        assert sum(g.weight for g in criteria.composite.groups) == pytest.approx(100, abs=1e-9)
        for g in criteria.composite.groups:
            inner = [d.weight for d in criteria.dimensions if d.id in g.dimensions]
            assert sum(inner) == pytest.approx(100, abs=1e-9)
    assert sum(criteria.dimension_max(d) for d in criteria.dimensions) == pytest.approx(criteria.scale.max)
    for d in criteria.dimensions:
        assert sum(d.indicator_weight(i) for i in d.indicators) == pytest.approx(100, abs=0.011)


def test_every_indicator_explains_every_level_and_its_evidence(criteria_file: Path):
    criteria = load_criteria(criteria_file)
    for ind in criteria.indicators_by_id().values():
        assert ind.question and ind.guidance, ind.id
        assert len(ind.options) >= 2, ind.id
        for option in ind.options:
            assert option.label and len(option.meaning) >= 5, (ind.id, option.value)
        assert ind.evidence is not None and ind.evidence.hint, f"{ind.id}: petunjuk bukti dukung"
        if ind.evidence.required_from is not None:
            assert ind.option(ind.evidence.required_from) is not None
        if ind.subject.kind == "respondent":
            assert ind.subject.expected and ind.subject.label, ind.id


def test_bands_cover_the_scale_without_gap_or_overlap(criteria_file: Path):
    criteria = load_criteria(criteria_file)
    step = Decimal(1).scaleb(-criteria.scale.decimals)
    value = Decimal(str(criteria.scale.min))
    top = Decimal(str(criteria.scale.max))
    while value <= top:
        holding = [b.code for b in criteria.bands if b.contains(float(value))]
        assert len(holding) == 1, f"{value}: {holding}"
        assert criteria.band_for(float(value)).code == holding[0]
        value += step


def test_bands_have_distinct_colours(criteria_file: Path):
    criteria = load_criteria(criteria_file)
    colours = [b.colour.lower() for b in criteria.bands]
    assert len(set(colours)) == len(colours)


# ---- file-specific facts (domain/ombudsman-method.md, domain/other-frameworks.md) ----


def test_ombudsman_2023_facts():
    c = load("ombudsman-2023")
    dims = {d.id: d for d in c.dimensions}
    assert [d.weight for d in c.dimensions] == [21.85, 32.37, 24.24, 21.54]
    assert list(dims) == ["input", "proses", "output", "pengaduan"]
    assert len(dims["input"].indicators) == 15
    assert len(dims["proses"].indicators) == 12
    assert len(dims["output"].indicators) == 5
    inds = c.indicators_by_id()
    assert inds["IN-K01"].weight == 12.22
    assert inds["IN-K01"].question.startswith("Apakah pejabat/petugas dapat menyebutkan")
    kompetensi = [i for i in dims["input"].indicators if i.variable == "kompetensi-pelaksana"]
    sarana = [i for i in dims["input"].indicators if i.variable == "sarana-prasarana"]
    assert len(kompetensi) == 6 and len(sarana) == 9
    assert any("rekomendasi Ombudsman" in i.question for i in kompetensi)
    assert any("penyuluhan" in i.question for i in sarana)
    assert {i.weight for i in dims["input"].indicators if i.id != "IN-K01"} == {6.27}
    for i in kompetensi:
        assert (i.subject.kind, i.subject.expected, i.method) == ("respondent", 4, "wawancara")
    for i in sarana:
        assert i.subject.kind == "unit"
    for i in dims["proses"].indicators:
        assert (i.subject.kind, i.subject.expected) == ("product", 2)
    for i in dims["output"].indicators:
        assert (i.subject.kind, i.subject.expected, i.method) == ("respondent", 30, "survei")
        assert [o.value for o in i.options] == [0, 1, 2, 3]
    assert "REKONSTRUKSI" in inds["OUT-04"].note and "REKONSTRUKSI" in inds["OUT-05"].note
    pengaduan = dims["pengaduan"].indicators
    assert all(i.note and "REKONSTRUKSI" in i.note for i in pengaduan)
    assert {i.subject.expected for i in pengaduan if i.subject.kind == "respondent"} == {2}
    assert "REKONSTRUKSI" in c.description
    # biaya always applies ("gratis" must be shown); pelayanan terpadu may be N/A
    assert not inds["PR-04"].na_allowed
    assert inds["PR-12"].na_allowed


@pytest.mark.parametrize(
    ("score", "code", "zone", "label"),
    [
        (49.85, "D", "merah", "Kualitas Rendah"),  # Puskesmas Watdek 2023
        (88, "A", "hijau", "Kualitas Tertinggi"),
        (87.99, "B", "hijau", "Kualitas Tinggi"),
        (78, "B", "hijau", "Kualitas Tinggi"),
        (77.99, "C", "kuning", "Kualitas Sedang"),
        (54, "C", "kuning", "Kualitas Sedang"),
        (53.99, "D", "merah", "Kualitas Rendah"),
        (32, "D", "merah", "Kualitas Rendah"),
        (31.99, "E", "merah", "Kualitas Terendah"),
        (0, "E", "merah", "Kualitas Terendah"),
        (100, "A", "hijau", "Kualitas Tertinggi"),
        (87.996, "A", "hijau", "Kualitas Tertinggi"),  # rounded to 88.00 first
    ],
)
def test_ombudsman_2023_bands(score, code, zone, label):
    band = load("ombudsman-2023").band_for(score)
    assert (band.code, band.zone, band.label) == (code, zone, label)


def test_ombudsman_2023_green_bands_are_distinct_greens():
    bands = {b.code: b for b in load("ombudsman-2023").bands}
    assert bands["A"].colour != bands["B"].colour
    assert {bands["A"].zone, bands["B"].zone} == {"hijau"}


def test_pekppp_facts():
    c = load("pekppp-2023")
    assert [d.weight for d in c.dimensions] == [24, 25, 18, 11, 10, 12]
    assert [len(d.indicators) for d in c.dimensions] == [9, 5, 6, 4, 4, 2]
    assert (c.scale.min, c.scale.max, c.scale.decimals) == (0, 5, 2)
    inds = list(c.indicators_by_id().values())
    assert [int(i.id.split(".")[0]) for i in inds] == list(range(1, 31))
    weights = {i.id.split(".")[0]: i.weight for i in inds}
    assert [weights[str(n)] for n in range(1, 10)] == [17, 14, 7, 14, 10, 17, 7, 7, 7]
    assert [weights[str(n)] for n in range(10, 15)] == [10, 20, 20, 20, 30]
    assert [weights[str(n)] for n in range(15, 21)] == [15, 23, 20, 20, 11, 11]
    assert [weights[str(n)] for n in range(21, 25)] == [30, 20, 20, 30]
    assert [weights[str(n)] for n in range(25, 29)] == [20, 25, 25, 30]
    assert [weights[str(n)] for n in range(29, 31)] == [50, 50]
    for i in inds:
        assert [o.value for o in i.options] == [0, 1, 2, 3, 4, 5]
        assert i.subject.kind == "unit"
    assert "31" in c.description  # the unscored queue indicator is explained, not modelled
    assert len(c.bands) == 9


@pytest.mark.parametrize(
    ("score", "code", "label"),
    [
        (5, "A", "Pelayanan Prima"),
        (4.51, "A", "Pelayanan Prima"),
        (4.5, "A-", "Sangat Baik"),
        (4.01, "A-", "Sangat Baik"),
        (4.0, "B", "Baik"),
        (3.51, "B", "Baik"),
        (3.5, "B-", "Baik (dengan catatan)"),
        (3.27, "B-", "Baik (dengan catatan)"),
        (3.0, "C", "Cukup"),
        (2.5, "C-", "Cukup (dengan catatan)"),
        (2.0, "D", "Buruk"),
        (1.5, "E", "Sangat Buruk"),
        (1.0, "F", "Gagal"),
        (0, "F", "Gagal"),
    ],
)
def test_pekppp_bands(score, code, label):
    band = load("pekppp-2023").band_for(score)
    assert (band.code, band.label) == (code, label)


@pytest.mark.parametrize(
    ("score", "code"),
    [(100, "A"), (88.31, "A"), (88.30, "B"), (76.61, "B"), (76.60, "C"), (65.00, "C"), (64.99, "D"), (25, "D")],
)
def test_skm_bands(score, code):
    c = load("skm-2017")
    assert c.band_for(score).code == code


def test_skm_facts():
    c = load("skm-2017")
    assert (c.scale.min, c.scale.max, c.scale.normalization) == (25, 100, "max")
    inds = list(c.indicators_by_id().values())
    assert [i.id for i in inds] == [f"U{n}" for n in range(1, 10)]
    for i in inds:
        assert [o.value for o in i.options] == [1, 2, 3, 4]
        assert (i.subject.kind, i.method) == ("respondent", "survei")
    assert "Mutu A" in c.band_for(90).label


def test_zona_2021_facts():
    c = load("ombudsman-2021-zona")
    assert len(c.dimensions) == 1 and c.dimensions[0].weight == 100
    assert len(c.dimensions[0].variables) == 10
    for i in c.indicators_by_id().values():
        assert [o.value for o in i.options] == [0, 1]
    assert [(b.code, b.zone) for b in c.bands] == [("hijau", "hijau"), ("kuning", "kuning"), ("merah", "merah")]
    assert c.band_for(50.99).zone == "merah"
    assert c.band_for(51).zone == "kuning"
    assert c.band_for(80.99).zone == "kuning"
    assert c.band_for(81).zone == "hijau"


def test_opini_2025_facts():
    c = load("opini-2025")
    groups = {g.id: g for g in c.composite.groups}
    assert (groups["dimensi"].weight, groups["kepercayaan"].weight) == (70, 30)
    assert groups["dimensi"].dimensions == ("input", "proses", "output", "pengaduan")
    assert groups["kepercayaan"].dimensions == ("kepercayaan-masyarakat",)
    dims = {d.id: d for d in c.dimensions}
    assert {dims[d].weight for d in groups["dimensi"].dimensions} == {25}
    assert c.effective_dimension_weight(dims["input"]) == pytest.approx(17.5)
    assert c.effective_dimension_weight(dims["kepercayaan-masyarakat"]) == pytest.approx(30)
    for i in dims["kepercayaan-masyarakat"].indicators:
        assert (i.subject.kind, i.subject.expected, i.method) == ("respondent", 30, "survei")
    assert c.composite.suffix is None  # the suffix follows recorded follow-up (label_families), not O-PG-02
    families = {f.applies_to: f for f in c.label_families}
    assert [b.label for b in families["unit"].bands] == [
        "Kualitas Pelayanan Sangat Baik",
        "Kualitas Pelayanan Baik",
        "Kualitas Pelayanan Cukup",
        "Kualitas Pelayanan Kurang",
    ]
    assert [b.min for b in families["entity"].bands] == [88, 78, 54, 0]
    suffix = families["entity"].suffix
    assert (suffix.text, suffix.fact) == ("Tanpa Maladministrasi", "tindak_lanjut_produk_ombudsman")
    assert families["unit"].suffix is None
    assert "DIDUGA" in c.description
    assert [b.label for b in c.bands] == [
        "Kualitas Tertinggi",
        "Kualitas Tinggi",
        "Kualitas Sedang",
        "Kualitas Rendah",
        "Kualitas Terendah",
    ]

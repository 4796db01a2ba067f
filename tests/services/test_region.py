"""The region overview and trends: region score = mean of assessed units, filters, levers, trends across
criteria versions, and the role scope checked on the server side."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from assessment import parse_criteria, score
from services.access import AccessDenied, Actor
from services.answering.results import score_view
from services.catalog import CRITERIA_DIR, register_file
from services.exchange.formats import export_file
from services.region.data import score_period
from services.region.overview import RegionFilters, build_overview, period_scores, region_overview, unit_detail
from services.region.trends import region_trends
from store import assessments, criteria_sets, periods, units
from store.db import connect, transaction

ADMIN = Actor(username="ortala", role="admin")
VIEWER = Actor(username="pimpinan", role="viewer")


@pytest.fixture
def con(demo_copy: Path):
    root = demo_copy
    c = connect(root)
    yield c
    c.close()


def _ids(con) -> dict[str, int]:
    return {u.code: u.id for u in units.list_units(con, kind="unit")}


def _latest(con):
    return periods.list_periods(con)[0]


def test_region_score_is_the_mean_of_the_unit_totals_with_its_band(con):
    ov = region_overview(con, ADMIN)
    assert ov.scores.period.id == _latest(con).id  # the latest period unless another is named
    from services.answering.assessing import load_view

    totals = []
    for row in assessments.list_for_period(con, period_id=ov.scores.period.id):
        totals.append(score_view(load_view(con, ADMIN, assessment_id=row.id)).total)
    mean = sum(totals) / len(totals)
    assert ov.region is not None
    assert ov.region.units == len(totals) == 7
    assert ov.region.score == pytest.approx(round(mean, 2))
    assert ov.region.band == ov.criteria.band_for(mean)
    assert [line.total for line in ov.lines] == sorted(totals, reverse=True)  # league order
    assert [line.rank for line in ov.lines] == list(range(1, 8))


def test_units_without_answers_are_not_started_and_left_out_of_the_mean(con):
    before = region_overview(con, ADMIN)
    with transaction(con):
        opd = units.unit_by_code(con, code="OPD-DINKES")
        new = units.add_unit(
            con, kind="unit", code="PKM-BARU", name="UPT Puskesmas Baru", parent_id=opd.id, unit_type="puskesmas"
        )
        assessments.get_or_create(con, period_id=before.scores.period.id, unit_id=new)  # opened, nothing answered
    ov = region_overview(con, ADMIN)
    assert ov.scope_units == 8 and ov.scope_assessed == 7
    assert ov.region.score == before.region.score
    assert ov.status_counts == {"belum_mulai": 1, "draf": 7, "dikirim": 0, "terverifikasi": 0}
    line = next(x for x in ov.lines if x.code == "PKM-BARU")
    assert line.total is None and line.rank is None and line.status == "belum_mulai"
    assert ov.lines[-1].code == "PKM-BARU"  # not-started units come after the ranked ones
    closed = next(p for p in periods.list_periods(con) if p.status == "closed")
    past = region_overview(con, ADMIN, period_id=closed.id)
    assert past.status_counts["dikirim"] == 7 and past.status_counts["belum_mulai"] == 1


def test_filters_narrow_the_table_but_not_the_region_score(con):
    scores = period_scores(con, ADMIN)
    everything = build_overview(scores)
    dinkes = build_overview(scores, RegionFilters(opd=("OPD-DINKES",)))
    assert {line.code for line in dinkes.lines} == {"DINKES", "PKM-SUKAMAJU", "PKM-KARANGANYAR"}
    assert dinkes.region == everything.region
    picked = [line.total for line in dinkes.lines]
    assert dinkes.selection.score == pytest.approx(round(sum(picked) / len(picked), 2))
    assert everything.selection is None
    puskesmas = build_overview(scores, RegionFilters(unit_type=("puskesmas",)))
    assert {line.code for line in puskesmas.lines} == {"PKM-SUKAMAJU", "PKM-KARANGANYAR"}
    red = build_overview(scores, RegionFilters(zone=("merah",)))
    assert red.lines and all(line.zone == "merah" for line in red.lines)
    assert sum(red.zone_counts.values()) == red.zone_counts["merah"] == len(red.lines)
    both = build_overview(scores, RegionFilters(opd=("OPD-DINKES",), zone=("merah",)))
    assert [line.code for line in both.lines] == ["PKM-KARANGANYAR"]
    assert build_overview(scores, RegionFilters(status=("dikirim",))).lines == ()
    assert len(build_overview(scores, RegionFilters(status=("draf",))).lines) == 7
    options = everything.options
    assert ("OPD-DINKES", "Dinas Kesehatan") in options.opds
    assert "puskesmas" in options.unit_types and options.zones == ("hijau", "kuning", "merah")


def test_heatmap_missed_indicators_and_levers(con):
    ov = region_overview(con, ADMIN)
    n = ov.scope_assessed
    rows = ov.heatmap_rows
    assert [r.total for r in rows] == sorted(r.total for r in rows)  # weakest first
    assert ov.weakest.code == rows[0].code
    assert all(len(r.shares) == len(ov.dimensions) and all(0 <= s <= 1 for s in r.shares) for r in rows)
    reports = {u.unit.code: u.report for u in ov.scores.units}
    for m in ov.missed:
        lost = [r.indicator(m.indicator).lost for r in reports.values()]
        assert m.units_losing == sum(1 for x in lost if x > 1e-9)
        assert m.lost_total == pytest.approx(round(sum(lost), 2))
        assert m.region_gain == pytest.approx(round(sum(lost) / n, 2))
    assert [m.units_losing for m in ov.missed] == sorted((m.units_losing for m in ov.missed), reverse=True)
    gains = [lv.unit_gain for lv in ov.levers]
    assert gains == sorted(gains, reverse=True)
    for lv in ov.levers:
        lost = reports[lv.unit_code].indicator(lv.indicator).lost
        assert lv.unit_gain == pytest.approx(round(lost, 2))
        assert lv.region_gain == pytest.approx(round(lost / n, 3))
    for ul in ov.unit_levers:
        r = reports[ul.unit_code]
        assert ul.region_gain == pytest.approx(round((r.scale_max - r.total_exact) / n, 2))
        if r.next_band:
            assert ul.to_next == pytest.approx(round(r.next_band.min - r.total, 2))
            full = score(ov.criteria, [], plan=False)  # the path exists: raising every indicator reaches any band
            assert ul.path_len is not None and ul.path_len <= len(full.indicators)


def test_a_verified_total_can_be_supplied_per_unit(con):
    ids = _ids(con)
    scores = score_period(con, ADMIN, period_id=_latest(con).id, verified={ids["DISDIK"]: 44.5})
    line = next(x for x in build_overview(scores).lines if x.code == "DISDIK")
    assert line.verified == 44.5
    assert all(x.verified is None for x in build_overview(scores).lines if x.code != "DISDIK")


def _period_with(con, sha: str, name: str, year: int) -> int:
    ids = _ids(con)
    with transaction(con):
        pid = periods.add_period(con, name=name, year=year, criteria_sha256=sha, status="closed")
        for code in ("DISDIK", "DUKCAPIL"):
            row = assessments.get_or_create(con, period_id=pid, unit_id=ids[code])
            assessments.put_answer(
                con,
                assessment_id=row.id,
                indicator_id=_first_indicator(con, sha),
                subject="unit",
                value=1,
                actor="uji",
                at=dt.datetime(year, 5, 1),
            )
    return pid


def _first_indicator(con, sha: str) -> str:
    from services.catalog import criteria_for

    criteria = criteria_for(con, sha)
    return next(i.id for d in criteria.dimensions for i in d.indicators if i.subject.kind == "unit")


def test_trends_with_the_same_criteria_compare_down_to_indicators(con):
    trends = region_trends(con, ADMIN)
    assert trends.level == "indikator" and trends.same_criteria and trends.message == ""
    assert [p.year for p in trends.periods] == sorted(p.year for p in trends.periods)
    assert len(trends.units) == 7 and all(len(u.totals) == 2 for u in trends.units)
    assert trends.indicators and len(trends.dimensions) == 4
    for p, scores in zip(
        trends.periods, [region_overview(con, ADMIN, period_id=p.id) for p in trends.periods], strict=True
    ):
        assert p.region.score == scores.region.score


def test_trends_across_criteria_versions_stop_at_dimensions_and_say_so(con):
    text = (CRITERIA_DIR / "ombudsman-2023.yaml").read_text(encoding="utf-8")
    newer = text.replace('version: "2023.1"', 'version: "2023.2"', 1)
    assert newer != text
    sha = criteria_sets.save(con, criteria=parse_criteria(newer, "uji"), yaml_text=newer)
    pid = _period_with(con, sha, "Penilaian versi baru", 2090)
    trends = region_trends(con, ADMIN)
    assert trends.level == "dimensi" and not trends.same_criteria
    assert "hanya pada nilai total dan dimensi" in trends.message and "2023.2" in trends.message
    assert trends.indicators == () and len(trends.dimensions) == 4
    assert trends.periods[-1].id == pid and trends.periods[-1].assessed == 2
    disdik = next(u for u in trends.units if u.code == "DISDIK")
    assert disdik.totals[-1] is not None and len(disdik.dimension_shares) == 4


def test_trends_across_criteria_without_shared_dimensions_compare_totals_only(con):
    sha = register_file(con, CRITERIA_DIR / "ombudsman-2021-zona.yaml")
    _period_with(con, sha, "Penilaian zonasi", 2019)
    trends = region_trends(con, ADMIN)
    assert trends.level == "total" and trends.dimensions == ()
    assert "hanya pada nilai total" in trends.message
    assert trends.periods[0].name == "Penilaian zonasi"


def test_trend_filters_use_the_latest_period(con):
    trends = region_trends(con, ADMIN, filters=RegionFilters(zone=("hijau",)))
    latest = region_overview(con, ADMIN, filters=RegionFilters(zone=("hijau",)))
    assert {u.code for u in trends.units} == {line.code for line in latest.lines}


def test_unit_heads_cannot_see_the_region_but_can_export_their_own_unit(con):
    ids = _ids(con)
    head = Actor(username="kadinsos", role="unit_head", unit_id=ids["DINSOS-SLRT"])
    with pytest.raises(AccessDenied):
        region_overview(con, head)
    with pytest.raises(AccessDenied):
        region_trends(con, head)
    with pytest.raises(AccessDenied):
        export_file(con, head, "xlsx")
    with pytest.raises(AccessDenied):
        export_file(con, head, "pdf", unit_code="DISDIK")
    with pytest.raises(AccessDenied):
        unit_detail(con, head, period_id=_latest(con).id, unit_id=ids["DISDIK"])
    own = export_file(con, head, "pdf", unit_code="DINSOS-SLRT")
    assert own.data.startswith(b"%PDF") and own.name.endswith("DINSOS-SLRT.pdf")
    assert unit_detail(con, head, period_id=_latest(con).id, unit_id=ids["DINSOS-SLRT"]) is not None


def test_verifiers_see_only_their_units_and_viewers_everything(con):
    ids = _ids(con)
    verifier = Actor(username="v", role="verifier", verifier_units=frozenset({ids["DISDIK"], ids["DINKES"]}))
    ov = region_overview(con, verifier)
    assert {line.code for line in ov.lines} == {"DISDIK", "DINKES"} and ov.scores.partial_scope
    with pytest.raises(AccessDenied):
        unit_detail(con, verifier, period_id=_latest(con).id, unit_id=ids["DUKCAPIL"])
    with pytest.raises(AccessDenied):
        region_overview(con, Actor(username="baru", role="verifier"))
    assert len(region_overview(con, VIEWER).lines) == 7 and not region_overview(con, VIEWER).scores.partial_scope


def test_unit_detail_is_none_before_a_unit_starts(con):
    with transaction(con):
        new = units.add_unit(con, kind="unit", code="BARU", name="Unit Baru")
    assert unit_detail(con, ADMIN, period_id=_latest(con).id, unit_id=new) is None
    assert assessments.find(con, period_id=_latest(con).id, unit_id=new) is None  # looking created nothing

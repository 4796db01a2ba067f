"""Readiness for the visit window: countdown, unanswered, missing and expired evidence, actions, verification;
the region board; the visit dossier PDF; the region simulator."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from services.access import AccessDenied
from services.answering.assessing import record_answer, record_tally
from services.answering.evidence_files import attach_evidence
from services.followup import actions, exports, readiness
from services.followup.readiness import add_months, visit_window
from services.followup.simulator import simulate
from services.ops.demo import sample_png
from store import periods
from store.db import transaction

TODAY = dt.date.today()


def _period(w):
    return periods.get_period(w.con, period_id=w.period)


def test_visit_window_counts_down_and_knows_when_it_is_on_or_over(world):
    p = _period(world)
    assert visit_window(p).state == "belum_diatur"
    days = dt.timedelta
    with_window = p.model_copy(update={"visit_from": TODAY + days(days=10), "visit_to": TODAY + days(days=40)})
    assert (visit_window(with_window).state, visit_window(with_window).days_until) == ("akan_datang", 10)
    assert visit_window(with_window, TODAY + dt.timedelta(days=10)).state == "berlangsung"
    assert visit_window(with_window, TODAY + dt.timedelta(days=41)).state == "selesai"


def test_add_months_keeps_the_end_of_the_month():
    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2024, 11, 15), 12) == dt.date(2025, 11, 15)


def test_unit_readiness_counts_what_is_open_and_follows_the_fixes(world):
    r = readiness.unit_readiness(world.con, world.head, period_id=world.period, unit_id=world.unit)
    assert set(r.unanswered) == {"IN-01", "IN-02", "PR-01", "OU-01"} and not r.ready
    record_answer(world.con, world.head, assessment_id=world.assessment, indicator_id="IN-02", value=3)
    r = readiness.unit_readiness(world.con, world.head, period_id=world.period, unit_id=world.unit)
    assert "IN-02" not in r.unanswered and r.missing_evidence == ("IN-02",)
    # a decree-like file valid 12 months (mini criteria: IN-02 valid_months 12), dated 13 months ago
    old = attach_evidence(world.con, world.blobs, world.head, assessment_id=world.assessment, indicator_id="IN-02",
                          data=sample_png(), file_name="ramp-2023.png",
                          effective_date=add_months(TODAY, -13))  # fmt: skip
    r = readiness.unit_readiness(world.con, world.head, period_id=world.period, unit_id=world.unit)
    assert r.missing_evidence == () and [e.file_name for e in r.expired_evidence] == ["ramp-2023.png"]
    assert r.expired_evidence[0].sha256 == old.sha256
    attach_evidence(world.con, world.blobs, world.head, assessment_id=world.assessment, indicator_id="IN-02",
                    data=sample_png(rgb=(9, 9, 9)), file_name="ramp-baru.png", effective_date=TODAY)  # fmt: skip
    r = readiness.unit_readiness(world.con, world.head, period_id=world.period, unit_id=world.unit)
    assert r.expired_evidence == ()
    assert r.as_dict()["bukti_kedaluwarsa"] == [] and r.as_dict()["unit"] == "U1"


def test_evidence_is_judged_on_the_day_the_visit_window_opens(world):
    record_answer(world.con, world.head, assessment_id=world.assessment, indicator_id="IN-02", value=3)
    attach_evidence(world.con, world.blobs, world.head, assessment_id=world.assessment, indicator_id="IN-02",
                    data=sample_png(), file_name="ramp.png", effective_date=add_months(TODAY, -11))  # fmt: skip
    r = readiness.unit_readiness(world.con, world.head, period_id=world.period, unit_id=world.unit)
    assert r.expired_evidence == ()
    with transaction(world.con):
        periods.set_dates(world.con, period_id=world.period, opens=None, closes=TODAY + dt.timedelta(days=90),
                          visit_from=TODAY + dt.timedelta(days=60), visit_to=TODAY + dt.timedelta(days=80))  # fmt: skip
    r = readiness.unit_readiness(world.con, world.head, period_id=world.period, unit_id=world.unit)
    assert [e.file_name for e in r.expired_evidence] == ["ramp.png"] and r.window.days_until == 60


def test_region_board_matches_the_unit_view_and_respects_scope(world):
    record_answer(world.con, world.head, assessment_id=world.assessment, indicator_id="IN-02", value=3)
    actions.create_action(world.con, world.head, period_id=world.period, unit_id=world.unit, title="Foto ramp",
                          indicators=["IN-02"], owner="Pak Budi", due_date=TODAY + dt.timedelta(days=3))  # fmt: skip
    board = readiness.region_readiness(world.con, world.admin, period_id=world.period)
    by_code = {u.unit_code: u for u in board.units}
    single = readiness.unit_readiness(world.con, world.admin, period_id=world.period, unit_id=world.unit)
    assert by_code["U1"].unanswered == single.unanswered and by_code["U1"].missing_evidence == ("IN-02",)
    assert by_code["U1"].open_actions == 1 and by_code["U2"].status == "belum_mulai"
    with pytest.raises(AccessDenied):
        readiness.region_readiness(world.con, world.head, period_id=world.period)
    with pytest.raises(AccessDenied):
        readiness.unit_readiness(world.con, world.other_head, period_id=world.period, unit_id=world.unit)


def test_visit_dossier_lists_answers_evidence_hashes_and_open_actions(world):
    record_answer(world.con, world.head, assessment_id=world.assessment, indicator_id="IN-02", value=3)
    rec = attach_evidence(world.con, world.blobs, world.head, assessment_id=world.assessment, indicator_id="IN-02",
                          data=sample_png(), file_name="ramp.png", effective_date=TODAY)  # fmt: skip
    actions.create_action(world.con, world.head, period_id=world.period, unit_id=world.unit, title="Sosialisasi SP",
                          owner="Pak Budi", due_date=TODAY + dt.timedelta(days=3))  # fmt: skip
    data = exports.dossier_pdf(world.con, world.head, period_id=world.period, unit_id=world.unit)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    compact = text.replace("\n", "").replace(" ", "")
    assert "Berkas kunjungan" in text and "ramp.png" in text and "Sosialisasi SP" in text
    assert rec.sha256 in compact and "Ada" in text
    with pytest.raises(AccessDenied):
        exports.dossier_pdf(world.con, world.other_head, period_id=world.period, unit_id=world.unit)


def test_action_exports_mark_overdue_rows_and_keep_typed_formulas_as_text(world):
    from openpyxl import load_workbook

    actions.create_action(world.con, world.head, period_id=world.period, unit_id=world.unit,
                          title="=HYPERLINK(\"http://x\")", owner="@budi", due_date=TODAY)  # fmt: skip
    data = exports.actions_xlsx(world.con, world.head, period_id=world.period, unit_id=world.unit)
    ws = load_workbook(io.BytesIO(data)).active
    values = [c.value for c in ws[4]]
    assert values[1] == '=HYPERLINK("http://x")' and ws.cell(4, 2).data_type == "s" and values[4] == "@budi"
    pdf = exports.actions_pdf(world.con, world.admin, period_id=world.period)
    assert "HYPERLINK" in "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def _unit_answers(w, actor, assessment_id, in01: int, in02: int, pr: int, ou: int) -> None:
    record_tally(w.con, actor, assessment_id=assessment_id, indicator_id="IN-01", counts={in01: 4})
    record_answer(w.con, actor, assessment_id=assessment_id, indicator_id="IN-02", value=in02)
    for code in ("A", "B"):
        record_answer(w.con, actor, assessment_id=assessment_id, indicator_id="PR-01", subject=f"product:{code}",
                      value=pr)  # fmt: skip
    record_tally(w.con, actor, assessment_id=assessment_id, indicator_id="OU-01", counts={ou: 30})


def test_simulator_finds_per_unit_options_and_the_fewest_actions_across_units(world):
    from services.answering.assessing import open_assessment

    # U1: IN-01 full (20), IN-02 0, PR-01 full (35), OU-01 full (25) -> 80
    _unit_answers(world, world.head, world.assessment, 3, 0, 2, 2)
    other = open_assessment(world.con, world.other_head, period_id=world.period, unit_id=world.other_unit)
    # U2: IN-01 0, IN-02 3 (20), PR-01 full (35), OU-01 half (12.5) -> 67.5
    _unit_answers(world, world.other_head, other.assessment.id, 0, 3, 2, 1)
    sim = simulate(world.con, world.admin, period_id=world.period)
    assert (sim.units_assessed, sim.mean, sim.band.code, sim.target.code, sim.gap) == (2, 73.75, "C", "B", 4.25)
    # 8.5 points in all are missing; one 20-point step of either unit gets the region there
    assert [(o.unit_code, o.needed_points, [s.indicator for s in o.steps]) for o in sim.per_unit] == [
        ("U2", 8.5, ["IN-01"]), ("U1", 8.5, ["IN-02"])
    ]
    assert len(sim.cheapest) == 1 and sim.cheapest[0].points == 20.0 and sim.cheapest[0].region_gain == 10.0
    assert sim.reachable
    with pytest.raises(AccessDenied):
        simulate(world.con, world.head, period_id=world.period)

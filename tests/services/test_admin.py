"""services.admin.setup and services.admin.periods: hierarchy rules, products guarded by answers, periods pinning
a criteria text, reopening with a reason — every change audited with old → new."""

from __future__ import annotations

import datetime as dt

import pytest

from assessment.errors import KepatuhanError
from services.access import AccessDenied
from services.admin import periods as period_admin
from services.admin import setup as admin
from services.admin.setup import AdminError
from services.answering.assessing import record_answer
from services.answering.results import submit
from services.catalog import criteria_files
from store import assessments, audit, criteria_sets, periods, units


def last_event(w, event: str):
    return next(e for e in audit.events(w.con, limit=50) if e.event == event)


# ---- units and hierarchy -----------------------------------------------------------------------


def test_add_opd_and_unit_under_it_with_normalised_codes(world):
    w = world
    opd = admin.add_unit(w.con, w.admin, kind="opd", code=" dinkes ", name="  Dinas   Kesehatan ", parent_code="kab-x")
    unit = admin.add_unit(
        w.con, w.admin, kind="unit", code="PKM-1", name="Puskesmas Satu", parent_code="DINKES", unit_type="puskesmas"
    )
    assert units.get_unit(w.con, unit_id=opd).code == "DINKES"
    assert units.get_unit(w.con, unit_id=opd).name == "Dinas Kesehatan"
    row = units.get_unit(w.con, unit_id=unit)
    assert (row.parent_id, row.unit_type, row.kind) == (opd, "puskesmas", "unit")
    event = last_event(w, "unit.created")
    assert event.actor == "admin" and event.payload["code"] == "PKM-1" and event.payload["new"] == "Puskesmas Satu"
    assert event.payload["old"] is None and event.payload["parent"] == "DINKES"


def test_tree_lists_parents_before_children(world):
    w = world
    admin.add_unit(w.con, w.admin, kind="opd", code="DINSOS", name="Dinas Sosial", parent_code="KAB-X")
    admin.add_unit(w.con, w.admin, kind="unit", code="SLRT", name="SLRT", parent_code="DINSOS")
    tree = admin.unit_tree(w.con, w.admin)
    order = [n.unit.code for n in tree]
    assert order[0] == "KAB-X" and order.index("DINSOS") < order.index("SLRT")
    depth = {n.unit.code: n.depth for n in tree}
    assert depth == {"KAB-X": 0, "DINSOS": 1, "SLRT": 2, "U1": 1, "U2": 1}
    assert next(n for n in tree if n.unit.code == "U1").products == 2


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"kind": "opd", "code": "X1", "name": "x"}, "harus punya induk"),
        ({"kind": "unit", "code": "X1", "name": "x"}, "harus punya induk"),
        ({"kind": "pemda", "code": "X1", "name": "x", "parent_code": "KAB-X"}, "tidak punya induk"),
        ({"kind": "opd", "code": "X1", "name": "x", "parent_code": "U1"}, "induk harus lebih tinggi"),
        ({"kind": "unit", "code": "X1", "name": "x", "parent_code": "U1"}, "induk harus lebih tinggi"),
        ({"kind": "unit", "code": "X1", "name": "x", "parent_code": "NOPE"}, "tidak ditemukan"),
        ({"kind": "kantor", "code": "X1", "name": "x", "parent_code": "KAB-X"}, "tidak dikenal"),
        ({"kind": "unit", "code": "U1", "name": "x", "parent_code": "KAB-X"}, "sudah dipakai"),
        ({"kind": "unit", "code": "u 1", "name": "x", "parent_code": "KAB-X"}, "tidak valid"),
        ({"kind": "unit", "code": "", "name": "x", "parent_code": "KAB-X"}, "kosong"),
        ({"kind": "unit", "code": "X1", "name": "  ", "parent_code": "KAB-X"}, "wajib diisi"),
    ],
)
def test_bad_units_are_refused_and_nothing_is_written(world, kwargs, message):
    w = world
    before = w.con.execute("SELECT count(*) FROM org_units").fetchone()[0]
    events = len(audit.events(w.con))
    with pytest.raises(KepatuhanError, match=message):
        admin.add_unit(w.con, w.admin, **kwargs)
    assert w.con.execute("SELECT count(*) FROM org_units").fetchone()[0] == before
    assert len(audit.events(w.con)) == events


def test_rename_unit_records_old_and_new(world):
    w = world
    admin.rename_unit(w.con, w.admin, code="U1", name="Unit Pertama", unit_type="slrt")
    assert units.unit_by_code(w.con, code="U1").name == "Unit Pertama"
    event = last_event(w, "unit.renamed")
    assert event.payload["old"] == {"name": "Unit Satu", "unit_type": None}
    assert event.payload["new"] == {"name": "Unit Pertama", "unit_type": "slrt"}


# ---- products ----------------------------------------------------------------------------------


def test_unanswered_product_can_be_added_renamed_and_removed(world):
    w = world
    admin.add_product(w.con, w.admin, unit_code="U1", code="c", name="Produk C")
    admin.rename_product(w.con, w.admin, unit_code="U1", code="C", name="Produk C baru")
    assert [p.name for p in admin.list_products(w.con, w.admin, unit_code="U1")][-1] == "Produk C baru"
    admin.remove_product(w.con, w.admin, unit_code="U1", code="C")
    assert [p.code for p in units.products(w.con, unit_id=w.unit)] == ["A", "B"]
    kinds = [e.event for e in audit.events(w.con, limit=3)]
    assert kinds == ["product.removed", "product.renamed", "product.created"]
    assert last_event(w, "product.renamed").payload == {
        "unit": "U1", "product": "C", "old": "Produk C", "new": "Produk C baru",
    }  # fmt: skip


def test_answered_product_cannot_be_renamed_or_removed(world):
    w = world
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="PR-01", subject="product:A", value=2)
    with pytest.raises(AdminError, match="sudah dijawab"):
        admin.rename_product(w.con, w.admin, unit_code="U1", code="A", name="Lain")
    with pytest.raises(AdminError, match="sudah dijawab"):
        admin.remove_product(w.con, w.admin, unit_code="U1", code="A")
    admin.remove_product(w.con, w.admin, unit_code="U1", code="B")  # B has no answers
    assert [p.code for p in units.products(w.con, unit_id=w.unit)] == ["A"]


def test_product_cannot_join_a_submitted_assessment(world):
    w = world
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=3)
    submit(w.con, w.head, assessment_id=w.assessment)
    with pytest.raises(AdminError, match="sudah dikirim"):
        admin.add_product(w.con, w.admin, unit_code="U1", code="C", name="Produk C")
    admin.add_product(w.con, w.admin, unit_code="U2", code="Z", name="Z")  # another unit is not affected
    with pytest.raises(AdminError, match="sudah ada"):
        admin.add_product(w.con, w.admin, unit_code="U2", code="z", name="Z lagi")
    with pytest.raises(AdminError, match="hanya untuk unit layanan"):
        admin.add_product(w.con, w.admin, unit_code="KAB-X", code="Q", name="Q")


# ---- periods -----------------------------------------------------------------------------------


def test_period_pins_the_exact_text_of_the_chosen_criteria_file(world):
    w = world
    path = next(p for p in criteria_files() if p.name == "ombudsman-2023.yaml")
    pid = period_admin.add_period(
        w.con, w.admin, name="Penilaian 2030", year=2030, criteria_file=path.name,
        opens=dt.date(2030, 1, 2), closes=dt.date(2030, 12, 31),
        visit_from=dt.date(2030, 7, 1), visit_to=dt.date(2030, 10, 31),
    )  # fmt: skip
    period = periods.get_period(w.con, period_id=pid)
    pinned = criteria_sets.get(w.con, sha256=period.criteria_sha256)
    assert pinned.yaml == path.read_text(encoding="utf-8-sig") and period.status == "open"
    event = last_event(w, "period.created")
    assert event.payload["new"]["sha256"] == period.criteria_sha256 and event.payload["new"]["criteria"] == path.name
    labels = [line.criteria_label for line in period_admin.period_lines(w.con, w.admin) if line.period.id == pid]
    assert labels[0].startswith("ombudsman-2023 versi") and period.criteria_sha256[:12] in labels[0]
    assert any(c.file_name == path.name for c in period_admin.criteria_choices(w.admin))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"name": " "}, "Nama periode wajib"),
        ({"year": 1990}, "antara 2000 dan 2100"),
        ({"opens": dt.date(2030, 6, 1), "closes": dt.date(2030, 5, 1)}, "sebelum atau sama"),
        ({"opens": None}, "tanggal dibuka"),
        ({"visit_from": dt.date(2030, 7, 1)}, "isi kedua tanggalnya"),
        ({"visit_from": dt.date(2031, 7, 1), "visit_to": dt.date(2031, 8, 1)}, "di dalam tahun 2030"),
        ({"visit_from": dt.date(2030, 9, 1), "visit_to": dt.date(2030, 8, 1)}, "sebelum akhirnya"),
        ({"criteria_file": "../../etc/passwd"}, "tidak ada di folder criteria"),
        ({"name": "Penilaian lama"}, "sudah ada"),
    ],
)
def test_bad_periods_are_refused(world, changes, message):
    w = world
    args = {
        "name": "Penilaian 2030", "year": 2030, "criteria_file": "ombudsman-2023.yaml",
        "opens": dt.date(2030, 1, 2), "closes": dt.date(2030, 12, 31), "visit_from": None, "visit_to": None,
    }  # fmt: skip
    args.update(changes)
    before = len(periods.list_periods(w.con))
    with pytest.raises(AdminError, match=message):
        period_admin.add_period(w.con, w.admin, **args)
    assert len(periods.list_periods(w.con)) == before


def test_closing_and_opening_a_period(world):
    w = world
    period_admin.set_period_status(w.con, w.admin, period_id=w.period, status="closed")
    assert periods.get_period(w.con, period_id=w.period).status == "closed"
    with pytest.raises(KepatuhanError, match="ditutup"):
        record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=3)
    period_admin.set_period_status(w.con, w.admin, period_id=w.period, status="open")
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=3)
    events = [e for e in audit.events(w.con) if e.event == "period.status"]
    assert [(e.payload["old"], e.payload["new"]) for e in events] == [("closed", "open"), ("open", "closed")]
    with pytest.raises(AdminError):
        period_admin.set_period_status(w.con, w.admin, period_id=w.period, status="archived")


# ---- reopening ---------------------------------------------------------------------------------


def test_reopen_needs_a_reason_and_gives_the_assessment_back(world):
    w = world
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=3)
    submit(w.con, w.head, assessment_id=w.assessment)
    assert [a.id for a in admin.reopenable(w.con, w.admin)] == [w.assessment]
    with pytest.raises(KepatuhanError, match="alasan"):
        admin.reopen_assessment(w.con, w.admin, assessment_id=w.assessment, reason="  ")
    admin.reopen_assessment(w.con, w.admin, assessment_id=w.assessment, reason="Bukti ramp salah unggah")
    assert assessments.get(w.con, assessment_id=w.assessment).status == "reopened"
    event = last_event(w, "assessment.reopened")
    assert (event.payload["old"], event.payload["new"]) == ("submitted", "reopened")
    assert event.payload["reason"] == "Bukti ramp salah unggah" and event.assessment_id == w.assessment
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=0)  # editable again
    with pytest.raises(KepatuhanError):
        admin.reopen_assessment(w.con, w.admin, assessment_id=w.assessment, reason="sekali lagi dibuka")


def test_reopen_refused_while_the_period_is_closed(world):
    w = world
    record_answer(w.con, w.head, assessment_id=w.assessment, indicator_id="IN-02", value=3)
    submit(w.con, w.head, assessment_id=w.assessment)
    period_admin.set_period_status(w.con, w.admin, period_id=w.period, status="closed")
    with pytest.raises(AdminError, match="Buka periodenya dulu"):
        admin.reopen_assessment(w.con, w.admin, assessment_id=w.assessment, reason="Bukti ramp salah unggah")
    assert assessments.get(w.con, assessment_id=w.assessment).status == "submitted"


def test_every_admin_function_refuses_non_admins(world):
    w = world
    calls = [
        lambda a: admin.unit_tree(w.con, a),
        lambda a: admin.add_unit(w.con, a, kind="opd", code="X", name="X", parent_code="KAB-X"),
        lambda a: admin.rename_unit(w.con, a, code="U1", name="X"),
        lambda a: admin.list_products(w.con, a, unit_code="U1"),
        lambda a: admin.add_product(w.con, a, unit_code="U1", code="C", name="C"),
        lambda a: admin.rename_product(w.con, a, unit_code="U1", code="A", name="C"),
        lambda a: admin.remove_product(w.con, a, unit_code="U1", code="A"),
        lambda a: admin.reopenable(w.con, a),
        lambda a: admin.reopen_assessment(w.con, a, assessment_id=w.assessment, reason="alasan yang cukup"),
        lambda a: admin.user_lines(w.con, a),
        lambda a: period_admin.criteria_choices(a),
        lambda a: period_admin.list_periods(w.con, a),
        lambda a: period_admin.period_lines(w.con, a),
        lambda a: period_admin.add_period(
            w.con,
            a,
            name="P",
            year=2030,
            criteria_file="ombudsman-2023.yaml",
            opens=dt.date(2030, 1, 1),
            closes=dt.date(2030, 2, 1),
        ),  # fmt: skip
        lambda a: period_admin.set_period_status(w.con, a, period_id=w.period, status="closed"),
    ]
    for actor in (w.head, w.viewer, w.other_head):
        for call in calls:
            with pytest.raises(AccessDenied):
                call(actor)

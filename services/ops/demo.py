"""Demo data: a sample kabupaten with the units the Ombudsman visits, spread over the zones.

Answers are generated deterministically from a target level per unit and dimension, so the
demo looks the same on every machine and its units land in different zones.
"""

from __future__ import annotations

import datetime as dt
import random
import struct
import zlib
from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from assessment import Criteria, Indicator
from assessment.subject import UNIT, Subject
from evidence import EvidenceStore, inspect
from services.audit_events import DemoSeeded
from services.catalog import CRITERIA_DIR, DEFAULT_CRITERIA, criteria_for, register_file
from store import assessments, audit, evidence_records, periods, settings, units
from store.db import transaction

DEMO_FLAG = "demo_seeded"
REGION_CODE = "KAB-SUKAMAJU"
REGION_NAME = "Kabupaten Sukamaju (DEMO)"


@dataclass(frozen=True)
class DemoUnit:
    opd_code: str
    opd_name: str
    code: str
    name: str
    unit_type: str
    products: tuple[tuple[str, str], ...]
    level: float  # target share of the maximum, 0..1, before per-dimension shifts
    shifts: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)


DEMO_UNITS: tuple[DemoUnit, ...] = (
    DemoUnit(
        "OPD-DINSOS",
        "Dinas Sosial",
        "DINSOS-SLRT",
        "Dinas Sosial — Layanan SLRT",
        "dinas_sosial",
        (
            ("PBI-JK", "Rekomendasi PBI-JK"),
            ("SKTM", "Surat Keterangan Tidak Mampu"),
            ("ODGJ", "Rujukan ODGJ terlantar"),
        ),
        0.66,
        (-0.1, 0.05, 0.15, -0.1),
    ),
    DemoUnit(
        "OPD-DUKCAPIL",
        "Dinas Kependudukan dan Pencatatan Sipil",
        "DUKCAPIL",
        "Disdukcapil — Pelayanan Dokumen",
        "disdukcapil",
        (("KTP-EL", "KTP elektronik"), ("KK", "Kartu Keluarga"), ("AKTA-LAHIR", "Akta Kelahiran")),
        0.93,
    ),
    DemoUnit(
        "OPD-DPMPTSP",
        "Dinas Penanaman Modal dan PTSP",
        "DPMPTSP",
        "DPMPTSP — Mal Pelayanan Publik",
        "dpmptsp",
        (("PBG", "Persetujuan Bangunan Gedung"), ("SIP", "Surat Izin Praktik tenaga kesehatan")),
        0.83,
        (0.0, 0.05, -0.05, -0.05),
    ),
    DemoUnit(
        "OPD-DISDIK",
        "Dinas Pendidikan",
        "DISDIK",
        "Dinas Pendidikan — Layanan Administrasi",
        "dinas_pendidikan",
        (("LEGALISIR", "Legalisir ijazah"), ("MUTASI", "Surat mutasi siswa")),
        0.45,
        (-0.15, -0.1, 0.25, -0.1),
    ),
    DemoUnit(
        "OPD-DINKES",
        "Dinas Kesehatan",
        "DINKES",
        "Dinas Kesehatan — Layanan Perizinan",
        "dinas_kesehatan",
        (("SLHS", "Sertifikat Laik Higiene Sanitasi"), ("PIRT", "Sertifikat Produksi Pangan IRT")),
        0.72,
    ),
    DemoUnit(
        "OPD-DINKES",
        "Dinas Kesehatan",
        "PKM-SUKAMAJU",
        "UPT Puskesmas Sukamaju",
        "puskesmas",
        (("RAJAL", "Pelayanan rawat jalan umum"), ("KIA", "Pelayanan kesehatan ibu dan anak")),
        0.6,
        (-0.05, -0.1, 0.2, 0.0),
    ),
    DemoUnit(
        "OPD-DINKES",
        "Dinas Kesehatan",
        "PKM-KARANGANYAR",
        "UPT Puskesmas Karanganyar",
        "puskesmas",
        (("RAJAL", "Pelayanan rawat jalan umum"), ("IMUN", "Imunisasi")),
        0.27,
        (-0.05, -0.1, 0.3, -0.1),
    ),
)


def is_seeded(con: duckdb.DuckDBPyConnection) -> bool:
    return settings.get(con, key=DEMO_FLAG) == "1"


def seed_demo(con: duckdb.DuckDBPyConnection, blobs: EvidenceStore, *, today: dt.date | None = None) -> bool:
    """Seed the demo kabupaten once; return False if it was already there."""
    if is_seeded(con):
        return False
    today = today or dt.date.today()
    sha = register_file(con, CRITERIA_DIR / DEFAULT_CRITERIA)
    criteria = criteria_for(con, sha)
    board_png = sample_png()
    blob_sha = blobs.put(board_png)
    intake = inspect(board_png, "papan-standar-pelayanan.png")
    stamp = dt.datetime.combine(today, dt.time(8, 0))
    with transaction(con):
        region = units.add_unit(con, kind="pemda", code=REGION_CODE, name=REGION_NAME, is_demo=True)
        last_year = periods.add_period(
            con,
            name=f"Penilaian {today.year - 1}",
            year=today.year - 1,
            criteria_sha256=sha,
            opens=dt.date(today.year - 1, 1, 2),
            closes=dt.date(today.year - 1, 12, 31),
            visit_from=dt.date(today.year - 1, 7, 1),
            visit_to=dt.date(today.year - 1, 10, 31),
            status="closed",
        )
        this_year = periods.add_period(
            con,
            name=f"Penilaian {today.year}",
            year=today.year,
            criteria_sha256=sha,
            opens=dt.date(today.year, 1, 2),
            closes=dt.date(today.year, 12, 31),
            visit_from=dt.date(today.year, 7, 1),
            visit_to=dt.date(today.year, 10, 31),
        )
        opd_ids: dict[str, int] = {}
        for n, demo in enumerate(DEMO_UNITS):
            if demo.opd_code not in opd_ids:
                opd_ids[demo.opd_code] = units.add_unit(
                    con, kind="opd", code=demo.opd_code, name=demo.opd_name, parent_id=region, is_demo=True
                )
            unit_id = units.add_unit(
                con,
                kind="unit",
                code=demo.code,
                name=demo.name,
                parent_id=opd_ids[demo.opd_code],
                unit_type=demo.unit_type,
                is_demo=True,
            )
            for code, name in demo.products:
                units.add_product(con, unit_id=unit_id, code=code, name=name)
            product_codes = [c for c, _ in demo.products]
            # last year: every unit a little weaker, and submitted
            past = assessments.get_or_create(con, period_id=last_year, unit_id=unit_id)
            demo_rng = random.Random(n)  # noqa: S311 - deterministic demo data, not security
            _answer_all(con, criteria, past.id, demo, product_codes, demo_rng, -0.08, stamp)
            assessments.pin_products(con, assessment_id=past.id, codes=product_codes)
            assessments.set_status(
                con, assessment_id=past.id, status="submitted", snapshot_sha256=None, submitted_by="demo", at=stamp
            )
            # this year: drafts, the first unit (Dinas Sosial) left partly unanswered to show progress
            current = assessments.get_or_create(con, period_id=this_year, unit_id=unit_id)
            _answer_all(
                con,
                criteria,
                current.id,
                demo,
                product_codes,
                random.Random(100 + n),  # noqa: S311 - deterministic demo data
                0.0,
                stamp,
                leave_unanswered=0.25 if n == 0 else 0.0,
            )
            if demo.level > 0.5:
                first = criteria.dimensions[1].indicators[0]
                evidence_records.add(
                    con,
                    assessment_id=current.id,
                    indicator_id=first.id,
                    sha256=blob_sha,
                    file_name=intake.safe_name,
                    media_type=intake.media_type,
                    size=intake.size,
                    effective_date=today.replace(day=1),
                    description="Foto papan standar pelayanan di ruang tunggu (contoh demo)",
                    actor="demo",
                    at=stamp,
                )
        settings.put(con, key=DEMO_FLAG, value="1")
        audit.append(con, actor="sistem", event=DemoSeeded(region=REGION_NAME), at=stamp)
    return True


def _answer_all(
    con: duckdb.DuckDBPyConnection,
    criteria: Criteria,
    assessment_id: int,
    demo: DemoUnit,
    product_codes: list[str],
    rng: random.Random,
    offset: float,
    at: dt.datetime,
    leave_unanswered: float = 0.0,
) -> None:
    rows: list[tuple] = []
    for d_index, dim in enumerate(criteria.dimensions):
        target = demo.level + offset + (demo.shifts[d_index] if d_index < len(demo.shifts) else 0.0)
        for ind in dim.indicators:
            if leave_unanswered and rng.random() < leave_unanswered:
                continue
            if ind.subject.kind == "unit":
                subjects = [UNIT]
            elif ind.subject.kind == "product":
                subjects = [str(Subject.product(c)) for c in product_codes]
            else:
                subjects = [str(Subject.respondent(i)) for i in range(1, (ind.subject.expected or 1) + 1)]
            if ind.subject.kind == "respondent" and (ind.subject.expected or 0) > 10:
                counts: dict[float, int] = {}
                for _ in subjects:
                    value = _level(ind, target, rng)
                    counts[value] = counts.get(value, 0) + 1
                for value, count in counts.items():
                    rows.append((assessment_id, ind.id, str(Subject.tally(value)), value, count, "demo", at))
                continue
            for subject in subjects:
                rows.append((assessment_id, ind.id, subject, _level(ind, target, rng), 1, "demo", at))
    assessments.insert_answers(con, rows)


def _level(ind: Indicator, target: float, rng: random.Random) -> float:
    values = sorted(o.value for o in ind.options)
    position = max(0.0, min(1.0, target + rng.gauss(0, 0.18))) * (len(values) - 1)
    return values[int(round(position))]


def sample_png(
    width: int = 48,
    height: int = 32,
    rgb: tuple[int, int, int] = (30, 127, 55),
    pixel: Callable[[int, int], tuple[int, int, int]] | None = None,
) -> bytes:
    """A small real PNG made with the standard library: one colour, or pixel(x, y) per pixel.

    The demo's sample evidence (a green sign board) and the tests' uploads both use it.
    """
    colour = pixel or (lambda x, y: rgb)
    rows = b"".join(b"\x00" + b"".join(bytes(colour(x, y)) for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")

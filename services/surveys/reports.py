"""SKM reports in the shape units publish: per unit PDF and Excel, the region league table, anonymised CSV.

The per-unit report holds the results per element, the IKM and its quality category, the sample against the
minimum, the respondent profile, suggestions and a follow-up plan that starts from the weakest elements.
Text typed by respondents goes to spreadsheets as text, never as a formula.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import duckdb

from assessment.skm import category, skm_result
from services.access import Actor, require_read
from services.exchange.pdf_doc import Document
from services.exchange.safe_cells import append_row, csv_bytes
from services.exchange.sheets import BOLD, NUMBER, TITLE_FONT, cell, new_workbook, table_sheet, to_bytes
from services.surveys.definitions import pinned_survey
from services.surveys.errors import SurveyAdminError
from services.surveys.results import UnitResults, unit_results
from store import periods, units
from store import surveys as store

CATEGORY_RGB = {"A": (198, 239, 206), "B": (221, 235, 247), "C": (255, 235, 156), "D": (255, 199, 206)}


def _fmt(value: Decimal | None, places: int = 2) -> str:
    return "—" if value is None else f"{value:.{places}f}".replace(".", ",")


def element_rows(res: UnitResults) -> list[list[str]]:
    rows = []
    for e in res.result.elements:
        converted = e.nrr * 25
        rows.append(
            [
                e.element,
                e.title,
                str(e.answered),
                _fmt(e.nrr, 3),
                _fmt(converted),
                category(converted)[0] if e.answered else "—",
            ]
        )
    return rows


def follow_up(res: UnitResults, count: int = 3) -> list[list[str]]:
    """The weakest elements first: what the unit's follow-up plan (rencana tindak lanjut) starts from."""
    answered = [e for e in res.result.elements if e.answered]
    weakest = sorted(answered, key=lambda e: e.nrr)[:count]
    return [[e.element, e.title, _fmt(e.nrr, 3), "", "", ""] for e in weakest]


def profile_rows(res: UnitResults) -> list[list[str]]:
    rows = []
    for b in res.breakdowns:
        total = sum(r.n for _, r in b.groups) or 1
        for name, r in b.groups:
            rows.append([b.title, name, str(r.n), f"{100 * r.n / total:.1f}".replace(".", ","), _fmt(r.ikm)])
    return rows


def skm_report_pdf(
    con: duckdb.DuckDBPyConnection, actor: Actor, *, period_id: int, unit_id: int, survey_id: str = "skm-2017"
) -> bytes:
    res = unit_results(con, actor, period_id=period_id, unit_id=unit_id, survey_id=survey_id)
    r = res.result
    doc = Document(f"Laporan {res.survey.title.id} — {res.unit.name}", f"{res.unit.name} · {res.period.name}")
    doc.heading(f"Laporan {res.survey.title.id}", 16)
    doc.key_values(
        [
            ("Unit layanan", res.unit.name),
            ("Periode", res.period.name),
            ("Dasar", "PermenPANRB 14/2017 (IKM = Σ NRR × 0,111 × 25)"),
            (
                "Responden",
                f"{r.n}"
                + (
                    f" dari sampel minimum {r.min_sample} (populasi {r.population})"
                    if r.min_sample
                    else " (populasi belum diisi)"
                ),
            ),
        ]
    )
    if res.sample_warning:
        doc.para(f"Perhatian: {res.sample_warning}", bold=True)
    fill = CATEGORY_RGB.get(r.category or "")
    doc.score_boxes(
        [
            ("IKM", _fmt(r.ikm), None),
            ("Mutu pelayanan", r.category or "—", fill),
            ("Kinerja unit", r.category_label or "—", fill),
        ]
    )
    doc.heading("Nilai per unsur", 12)
    doc.grid(
        ["Unsur", "Nama unsur", "n", "NRR", "NRR × 25", "Mutu"],
        element_rows(res),
        [14, 86, 14, 20, 22, 14],
        align=["LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "CENTER"],
    )
    if res.breakdowns:
        doc.heading("Profil responden dan rincian", 12)
        doc.grid(["Rincian", "Kelompok", "n", "%", "IKM"], profile_rows(res), [40, 70, 16, 18, 26])
    doc.heading("Saran responden", 12)
    suggestions = [s.text for s in res.suggestions if s.text] or ["(tidak ada saran)"]
    for text in suggestions[:200]:
        doc.para(f"• {text}", size=8.5)
    doc.heading("Rencana tindak lanjut", 12)
    doc.para("Dimulai dari unsur dengan NRR terendah; isi kegiatan, waktu dan penanggung jawab.", size=8.5)
    doc.grid(
        ["Unsur", "Nama unsur", "NRR", "Kegiatan", "Waktu", "Penanggung jawab"],
        follow_up(res),
        [14, 50, 16, 50, 22, 28],
    )
    return bytes(doc.output())


def skm_report_xlsx(
    con: duckdb.DuckDBPyConnection, actor: Actor, *, period_id: int, unit_id: int, survey_id: str = "skm-2017"
) -> bytes:
    res = unit_results(con, actor, period_id=period_id, unit_id=unit_id, survey_id=survey_id)
    r = res.result
    wb = new_workbook()
    summary = wb.create_sheet("Ringkasan")
    summary.column_dimensions["A"].width = 28
    summary.column_dimensions["B"].width = 60
    append_row(summary, [cell(summary, f"Laporan {res.survey.title.id}", font=TITLE_FONT)])
    for key, value in (
        ("Unit layanan", (res.unit.name)),
        ("Periode", (res.period.name)),
        ("Responden (n)", r.n),
        ("Populasi layanan", r.population),
        ("Sampel minimum", r.min_sample),
        ("IKM", float(r.ikm) if r.ikm is not None else None),
        ("Mutu pelayanan", r.category),
        ("Kinerja unit", r.category_label),
        ("Catatan", res.sample_warning or ""),
        ("Dasar", "PermenPANRB 14/2017: IKM = Σ NRR × 0,111 × 25"),
    ):
        append_row(summary, [cell(summary, key, font=BOLD), value])
    table_sheet(
        wb,
        "Per unsur",
        ["Unsur", "Nama unsur", "n", "NRR", "NRR × 25", "Mutu"],
        [10, 44, 8, 10, 12, 8],
        lambda ws: (
            [
                e.element,
                e.title,
                e.answered,
                cell(ws, float(e.nrr), number_format="0.000"),
                cell(ws, float(e.nrr * 25), number_format=NUMBER),
                category(e.nrr * 25)[0],
            ]
            for e in r.elements
        ),
    )
    table_sheet(
        wb,
        "Profil",
        ["Rincian", "Kelompok", "n", "%", "IKM"],
        [24, 36, 8, 8, 10],
        lambda ws: ([(v) for v in row] for row in profile_rows(res)),
    )
    table_sheet(
        wb,
        "Saran",
        ["No", "Tanggal", "Produk", "Saran"],
        [6, 12, 30, 90],
        lambda ws: (
            [n, s.at, (s.product or ""), cell(ws, (s.text), wrap=True)]
            for n, s in enumerate((s for s in res.suggestions if s.text), 1)
        ),
    )
    table_sheet(
        wb,
        "Tindak lanjut",
        ["Unsur", "Nama unsur", "NRR", "Kegiatan", "Waktu", "Penanggung jawab"],
        [10, 40, 10, 50, 14, 24],
        lambda ws: follow_up(res),
    )
    return to_bytes(wb)


@dataclass(frozen=True)
class LeagueRow:
    rank: int | None
    unit_code: str
    unit_name: str
    n: int
    min_sample: int | None
    ikm: Decimal | None
    category: str | None
    category_label: str | None


def league_table(
    con: duckdb.DuckDBPyConnection, actor: Actor, *, period_id: int, survey_id: str = "skm-2017"
) -> list[LeagueRow]:
    """Every unit the actor may read: IKM and category, best first; units without an IKM last, unranked."""
    survey = pinned_survey(con, period_id=period_id, survey_id=survey_id)
    if survey is None:
        raise SurveyAdminError(key="err.survey.not_pinned_link_first")
    by_unit: dict[int, list[dict[str, int]]] = {}
    for row in store.responses(con, period_id=period_id, survey_id=survey_id, status="accepted"):
        by_unit.setdefault(row.unit_id, []).append(row.answers)
    rows = []
    for unit in units.list_units(con, kind="unit"):
        if not actor.can_read_unit(unit.id):
            continue
        population = store.population_of(con, period_id=period_id, unit_id=unit.id, survey_id=survey_id)
        r = skm_result(survey, by_unit.get(unit.id, []), population)
        rows.append((unit, r))
    rows.sort(key=lambda ur: (ur[1].ikm is None, -(ur[1].ikm or 0), ur[0].name))
    return [
        LeagueRow(
            n if r.ikm is not None else None, u.code, u.name, r.n, r.min_sample, r.ikm, r.category, r.category_label
        )
        for n, (u, r) in enumerate(rows, 1)
    ]


def league_xlsx(con: duckdb.DuckDBPyConnection, actor: Actor, *, period_id: int, survey_id: str = "skm-2017") -> bytes:
    rows = league_table(con, actor, period_id=period_id, survey_id=survey_id)
    period = periods.get_period(con, period_id=period_id)
    wb = new_workbook()
    headers = ["Peringkat", "Kode unit", "Unit", "Responden", "Sampel minimum", "IKM", "Mutu", "Kinerja"]
    table_sheet(
        wb,
        "Peringkat SKM",
        headers,
        [10, 16, 44, 11, 14, 10, 8, 14],
        lambda ws: (
            [
                r.rank,
                r.unit_code,
                (r.unit_name),
                r.n,
                r.min_sample,
                cell(ws, float(r.ikm), number_format=NUMBER) if r.ikm is not None else None,
                r.category,
                r.category_label,
            ]
            for r in rows
        ),
        preamble=[[f"Peringkat IKM — {period.name if period else ''}"]],
    )
    return to_bytes(wb)


def responses_csv(
    con: duckdb.DuckDBPyConnection,
    actor: Actor,
    *,
    period_id: int,
    unit_id: int,
    survey_id: str = "skm-2017",
    lang: str = "id",
) -> bytes:
    """Raw answers without anything that identifies a person or device: no contact, device, network or time."""
    require_read(actor, unit_id)
    survey = pinned_survey(con, period_id=period_id, survey_id=survey_id)
    unit = units.get_unit(con, unit_id=unit_id)
    if survey is None or unit is None:
        raise SurveyAdminError(key="err.survey.not_pinned")
    header = [
        "no",
        "tanggal",
        "kode_unit",
        "produk",
        "saluran",
        "status",
        *[q.id for q in survey.questions],
        *[p.id for p in survey.profile],
        "saran",
    ]
    rows = store.responses(con, period_id=period_id, unit_id=unit_id, survey_id=survey_id)
    return csv_bytes(
        header,
        (
            [
                n,
                r.day.isoformat(),
                unit.code,
                r.product_code or "",
                r.channel,
                r.status,
                *[r.answers.get(q.id, "") for q in survey.questions],
                *[r.profile.get(p.id, "") for p in survey.profile],
                r.suggestion,
            ]
            for n, r in enumerate(rows, 1)
        ),
        lang=lang,
    )

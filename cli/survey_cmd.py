"""`kepatuhan survey`: the public link of a unit and its survey results, from the shell.

kepatuhan survey link --unit DINSOS-SLRT                 the open link (made for the latest period if none)
kepatuhan survey results --unit DINSOS-SLRT [--json]     n, NRR per element, IKM and category, latest period
"""

from __future__ import annotations

import argparse
import json

from assessment.errors import KepatuhanError
from cli.export_cmd import cli_actor, connect_data


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "survey",
        help="tautan publik dan hasil survei (SKM) satu unit",
        description="Tautan publik survei satu unit, dan hasil SKM menurut PermenPANRB 14/2017.",
    )
    sub = p.add_subparsers(dest="survey_command", metavar="PERINTAH", title="perintah")
    sub.required = True
    link = sub.add_parser(
        "link",
        help="cetak tautan publik survei unit",
        description="Cetak tautan publik (dan kode ketik) survei unit. Bila belum ada tautan "
        "terbuka, dibuat untuk periode terbuka terbaru.",
    )
    link.add_argument("--unit", required=True, metavar="KODE", help="kode unit, mis. DINSOS-SLRT")
    link.add_argument("--survey", default="skm-2017", metavar="ID", help="id survei (bawaan: skm-2017)")
    link.set_defaults(run=run_link)
    results = sub.add_parser(
        "results",
        help="cetak hasil survei unit (periode terbaru)",
        description="Cetak jumlah responden, NRR per unsur, IKM dan mutu pelayanan unit pada "
        "periode terbaru yang memakai survei itu.",
    )
    results.add_argument("--unit", required=True, metavar="KODE", help="kode unit, mis. DINSOS-SLRT")
    results.add_argument("--survey", default="skm-2017", metavar="ID", help="id survei (bawaan: skm-2017)")
    results.add_argument("--json", action="store_true", help="cetak sebagai JSON")
    results.set_defaults(run=run_results)


def validate_survey_file(name: str) -> int:
    """`kepatuhan validate criteria/surveys/x.yaml`: 0 when valid (prints OK), 1 with every problem on stderr."""
    import sys

    from assessment.survey_defs import load_survey

    try:
        survey = load_survey(name)
    except KepatuhanError as exc:
        from cli.main import error_text

        print(error_text(exc), file=sys.stderr)
        return 1
    print(f"OK {name} (survei {survey.id} {survey.version}: {survey.kind}, {len(survey.questions)} pertanyaan)")
    return 0


def run_link(args: argparse.Namespace) -> int:
    from services.surveys import links
    from store import periods, units

    con = connect_data()
    try:
        actor = cli_actor()
        found = links.latest_link(con, actor, unit_code=args.unit, survey_id=args.survey)
        made = False
        if found is None:
            unit = units.unit_by_code(con, code=args.unit)
            open_periods = [p for p in periods.list_periods(con) if p.status == "open"]
            if not open_periods:
                raise KepatuhanError(key="err.cli.no_open_period")
            latest = max(open_periods, key=lambda p: (p.year, p.id))
            found = links.create_link(con, actor, period_id=latest.id, unit_id=unit.id, survey_id=args.survey)
            made = True
    finally:
        con.close()
    print(links.public_url(found.code))
    print(f"Kode: {found.code}" + (" (tautan baru dibuat)" if made else ""))
    return 0


def run_results(args: argparse.Namespace) -> int:
    from services.surveys.results import unit_results
    from store import periods, units
    from store import surveys as store

    con = connect_data()
    try:
        actor = cli_actor()
        unit = units.unit_by_code(con, code=args.unit)
        if unit is None:
            raise KepatuhanError(key="err.cli.unit_missing", code=args.unit)
        candidates = [p for p in periods.list_periods(con) if args.survey in store.pinned(con, period_id=p.id)]
        if not candidates:
            raise KepatuhanError(key="err.cli.survey_unused", survey=args.survey, unit=args.unit)
        period = max(candidates, key=lambda p: (p.year, p.id))
        res = unit_results(con, actor, period_id=period.id, unit_id=unit.id, survey_id=args.survey)
    finally:
        con.close()
    r = res.result
    if args.json:
        print(
            json.dumps(
                {
                    "unit": unit.code,
                    "period": period.name,
                    "survey": args.survey,
                    "n": r.n,
                    "population": r.population,
                    "min_sample": r.min_sample,
                    "enough": r.enough,
                    "nrr": {e.element: float(e.nrr) for e in r.elements},
                    "ikm": float(r.ikm) if r.ikm is not None else None,
                    "category": r.category,
                    "category_label": r.category_label,
                    "held": res.held,
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(f"{res.survey.title.id} — {unit.name} ({unit.code}), {period.name}")
    print(f"Responden: {r.n}" + (f" / sampel minimum {r.min_sample}" if r.min_sample else ""))
    if res.sample_warning:
        print(f"Perhatian: {res.sample_warning}")
    for e in r.elements:
        nrr = f"NRR {e.nrr:.3f}".replace(".", ",") if e.answered else "—"
        print(f"  {e.element:<4} {e.title:<45} {nrr}")
    if r.ikm is None:
        print("IKM: belum dapat dihitung (belum ada jawaban untuk setiap unsur).")
    else:
        print(f"IKM: {r.ikm:.2f} — mutu {r.category} ({r.category_label})".replace(".", ","))
    if res.held:
        print(f"{res.held} jawaban ditahan menunggu keputusan admin (tidak dihitung).")
    return 0

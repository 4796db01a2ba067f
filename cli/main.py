"""`kepatuhan`: the command line. Every user error is one Indonesian message on stderr, never a traceback.

Exit codes: 0 ok, 1 a refused input or state (KepatuhanError), 2 wrong usage, 3 an unexpected fault.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from assessment import Criteria, KepatuhanError, Report, load_criteria, region_score, score
from assessment.answers_file import AnswersDocument, load_answers
from cli import export_cmd, user_cmd

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_UNEXPECTED = 0, 1, 2, 3

_ARGPARSE_MESSAGES = (
    ("the following arguments are required:", "argumen wajib belum diisi:"),
    ("unrecognized arguments:", "argumen tidak dikenal:"),
    ("invalid choice:", "pilihan tidak dikenal:"),
    ("choose from", "pilih dari"),
    ("expected one argument", "butuh satu nilai"),
    ("expected at least one argument", "butuh paling sedikit satu nilai"),
    ("ambiguous option:", "opsi ambigu:"),
    ("could match", "bisa berarti"),
    ("not allowed with argument", "tidak boleh dipakai bersama"),
)


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):  # noqa: ANN001 - argparse's signature
        super().add_usage(usage, actions, groups, prefix if prefix is not None else "pemakaian: ")


class _Parser(argparse.ArgumentParser):
    """argparse in Bahasa Indonesia: headings, -h and the common error messages."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumen"
        self._optionals.title = "opsi"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help="tampilkan bantuan ini")

    def error(self, message: str) -> NoReturn:
        for english, indonesian in _ARGPARSE_MESSAGES:
            message = message.replace(english, indonesian)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: kesalahan: {message}\nLihat '{self.prog} --help'.\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="kepatuhan",
        description="Kepatuhan — penilaian mandiri unit layanan publik terhadap kriteria Ombudsman RI.",
        epilog=(
            "Folder data: KEPATUHAN_DATA_DIR (bawaan ./data) berisi database dan berkas bukti.\n"
            "Contoh:\n"
            "  kepatuhan validate criteria/ombudsman-2023.yaml\n"
            "  kepatuhan score --criteria criteria/ombudsman-2023.yaml --answers examples/answers-unit.yaml\n"
            "  kepatuhan backup --out cadangan-2024-07-01.zip"
        ),
    )
    sub = parser.add_subparsers(dest="command", metavar="PERINTAH", title="perintah")
    sub.required = True

    p = sub.add_parser(
        "validate",
        help="periksa berkas kriteria (YAML)",
        description="Periksa satu atau lebih "
        "berkas kriteria; setiap masalah disebut dengan berkas, baris dan kolomnya.",
    )
    p.add_argument("files", nargs="+", metavar="BERKAS", help="berkas kriteria .yaml")
    p.set_defaults(run=cmd_validate)

    p = sub.add_parser(
        "score",
        help="hitung skor dari berkas jawaban",
        description="Hitung skor, kategori dan zona "
        "satu unit atau seluruh unit satu wilayah dari berkas jawaban (YAML atau JSON).",
    )
    p.add_argument(
        "--criteria",
        metavar="BERKAS",
        type=Path,
        default=None,
        help="berkas kriteria (bawaan: criteria/ombudsman-2023.yaml)",
    )
    p.add_argument(
        "--answers",
        metavar="BERKAS",
        type=Path,
        required=True,
        help="berkas jawaban satu unit ('unit:') atau satu wilayah ('region:')",
    )
    p.add_argument("--json", action="store_true", help="cetak hasil sebagai JSON (dengan rincian per indikator)")
    p.set_defaults(run=cmd_score)

    p = sub.add_parser(
        "demo",
        help="isi folder data dengan data contoh",
        description="Isi folder data dengan "
        "Kabupaten Sukamaju (DEMO): unit, produk layanan, periode dan jawaban contoh.",
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="tetap isi walaupun database sudah berisi unit sungguhan (data contoh diberi tanda DEMO)",
    )
    p.set_defaults(run=cmd_demo)

    p = sub.add_parser(
        "backup",
        help="cadangkan database dan berkas bukti ke satu arsip",
        description="Cadangkan "
        "database dan semua berkas bukti ke satu arsip .zip berisi manifest sha256. Tutup aplikasi "
        "dulu: hanya satu proses yang boleh memakai database.",
    )
    p.add_argument("--out", metavar="BERKAS", type=Path, required=True, help="arsip yang dibuat, mis. cadangan.zip")
    p.set_defaults(run=cmd_backup)

    p = sub.add_parser(
        "restore",
        help="pulihkan folder data dari arsip cadangan",
        description="Pulihkan database "
        "dan berkas bukti dari arsip cadangan. Semua isi arsip diperiksa dulu; arsip yang rusak "
        "atau diubah ditolak dan data lama tidak disentuh.",
    )
    p.add_argument("archive", metavar="ARSIP", type=Path, help="arsip cadangan .zip")
    p.add_argument("--force", action="store_true", help="ganti database yang sudah ada")
    p.set_defaults(run=cmd_restore)

    user_cmd.register(sub)
    export_cmd.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse: --help (0) or a usage error (2)
        return int(exc.code or 0) if isinstance(exc.code, int) else EXIT_USAGE
    try:
        return int(args.run(args) or 0)
    except KepatuhanError as exc:
        _err(str(exc))
        return EXIT_REFUSED
    except KeyboardInterrupt:
        _err("Dibatalkan.")
        return 130
    except BrokenPipeError:  # e.g. `kepatuhan score ... | head`: stop quietly, like other tools
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the one place unexpected faults are rendered
        if os.environ.get("KEPATUHAN_DEBUG") == "1":
            traceback.print_exc()
        _err(f"Kesalahan tak terduga: {type(exc).__name__}: {exc}. Jalankan dengan KEPATUHAN_DEBUG=1 untuk detail.")
        return EXIT_UNEXPECTED


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _out(text: str = "") -> None:
    print(text)


# ---- validate ----------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    bad = 0
    for name in args.files:
        try:
            criteria = load_criteria(name)
        except KepatuhanError as exc:
            bad += 1
            _err(str(exc))
            continue
        indicators = sum(len(d.indicators) for d in criteria.dimensions)
        _out(
            f"OK {name} ({criteria.id} {criteria.version}: {len(criteria.dimensions)} dimensi, {indicators} indikator)"
        )
    if bad:
        _err(f"{bad} dari {len(args.files)} berkas tidak valid.")
    return EXIT_REFUSED if bad else EXIT_OK


# ---- score -------------------------------------------------------------------------------------


def cmd_score(args: argparse.Namespace) -> int:
    criteria_path = args.criteria or _default_criteria()
    criteria = load_criteria(criteria_path)
    document = load_answers(args.answers, criteria)
    reports = [(u, score(criteria, u.answers, products=u.products or None)) for u in document.units]
    if args.json:
        _out(json.dumps(score_document(criteria, document, reports), indent=2, ensure_ascii=False))
    else:
        _out(score_table(criteria, document, reports))
    return EXIT_OK


def _default_criteria() -> Path:
    from services.catalog import CRITERIA_DIR, DEFAULT_CRITERIA

    return CRITERIA_DIR / DEFAULT_CRITERIA


def _band(criteria: Criteria, band: Any) -> dict[str, Any]:
    return {"code": band.code, "label": band.label, "zone": band.zone, "min": band.min, "max": band.max}


def score_document(criteria: Criteria, document: AnswersDocument, reports: list[tuple[Any, Report]]) -> dict:
    units = []
    for unit, report in reports:
        units.append(
            {
                "code": unit.code,
                "name": unit.name,
                "products": list(unit.products),
                "total": report.total,
                "category": _band(criteria, report.band),
                "label": report.label,
                "zone": report.band.zone,
                "complete": report.complete,
                "answered_indicators": report.answered,
                "scored_indicators": report.scored_indicators,
                "dimensions": [
                    {"id": d.id, "title": d.title, "score": d.score, "max": round(d.max, 4)} for d in report.dimensions
                ],
                "indicators": [
                    {
                        "id": r.id,
                        "dimension": r.dimension,
                        "status": r.status,
                        "max_points": round(r.max_points, 4),
                        "earned": round(r.earned, 4),
                        "lost": round(r.lost, 4),
                        "mean_value": None if r.mean_value is None else round(r.mean_value, 4),
                        "answered_subjects": r.answered_subjects,
                    }
                    for r in report.indicators
                ],
                "next_category": _band(criteria, report.next_band) if report.next_band else None,
                "path_to_next": [
                    {
                        "indicator": i.indicator,
                        "dimension": i.dimension,
                        "points": round(i.points, 4),
                        "target_value": i.target_value,
                        "evidence_hint": i.evidence_hint,
                    }
                    for i in report.path
                ],
            }
        )
    out: dict[str, Any] = {
        "criteria": {"id": criteria.id, "version": criteria.version, "title": criteria.title},
        "answers_file": document.source,
        "units": units,
    }
    if document.region is not None:
        result = region_score(criteria, [r.total for _, r in reports])
        out["region"] = {
            "code": document.region.code,
            "name": document.region.name,
            "units": result.units,
            "score": result.score,
            "category": _band(criteria, result.band),
            "zone": result.band.zone,
        }
    return out


def score_table(criteria: Criteria, document: AnswersDocument, reports: list[tuple[Any, Report]]) -> str:
    dims = criteria.dimensions
    headers = ["Kode", "Unit", *[_short(d.title, d.id) for d in dims], "Total", "Kategori", "Zona", "Terjawab"]
    maxima = [
        "",
        "(maks.)",
        *[f"{criteria.dimension_max(d):.2f}" for d in dims],
        f"{criteria.scale.max:.2f}",
        "",
        "",
        "",
    ]
    rows = [headers, maxima]
    for unit, report in reports:
        rows.append(
            [
                unit.code,
                _clip(unit.name, 36),
                *[f"{d.score:.2f}" for d in report.dimensions],
                f"{report.total:.2f}",
                f"{report.band.code} {report.label}",
                report.band.zone or "-",
                f"{report.answered}/{report.scored_indicators}",
            ]
        )
    numeric = set(range(2, 3 + len(dims)))
    widths = [max(len(r[c]) for r in rows) for c in range(len(headers))]
    lines = [f"Kriteria: {criteria.id} versi {criteria.version} — {criteria.title}"]
    if document.region is not None:
        code = f" ({document.region.code})" if document.region.code else ""
        lines.append(f"Wilayah: {document.region.name}{code}")
    lines.append("")
    for n, row in enumerate(rows):
        cells = [cell.rjust(widths[c]) if c in numeric else cell.ljust(widths[c]) for c, cell in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
        if n == 1:
            lines.append("  ".join("-" * w for w in widths))
    if document.region is not None:
        result = region_score(criteria, [r.total for _, r in reports])
        lines.append("")
        lines.append(
            f"Skor wilayah (rata-rata {result.units} unit): {result.score:.2f} — "
            f"{result.band.code} {result.band.label}, zona {result.band.zone or '-'}"
        )
    elif reports:
        report = reports[0][1]
        if report.next_band and report.path:
            ids = ", ".join(i.indicator for i in report.path)
            lines.append("")
            lines.append(
                f"Menuju kategori {report.next_band.code} ({report.next_band.min:g}): naikkan "
                f"{len(report.path)} indikator ke nilai tertinggi: {ids}"
            )
    incomplete = [u.code for u, r in reports if not r.complete]
    if incomplete:
        lines.append("")
        lines.append(f"Catatan: jawaban belum lengkap untuk {', '.join(incomplete)}; indikator kosong dihitung 0.")
    return "\n".join(lines)


def _short(title: str, ident: str) -> str:
    return title if len(title) <= 12 else ident.capitalize()


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


# ---- data directory commands -------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    from services.demo import is_seeded, seed_demo
    from services.evidence_files import blob_store
    from store import units
    from store.db import connect, data_dir

    root = data_dir()
    con = connect(root)
    try:
        if not is_seeded(con) and not args.force:
            real = [u for u in units.list_units(con) if not u.is_demo]
            if real:
                _err(
                    f"Database di {root} sudah berisi {len(real)} unit sungguhan; data contoh tidak ditambahkan. "
                    "Pakai folder data lain (KEPATUHAN_DATA_DIR) atau ulangi dengan --force."
                )
                return EXIT_REFUSED
        if seed_demo(con, blob_store(root)):
            _out(f"Data contoh Kabupaten Sukamaju (DEMO) dibuat di {root}.")
            _out("Jalankan aplikasinya: streamlit run app.py")
        else:
            _out(f"Data contoh sudah ada di {root}; tidak ada yang diubah.")
    finally:
        con.close()
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from services.backup import create_backup
    from store.db import connect, data_dir, db_path

    root = data_dir()
    if not db_path(root).exists():
        _err(f"Belum ada database di {root}; tidak ada yang dicadangkan. Periksa KEPATUHAN_DATA_DIR.")
        return EXIT_REFUSED
    con = connect(root)
    try:
        summary = create_backup(con, args.out, root=root)
    finally:
        con.close()
    _out(
        f"Cadangan dibuat: {summary.path} (database {_size(summary.database_bytes)}, "
        f"{summary.evidence_files} berkas bukti, total {_size(summary.total_bytes)})."
    )
    return EXIT_OK


def cmd_restore(args: argparse.Namespace) -> int:
    from services.backup import restore_backup
    from store.db import data_dir

    root = data_dir()
    summary = restore_backup(args.archive, root=root, force=args.force)
    _out(
        f"Data dipulihkan ke {root} dari cadangan {summary.created_at or '(tanpa tanggal)'}: database dan "
        f"{summary.evidence_files} berkas bukti; semua sha256 cocok."
    )
    return EXIT_OK


def _size(n: int) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n} B"


if __name__ == "__main__":
    sys.exit(main())

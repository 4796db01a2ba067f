"""`kepatuhan export` and `kepatuhan import`: reports that leave the app, and offline answers that come back.

    kepatuhan export --format xlsx --out rekap.xlsx                 the whole region, latest period
    kepatuhan export --format pdf --out rapor.pdf --unit DINSOS-SLRT --period "Penilaian 2025"
    kepatuhan export --format template --out isian.xlsx --unit DINSOS-SLRT
    kepatuhan import isian.xlsx

Run from a shell that can write the data directory, so it acts as the system (every unit).
"""

from __future__ import annotations

import argparse
import getpass
import os
import tempfile
from pathlib import Path

from assessment.errors import KepatuhanError

FORMATS = ("xlsx", "pdf", "csv", "template")
EXTENSIONS = {"xlsx": ".xlsx", "pdf": ".pdf", "csv": ".csv", "template": ".xlsx"}


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "export",
        help="ekspor rekap wilayah atau rapor unit (xlsx, pdf, csv, templat isian)",
        description="Ekspor hasil penilaian satu periode: Excel lengkap (xlsx), rapor PDF (pdf), jawaban untuk olah "
        "data (csv) atau templat isian Excel untuk unit yang mengisi luring (template). Bawaan: periode terbaru "
        "dan seluruh wilayah.",
    )
    p.add_argument("--format", required=True, choices=FORMATS, help="xlsx, pdf, csv atau template")
    p.add_argument("--out", required=True, type=Path, metavar="BERKAS", help="berkas yang dibuat")
    p.add_argument("--period", metavar="NAMA", help="nama periode, mis. 'Penilaian 2025' (bawaan: terbaru)")
    p.add_argument("--unit", metavar="KODE", help="kode satu unit (bawaan: seluruh wilayah)")
    p.add_argument(
        "--bahasa",
        choices=("id", "en"),
        default="id",
        help="angka di CSV: id = 63,02 dipisah ';' (Excel berbahasa Indonesia, bawaan); en = 63.02 dipisah ','",
    )
    p.set_defaults(run=run)

    p = subparsers.add_parser(
        "import",
        help="impor jawaban dari templat isian Excel",
        description="Impor jawaban yang diisi luring pada templat isian Excel. Seluruh berkas diperiksa dulu; "
        "setiap baris yang salah disebut dengan lembar, baris dan alasannya, dan tidak ada yang disimpan "
        "bila ada satu saja yang salah.",
    )
    p.add_argument("file", type=Path, metavar="BERKAS", help="templat isian .xlsx yang sudah diisi")
    p.add_argument("--period", metavar="NAMA", help="periode tujuan (bawaan: periode yang tertulis di templat)")
    p.set_defaults(run=run)


def cli_actor():
    from services.access import Actor

    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = "shell"
    return Actor(username=f"cli:{user}", role="system")


def connect_data():
    from store.db import connect, data_dir, db_path

    root = data_dir()
    if not db_path(root).exists():
        raise KepatuhanError(key="err.cli.no_database", root=root)
    return connect(root)


def run(args: argparse.Namespace) -> int:
    if args.command == "export":
        return _export(args)
    return _import(args)


def _export(args: argparse.Namespace) -> int:
    from services.exchange.formats import export_file

    out: Path = args.out
    wanted = EXTENSIONS[args.format]
    if out.suffix.lower() != wanted:
        raise KepatuhanError(
            key="err.cli.wrong_suffix", fmt=args.format, suffix=wanted, example=out.with_suffix(wanted).name
        )
    if not out.parent.resolve().is_dir():
        raise KepatuhanError(key="err.cli.no_out_folder", path=out.parent)
    con = connect_data()
    try:
        result = export_file(
            con, cli_actor(), args.format, period_name=args.period, unit_code=args.unit, lang=args.bahasa
        )
    finally:
        con.close()
    _write_atomically(out, result.data)
    scope = f"unit {args.unit}" if args.unit else "seluruh wilayah"
    print(f"Ekspor {args.format} dibuat: {out} ({scope}, {_size(len(result.data))}).")
    return 0


def _import(args: argparse.Namespace) -> int:
    from cli.main import error_text
    from services.exchange.import_xlsx import ImportRejected, import_answers

    path: Path = args.file
    if not path.is_file():
        raise KepatuhanError(key="err.cli.file_not_found", path=path)
    con = connect_data()
    try:
        result = import_answers(con, cli_actor(), path.read_bytes(), period_name=args.period, file_name=path.name)
    except ImportRejected as exc:  # the refusal names the file, like every other refused input of the CLI
        raise KepatuhanError(key="err.cli.import_refused", path=path, why=error_text(exc)) from exc
    finally:
        con.close()
    print(
        f"Impor selesai ({result.period}): {result.written} jawaban disimpan di {result.units} unit, "
        f"{result.unchanged} tidak berubah, {result.blank} baris kosong dilewati."
    )
    return 0


def _write_atomically(path: Path, data: bytes) -> None:
    """Write beside the target, then rename: a half-written report never replaces a good one."""
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent.resolve())
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise KepatuhanError(key="err.cli.write_failed", path=path, why=exc.strerror) from exc


def _size(n: int) -> str:
    return f"{n / 1_048_576:.1f} MB" if n >= 1_048_576 else f"{max(1, n // 1024)} KB"

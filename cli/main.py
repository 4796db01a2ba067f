"""`kepatuhan`: the command line. Every user error is one Indonesian message on stderr, never a traceback.

Exit codes: 0 ok, 1 a refused input or state (KepatuhanError), 2 wrong usage, 3 an unexpected fault.
"""

from __future__ import annotations

import argparse
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from assessment import KepatuhanError, load_criteria
from cli import export_cmd, followup_cmd, score_cmd, survey_cmd, user_cmd

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
    p.set_defaults(run=score_cmd.run)

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
    survey_cmd.register(sub)
    followup_cmd.register(sub)
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
        _err(error_text(exc))
        return EXIT_REFUSED
    except KeyboardInterrupt:
        _err(error_text(KepatuhanError(key="err.cli.cancelled")))
        return 130
    except BrokenPipeError:  # e.g. `kepatuhan score ... | head`: stop quietly, like other tools
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as exc:  # noqa: BLE001 - the one place unexpected faults are rendered
        if os.environ.get("KEPATUHAN_DEBUG") == "1":
            traceback.print_exc()
        _err(error_text(KepatuhanError(key="err.cli.unexpected", kind=type(exc).__name__, detail=exc)))
        return EXIT_UNEXPECTED


def cli_lang() -> str:
    """The reader's language on the command line: KEPATUHAN_LANG=en for English, Indonesian otherwise."""
    return "en" if os.environ.get("KEPATUHAN_LANG", "").lower().startswith("en") else "id"


def error_text(exc: KepatuhanError) -> str:
    """THE way the CLI words a refusal: the error's catalog text in the reader's language."""
    return exc.render(cli_lang())


def _err(message: str) -> None:
    print(message, file=sys.stderr)


def _out(text: str = "") -> None:
    print(text)


# ---- validate ----------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    bad = 0
    for name in args.files:
        if Path(name).parent.name == "surveys":  # issue 12: survey definitions are validated the same way
            bad += survey_cmd.validate_survey_file(name)
            continue
        try:
            criteria = load_criteria(name)
        except KepatuhanError as exc:
            bad += 1
            _err(error_text(exc))
            continue
        indicators = sum(len(d.indicators) for d in criteria.dimensions)
        _out(
            f"OK {name} ({criteria.id} {criteria.version}: {len(criteria.dimensions)} dimensi, {indicators} indikator)"
        )
    if bad:
        _err(f"{bad} dari {len(args.files)} berkas tidak valid.")
    return EXIT_REFUSED if bad else EXIT_OK


# ---- data directory commands -------------------------------------------------------------------


def cmd_demo(args: argparse.Namespace) -> int:
    from services.accounts.demo_accounts import DEMO_ACCOUNTS_FILE, read_demo_accounts
    from services.ops.demo import is_seeded
    from services.ops.startup import seed_demo_with_accounts
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
        if seed_demo_with_accounts(con, root):
            _out(f"Data contoh Kabupaten Sukamaju (DEMO) dibuat di {root}.")
            if read_demo_accounts(root):
                _out(f"Akun demo dan kata sandinya: {root / DEMO_ACCOUNTS_FILE}")
            _out("Jalankan aplikasinya: streamlit run app.py")
        else:
            _out(f"Data contoh sudah ada di {root}; tidak ada yang diubah.")
    finally:
        con.close()
    return EXIT_OK


def cmd_backup(args: argparse.Namespace) -> int:
    from services.ops.backup import create_backup
    from store.db import connect, data_dir, database_url, db_path

    root = data_dir()
    if database_url():
        return _backup_postgres(args, root)
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
    from services.ops.backup import restore_backup
    from store.db import data_dir, database_url

    root = data_dir()
    if database_url():
        return _restore_postgres(args, root)
    summary = restore_backup(args.archive, root=root, force=args.force)
    _out(
        f"Data dipulihkan ke {root} dari cadangan {summary.created_at or '(tanpa tanggal)'}: database dan "
        f"{summary.evidence_files} berkas bukti; semua sha256 cocok."
    )
    return EXIT_OK


def _backup_postgres(args: argparse.Namespace, root: Path) -> int:
    """The scaled deployment: pg_dump and the evidence listing (services/ops/backup_postgres.py)."""
    from services.ops.backup_postgres import create_backup
    from store.db import connect, database_url

    con = connect(root)
    try:
        summary = create_backup(con, database_url(), args.out, root=root)
    finally:
        con.close()
    where = "didaftar dari penyimpanan objek" if summary.evidence_in == "object_storage" else "di dalam arsip"
    _out(
        f"Cadangan PostgreSQL dibuat: {summary.path} (pg_dump {_size(summary.database_bytes)}, "
        f"{summary.evidence_objects} berkas bukti {where}, semua sha256 diperiksa)."
    )
    return EXIT_OK


def _restore_postgres(args: argparse.Namespace, root: Path) -> int:
    from services.ops.backup_postgres import restore_backup
    from store.db import connect, database_url

    con = connect(root)
    try:
        summary = restore_backup(args.archive, database_url(), root=root, force=args.force, con=con)
    finally:
        con.close()
    _out(
        f"Database PostgreSQL dipulihkan dari cadangan {summary.created_at or '(tanpa tanggal)'}: "
        f"{summary.evidence_objects} berkas bukti tersedia; semua sha256 cocok."
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

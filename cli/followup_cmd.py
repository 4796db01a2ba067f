"""`kepatuhan official import FILE.csv` and `kepatuhan readiness --unit CODE [--json]` (issue 13).

    kepatuhan official import hasil-ombudsman-2025.csv      results or products; all rows valid or nothing written
    kepatuhan readiness --unit DINSOS-SLRT                   what is still open before the visit window
    kepatuhan readiness --unit DINSOS-SLRT --json --period "Penilaian 2025"
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from assessment.errors import KepatuhanError

MAX_CSV_BYTES = 2 * 1024 * 1024


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "official",
        help="catat hasil resmi Ombudsman (impor CSV)",
        description="Catat hasil penilaian resmi Ombudsman per unit dan per Pemda, atau produk Ombudsman beserta "
        "status tindak lanjutnya, dari berkas CSV. Kolom dijelaskan di README.",
    )
    sub = p.add_subparsers(dest="official_command", metavar="PERINTAH", title="perintah")
    sub.required = True
    imp = sub.add_parser(
        "import",
        help="impor hasil resmi atau produk Ombudsman dari CSV",
        description="Hasil: periode,kode,nilai,predikat,akhiran,dimensi. Produk: periode,kode,jenis,nomor,uraian,"
        "status. Semua baris diperiksa dulu; bila satu saja salah, tidak ada yang disimpan.",
    )
    imp.add_argument("file", type=Path, metavar="BERKAS", help="berkas .csv (UTF-8, dipisah koma atau titik koma)")
    imp.set_defaults(run=run_import)

    p = subparsers.add_parser(
        "readiness",
        help="kesiapan satu unit menjelang kunjungan Ombudsman",
        description="Indikator belum dijawab, bukti kurang, bukti kedaluwarsa, tindakan terbuka dan hari menuju "
        "jendela kunjungan satu unit.",
    )
    p.add_argument("--unit", required=True, metavar="KODE", help="kode unit, mis. DINSOS-SLRT")
    p.add_argument("--period", metavar="NAMA", help="nama periode (bawaan: terbaru)")
    p.add_argument("--json", action="store_true", help="cetak sebagai JSON")
    p.set_defaults(run=run_readiness)


def cli_actor():
    from cli.export_cmd import cli_actor as shell_actor

    return shell_actor()


def run_import(args: argparse.Namespace) -> int:
    from services.followup.official import import_csv
    from store.db import connect

    path: Path = args.file
    if not path.is_file():
        raise KepatuhanError(key="err.cli.file_missing", path=path)
    if path.stat().st_size > MAX_CSV_BYTES:
        raise KepatuhanError(key="err.cli.csv_too_big", path=path)
    data = path.read_bytes()
    con = connect()
    try:
        summary = import_csv(con, cli_actor(), data)
    finally:
        con.close()
    what = "produk Ombudsman" if summary.kind == "produk" else "hasil resmi"
    print(f"{summary.rows} {what} dicatat dari {path.name} ({summary.replaced} menggantikan catatan lama).")
    return 0


def run_readiness(args: argparse.Namespace) -> int:
    from services.followup.readiness import unit_readiness_by_code
    from services.region.data import resolve_period
    from store.db import connect

    con = connect()
    try:
        period_id = resolve_period(con, name=args.period).id if args.period else None
        ready = unit_readiness_by_code(con, cli_actor(), code=args.unit, period_id=period_id)
    finally:
        con.close()
    if args.json:
        print(json.dumps(ready.as_dict(), ensure_ascii=False, indent=2))
        return 0
    w = ready.window
    if w.state == "akan_datang":
        window = f"{w.days_until} hari lagi ({w.starts:%d-%m-%Y} s.d. {w.ends:%d-%m-%Y})"
    elif w.state == "berlangsung":
        window = f"sedang berlangsung s.d. {w.ends:%d-%m-%Y}"
    elif w.state == "selesai":
        window = "sudah lewat"
    else:
        window = "belum diatur admin"
    print(f"{ready.unit_name} ({ready.unit_code}) · {ready.period_name}")
    print(f"Jendela kunjungan: {window}")
    print(f"Belum dijawab: {len(ready.unanswered)}" + (f" ({', '.join(ready.unanswered)})" if ready.unanswered else ""))
    print(f"Bukti kurang: {len(ready.missing_evidence)}"
          + (f" ({', '.join(ready.missing_evidence)})" if ready.missing_evidence else ""))  # fmt: skip
    print(f"Bukti kedaluwarsa: {len(ready.expired_evidence)}")
    for e in ready.expired_evidence:
        print(f"  {e.indicator} {e.file_name} (tanggal {e.dated:%d-%m-%Y}, berlaku s.d. {e.expired_on:%d-%m-%Y})")
    print(f"Tindakan terbuka: {ready.open_actions} ({ready.overdue_actions} lewat tenggat)")
    last = f"{ready.last_verification:%d-%m-%Y %H:%M}" if ready.last_verification else "belum pernah"
    print(f"Verifikasi terakhir: {last}")
    print("SIAP dikunjungi." if ready.ready else "BELUM SIAP: selesaikan hal di atas sebelum kunjungan.")
    return 0

"""`kepatuhan user add`: create an account from the shell, e.g. the first admin of a fresh install.

The password is asked twice without echo (getpass), or read from standard input with --password-stdin
(for scripts: `printf '%s\\n' "$PW" | kepatuhan user add ... --password-stdin`). It never appears as an
argument, so it does not end up in the shell history or the process list.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from assessment.errors import KepatuhanError

ROLE_CHOICES = ("admin", "verifier", "unit_head", "viewer")


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "user",
        help="kelola akun pengguna (mis. admin pertama)",
        description="Kelola akun pengguna dari terminal. Pada instalasi baru tanpa akun, `user add --role admin` "
        "membuat admin pertama tanpa lewat browser.",
    )
    sub = p.add_subparsers(dest="user_command", metavar="PERINTAH", title="perintah")
    sub.required = True
    add = sub.add_parser(
        "add",
        help="tambah pengguna",
        description="Tambah pengguna. Kata sandi ditanyakan dua kali (tidak tampil di layar), atau dibaca dari "
        "stdin dengan --password-stdin.",
    )
    add.add_argument("--username", required=True, metavar="NAMA", help="nama pengguna (huruf kecil, angka, . _ -)")
    add.add_argument("--role", required=True, choices=ROLE_CHOICES, help="peran: admin, verifier, unit_head, viewer")
    add.add_argument("--unit", metavar="KODE", help="kode unit (wajib untuk unit_head)")
    add.add_argument("--display-name", metavar="NAMA", default="", help="nama lengkap")
    add.add_argument(
        "--verifies", metavar="KODE;KODE", default="", help="unit yang diverifikasi (peran verifier), dipisah ';'"
    )
    add.add_argument("--password-stdin", action="store_true", help="baca kata sandi dari baris pertama stdin")
    add.set_defaults(run=run)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        if not line:
            raise KepatuhanError(key="err.cli.no_stdin_password")
        return line.rstrip("\r\n")
    if not sys.stdin.isatty():
        raise KepatuhanError(key="err.cli.no_terminal")
    first = getpass.getpass("Kata sandi: ")
    again = getpass.getpass("Ulangi kata sandi: ")
    if first != again:
        raise KepatuhanError(key="err.cli.passwords_differ")
    return first


def run(args: argparse.Namespace) -> int:
    from services.access import Actor
    from services.accounts import users as accounts
    from store.db import connect, data_dir

    if args.user_command != "add":  # pragma: no cover - argparse allows only 'add'
        return 2
    password = _password(args)
    root = data_dir()
    con = connect(root)
    try:
        if accounts.needs_setup(con):
            if args.role != "admin":
                raise KepatuhanError(key="err.cli.first_admin")
            accounts.create_first_admin(con, username=args.username, display_name=args.display_name, password=password)
            print(f"Admin pertama '{args.username.strip().lower()}' dibuat di {root}. Masuk lewat aplikasi.")
            return 0
        # whoever can write the data directory from a shell already holds every record: act as the system
        shell_user = _os_user()
        actor = Actor(username=f"cli:{shell_user}", role="system")
        accounts.create_user(
            con,
            actor,
            username=args.username,
            display_name=args.display_name,
            password=password,
            role=args.role,
            unit_code=args.unit,
            verifier_unit_codes=[c.strip() for c in args.verifies.split(";") if c.strip()],
        )
        print(f"Pengguna '{args.username.strip().lower()}' ({args.role}) dibuat.")
        return 0
    finally:
        con.close()


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return str(os.getuid()) if hasattr(os, "getuid") else "?"

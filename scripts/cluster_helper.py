"""Small helpers of scripts/cluster.sh (issue 11): free ports, a secret, the evidence bucket, waiting for HTTP.

    python scripts/cluster_helper.py ports N        N free TCP ports on 127.0.0.1, one per line
    python scripts/cluster_helper.py secret         64 hex characters from the OS's random source
    python scripts/cluster_helper.py bucket NAME S  create bucket NAME (AWS_* variables) once the server answers
    python scripts/cluster_helper.py wait URL S     wait until URL answers 200 (exit 1 after S seconds)
    python scripts/cluster_helper.py busy PORT...   print the ports something already listens on (exit 1 if any)

Kept to the standard library and boto3 (already a dependency of the S3 evidence store); runs with the
repository root on PYTHONPATH.
"""

from __future__ import annotations

import secrets
import socket
import sys
import time
import urllib.request


def free_ports(count: int) -> list[int]:
    sockets, ports = [], []
    try:
        for _ in range(count):  # hold every socket until all are picked, so no port is handed out twice
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            sockets.append(s)
            ports.append(s.getsockname()[1])
    finally:
        for s in sockets:
            s.close()
    return ports


def busy_ports(ports: list[int]) -> list[int]:
    busy = []
    for port in ports:
        with socket.socket() as s:
            # as the servers themselves bind: a port whose last connections are in TIME_WAIT (a `down` a
            # moment ago) is free for them, and must not be reported taken
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                busy.append(port)
    return busy


def make_bucket(name: str, within: float) -> None:
    from evidence.s3_blobs import client_from_env

    client = client_from_env()
    deadline = time.monotonic() + within
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            client.head_bucket(Bucket=name)
            return
        except Exception as exc:  # noqa: BLE001 - missing bucket or server not up yet
            last = exc
        try:
            client.create_bucket(Bucket=name)
            return
        except Exception as exc:  # noqa: BLE001 - server not up yet
            last = exc
        time.sleep(0.3)
    raise SystemExit(f"bucket {name} tidak bisa dibuat dalam {within:.0f} detik: {last!r}")


def wait_http(url: str, within: float) -> None:
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 - a local URL the script built
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.25)
    raise SystemExit(1)


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    command, args = argv[0], argv[1:]
    if command == "ports":
        print("\n".join(str(p) for p in free_ports(int(args[0]))))
    elif command == "secret":
        print(secrets.token_hex(32))
    elif command == "bucket":
        make_bucket(args[0], float(args[1]))
    elif command == "busy":
        busy = busy_ports([int(p) for p in args])
        print(" ".join(str(p) for p in busy))
        return 1 if busy else 0
    elif command == "wait":
        wait_http(args[0], float(args[1]))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env bash
# One command for every check: installs what the tests need (Python packages, Debian's
# chromium for the browser journeys, PostgreSQL and haproxy for the scale-out legs), then ruff,
# the layering contract and the whole pytest suite (the store and services suites on both backends).
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -e '.[test]'

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-dejavu-core)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "Tidak terpasang: ${missing[*]}; apt-get tidak tersedia. Pasang paket itu untuk uji browser dan PostgreSQL." >&2
  fi
fi

# the PostgreSQL legs must run here, not be skipped
export KEPATUHAN_REQUIRE_PG=1

python -m ruff check .
python -m pytest "$@"

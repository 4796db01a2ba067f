#!/usr/bin/env bash
# One command for every check: installs what the tests need (Python packages, Debian's
# chromium for the browser journeys), then ruff, the layering contract and the whole pytest suite.
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check -e '.[test]'

if [ ! -x /usr/bin/chromium ]; then
  if command -v apt-get >/dev/null 2>&1; then
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq chromium fonts-dejavu-core >/dev/null
  else
    echo "chromium tidak ada dan apt-get tidak tersedia: pasang chromium (/usr/bin/chromium) untuk uji browser" >&2
  fi
fi

python -m ruff check .
python -m pytest "$@"

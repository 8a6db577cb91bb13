#!/usr/bin/env bash
# Installs what building and testing migsim needs on a Debian machine with
# the Rust toolchain: libclang for pg_query's bindings, PostgreSQL for the
# oracle tests, and a Python virtualenv (.venv) with the pinned Alembic and
# SQLAlchemy the lowering is checked against (plus the `just` runner).
# Safe to run again: it only installs what is missing.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; fi
fi

need=()
for pkg in libclang1-14 libclang-common-14-dev postgresql postgresql-contrib; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if ! python3 -c "import venv, ensurepip" >/dev/null 2>&1; then
  need+=(python3-venv)
fi
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >&2
fi

stamp=.venv/.requirements
if [ ! -x .venv/bin/python ] || ! cmp -s scripts/requirements-oracle.txt "$stamp"; then
  echo "setup: creating .venv with the oracle's Python packages" >&2
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r scripts/requirements-oracle.txt >&2
  cp scripts/requirements-oracle.txt "$stamp"
fi
echo "setup: ready" >&2

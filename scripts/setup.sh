#!/usr/bin/env bash
# Installs what building and testing migsim needs on a Debian machine with
# the Rust toolchain: libclang for pg_query's bindings, PostgreSQL for the
# oracle tests, and a Python virtualenv (.venv) with the pinned Alembic and
# SQLAlchemy the lowering is checked against (plus the `just` runner). It
# also builds the schema-level pgvector stand-in (scripts/pgvector-standin/)
# into that server, as pgvector itself is not packaged for Debian 12.
# Safe to run again: it only installs what is missing.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
cd "$repo"

sudo=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1; then sudo="sudo"; fi
fi

need=()
# The server-dev package (headers to build the pgvector stand-in) must match
# the server scripts/pg-oracle.sh runs: the newest installed, else Debian
# 12's 15. When that server is installed already, ask for its exact version,
# so apt does not upgrade the server binaries under a running oracle.
pg_major=15
for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ -x "$d/initdb" ]; then pg_major=$(basename "$(dirname "$d")"); break; fi
done
pg_version() { dpkg-query -W -f='${Version}' "postgresql-$pg_major" 2>/dev/null || true; }
pg_before=$(pg_version)
dpkg -s "postgresql-server-dev-$pg_major" >/dev/null 2>&1 ||
  need+=("postgresql-server-dev-$pg_major${pg_before:+=$pg_before}")
# python3-dev and libpq-dev: tests/ecosystem.rs builds psycopg2 from source
# for a package that pins it (ckan).
for pkg in libclang1-14 libclang-common-14-dev postgresql postgresql-contrib make gcc libc6-dev \
  python3-dev libpq-dev; do
  dpkg -s "$pkg" >/dev/null 2>&1 || need+=("$pkg")
done
if ! python3 -c "import venv, ensurepip" >/dev/null 2>&1; then
  need+=(python3-venv)
fi
apt_install() {
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >&2
}
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}" >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  if ! apt_install "${need[@]}"; then
    # The installed server's version is no longer in the archive: take the
    # current one (which upgrades the server too).
    apt_install "${need[@]%%=*}"
  fi
  if [ -n "$pg_before" ] && [ "$(pg_version)" != "$pg_before" ] &&
     scripts/pg-oracle.sh status >/dev/null 2>&1; then
    echo "setup: PostgreSQL was upgraded under the running oracle server;" \
      "restart it: scripts/pg-oracle.sh stop && scripts/pg-oracle.sh start" >&2
  fi
fi

# pgvector stand-in: build and install it into the server's extension and
# library directories unless a real pgvector is installed there (a
# vector.control without our stamp), or ours is already this version.
pgbin=$(scripts/pg-oracle.sh bindir)
sharedir=$("$pgbin/pg_config" --sharedir)
standin_src=scripts/pgvector-standin
standin_stamp=$sharedir/extension/vector.standin-stamp
standin_want=$(cd "$standin_src" && cat Makefile standin.c vector.control vector--0.8.0.sql | sha256sum | cut -d' ' -f1)
if [ ! -f "$sharedir/extension/vector.control" ] ||
   { [ -f "$standin_stamp" ] && [ "$(cat "$standin_stamp")" != "$standin_want" ]; }; then
  echo "setup: building the pgvector stand-in for the oracle server" >&2
  build=$(mktemp -d)
  cp "$standin_src"/Makefile "$standin_src"/standin.c "$standin_src"/vector.control \
    "$standin_src"/vector--0.8.0.sql "$build"/
  if ! { make -C "$build" PG_CONFIG="$pgbin/pg_config" &&
         $sudo make -C "$build" PG_CONFIG="$pgbin/pg_config" install; } >"$build.log" 2>&1; then
    cat "$build.log" >&2
    rm -rf "$build" "$build.log"
    exit 1
  fi
  echo "$standin_want" | $sudo tee "$standin_stamp" >/dev/null
  rm -rf "$build" "$build.log"
fi

stamp=.venv/.requirements
if [ ! -x .venv/bin/python ] || ! cmp -s scripts/requirements-oracle.txt "$stamp"; then
  echo "setup: creating .venv with the oracle's Python packages" >&2
  python3 -m venv .venv
  .venv/bin/pip install -q --disable-pip-version-check -r scripts/requirements-oracle.txt >&2
  cp scripts/requirements-oracle.txt "$stamp"
fi
echo "setup: ready" >&2

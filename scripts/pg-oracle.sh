#!/usr/bin/env bash
# Starts (or stops) the throw-away PostgreSQL server the oracle tests compare
# migsim against. Installs Debian's postgresql package when no server binaries
# are present. The cluster lives in .pg-oracle/ at the repo root and listens
# on 127.0.0.1 only.
#
#   scripts/pg-oracle.sh start    # idempotent; prints the connection URL
#   scripts/pg-oracle.sh stop
#   scripts/pg-oracle.sh status
#   scripts/pg-oracle.sh url
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
dir=${MIGSIM_PG_DIR:-$repo/.pg-oracle}
port=${MIGSIM_PG_PORT:-54329}
url="postgresql://postgres@127.0.0.1:$port/postgres"

find_bin() {
  local d
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
  done
  return 1
}

as_owner() {
  # initdb and postgres refuse to run as root.
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

install_server() {
  echo "pg-oracle: installing PostgreSQL (Debian package 'postgresql')" >&2
  local sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib >&2
}

start() {
  local bin
  bin=$(find_bin) || { install_server; bin=$(find_bin); }
  mkdir -p "$dir"
  exec 9>"$dir.lock"
  flock 9
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; exit 1; }
  fi
  mkdir -p "$dir/sock"
  [ "$(id -u)" = 0 ] && chown postgres "$dir/sock"
  if ! as_owner "$bin/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 start 9>&- \
      -o "-p $port -k $dir/sock -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" >/dev/null \
      || { cat "$dir/server.log" >&2; exit 1; }
  fi
  echo "$url"
}

stop() {
  local bin
  bin=$(find_bin) || exit 0
  [ -f "$dir/data/PG_VERSION" ] || exit 0
  as_owner "$bin/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) bin=$(find_bin) && as_owner "$bin/pg_ctl" -D "$dir/data" status ;;
  url) echo "$url" ;;
  bindir) find_bin ;;
  *) echo "usage: $0 start|stop|status|url|bindir" >&2; exit 2 ;;
esac

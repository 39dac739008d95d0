#!/usr/bin/env bash
# Real PostgreSQL 15 + pgvector 0.8.6 (+ Citus 13.2.2) on loopback, for tests and benchmarks.
#
#   scripts/pg/cluster.sh install          Debian packages, then pgvector and Citus built from the
#                                          vendored sources (once per machine; ≈1.5 min on 2 cores)
#   scripts/pg/cluster.sh start single     one server on 127.0.0.1:$PG_PORT (default 55432)
#   scripts/pg/cluster.sh start citus      a Citus coordinator on $CITUS_PORT (default 55440) and
#                                          $CITUS_WORKERS workers (default 2) on the next ports
#   scripts/pg/cluster.sh stop             stops every server started under $PG_DIR
#   scripts/pg/cluster.sh stop-worker N    stops Citus worker N (1-based) at once, as a crash would
#   scripts/pg/cluster.sh start-worker N   starts it again
#
# `start` prints the postgres:// URL on stdout. Servers live under $PG_DIR (default
# /tmp/shortlist-pg), trust authentication, loopback only, user postgres; they run as the OS user
# postgres (PostgreSQL refuses root). Idempotent: a running server is reused, a built extension is
# not rebuilt. The sources come from $SHORTLIST_VENDOR (default ../shared/vendor next to the repo).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../.." && pwd)
VENDOR=${SHORTLIST_VENDOR:-$REPO/../shared/vendor}
PGV=15
BIN=/usr/lib/postgresql/$PGV/bin
PG_CONFIG=$BIN/pg_config
PG_PORT=${PG_PORT:-55432}
CITUS_PORT=${CITUS_PORT:-55440}
CITUS_WORKERS=${CITUS_WORKERS:-2}
PG_DIR=${PG_DIR:-/tmp/shortlist-pg}
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }
as_pg() { if [ "$(id -un)" = postgres ]; then "$@"; else as_root runuser -u postgres -- "$@"; fi; }
die() { echo "scripts/pg/cluster.sh: $*" >&2; exit 1; }

install() {
  # Both the server and its headers: the extensions are built against them.
  if [ ! -x "$BIN/initdb" ] || [ ! -x "$PG_CONFIG" ] || [ ! -f "/usr/include/postgresql/$PGV/server/postgres.h" ] || ! command -v make >/dev/null || ! command -v python3 >/dev/null; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql-$PGV postgresql-server-dev-$PGV postgresql-client-$PGV \
      build-essential libcurl4-openssl-dev liblz4-dev libzstd-dev libkrb5-dev libssl-dev libselinux1-dev \
      libxslt1-dev libpam0g-dev libreadline-dev python3 >/dev/null
  fi
  local ext; ext=$($PG_CONFIG --sharedir)/extension
  if [ -f "$ext/vector.control" ] && [ -f "$ext/citus.control" ]; then return 0; fi
  [ -f "$VENDOR/pgvector-0.8.6.tar.gz" ] && [ -f "$VENDOR/citus-13.2.2.tar.gz" ] ||
    die "the vendored sources are missing: expected pgvector-0.8.6.tar.gz and citus-13.2.2.tar.gz in $VENDOR (set SHORTLIST_VENDOR to their folder)"
  local tmp; tmp=$(mktemp -d)
  if [ ! -f "$ext/vector.control" ]; then
    tar xzf "$VENDOR/pgvector-0.8.6.tar.gz" -C "$tmp"
    make -s -C "$tmp/pgvector-0.8.6" PG_CONFIG=$PG_CONFIG OPTFLAGS="" >/dev/null
    as_root make -s -C "$tmp/pgvector-0.8.6" PG_CONFIG=$PG_CONFIG install >/dev/null
  fi
  if [ ! -f "$ext/citus.control" ]; then
    tar xzf "$VENDOR/citus-13.2.2.tar.gz" -C "$tmp"
    # PostgreSQL 15.20 exports have_createdb_privilege(), which Citus also defines; older 15.x do not.
    if grep -q have_createdb_privilege "$($PG_CONFIG --includedir-server)/commands/dbcommands.h"; then
      python3 "$VENDOR/citus-13.2.2-pg15.20.patch.py" "$tmp/citus-13.2.2"
    fi
    (cd "$tmp/citus-13.2.2" && ./configure PG_CONFIG=$PG_CONFIG >/dev/null && make -s -j"$(nproc)" >/dev/null 2>&1 && as_root make -s install >/dev/null) ||
      die "building Citus failed; run the build by hand in $tmp/citus-13.2.2 to see why"
  fi
  rm -rf "$tmp"
}

node_up() { # dir port preload — a server already answering on the port is reused as it is
  local d=$1 port=$2 preload=$3
  "$BIN/pg_isready" -q -h 127.0.0.1 -p "$port" && return 0
  if ! [ -f "$d/PG_VERSION" ]; then
    as_pg "$BIN/initdb" -D "$d" -A trust -U postgres >/dev/null
    { echo "listen_addresses = '127.0.0.1'"; echo "port = $port"; echo "unix_socket_directories = '$(dirname "$d")'";
      echo "max_connections = 200"; echo "shared_buffers = 256MB"; echo "maintenance_work_mem = 512MB";
      [ -n "$preload" ] && echo "shared_preload_libraries = '$preload'"; } | as_pg tee -a "$d/postgresql.conf" >/dev/null
  fi
  as_pg "$BIN/pg_ctl" -D "$d" status >/dev/null 2>&1 || as_pg "$BIN/pg_ctl" -D "$d" -l "$d.log" -w start >/dev/null
}
sql() { "$BIN/psql" -h 127.0.0.1 -p "$1" -U postgres -qAtX -c "$2"; }
ext() { # port name... — creates the extensions that are missing
  local port=$1; shift
  for e in "$@"; do sql "$port" "select 1 from pg_extension where extname = '$e'" | grep -q 1 || sql "$port" "create extension $e"; done
}

start() {
  local mode=${1:-single}
  install
  as_root mkdir -p "$PG_DIR"; as_root chown postgres "$PG_DIR"
  if [ "$mode" = single ]; then
    node_up "$PG_DIR/single" "$PG_PORT" ""
    ext "$PG_PORT" vector
    echo "postgres://postgres@127.0.0.1:$PG_PORT/postgres"
  elif [ "$mode" = citus ]; then
    for i in $(seq 0 "$CITUS_WORKERS"); do
      node_up "$PG_DIR/citus$i" $((CITUS_PORT + i)) citus
      ext $((CITUS_PORT + i)) citus vector
    done
    for i in $(seq 1 "$CITUS_WORKERS"); do
      sql "$CITUS_PORT" "select 1 from pg_dist_node where nodeport = $((CITUS_PORT + i))" | grep -q 1 ||
        sql "$CITUS_PORT" "select citus_add_node('127.0.0.1', $((CITUS_PORT + i)))" >/dev/null
    done
    echo "postgres://postgres@127.0.0.1:$CITUS_PORT/postgres"
  else
    die "start takes single or citus, got $mode"
  fi
}

stop() {
  for d in "$PG_DIR"/*/; do [ -f "$d/PG_VERSION" ] && as_pg "$BIN/pg_ctl" -D "$d" -m fast stop >/dev/null 2>&1 || true; done
}

worker() { # stop|start N
  local d=$PG_DIR/citus$2
  [ -f "$d/PG_VERSION" ] || die "no Citus worker $2 under $PG_DIR"
  if [ "$1" = stop ]; then as_pg "$BIN/pg_ctl" -D "$d" -m immediate stop >/dev/null
  else as_pg "$BIN/pg_ctl" -D "$d" -l "$d.log" -w start >/dev/null; fi
}

case "${1:-}" in
  install) install ;;
  start) shift; start "$@" ;;
  stop) stop ;;
  stop-worker) worker stop "${2:?worker number}" ;;
  start-worker) worker start "${2:?worker number}" ;;
  *) sed -n 2,18p "$0"; exit 2 ;;
esac

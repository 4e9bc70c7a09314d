#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the tests and benchmarks: initdb into a temporary folder,
# as an ordinary user (PostgreSQL refuses to run as root), listening on 127.0.0.1 only, trust
# authentication (nothing but this machine can reach it). Prints the server URL on stdout; the
# tests read it from OCOPTRACE_TEST_POSTGRES and make one database per test in it.
#
#   url=$(bash scripts/postgres-cluster.sh start [PORT])   # default port 55432
#   bash scripts/postgres-cluster.sh stop [PORT]
#   bash scripts/postgres-cluster.sh pause|resume [PORT]   # stop and start it again, data kept (outage tests)
set -euo pipefail

action=${1:-start}
port=${2:-55432}
folder="${TMPDIR:-/tmp}/ocoptrace-postgres-$port"

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "postgres-cluster: PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 69; }

# The cluster's owner: the invoking user, or, for root, Debian's postgres user.
run_as=()
owner=$(id -un)
if [ "$(id -u)" -eq 0 ]; then
  owner=postgres
  id -u "$owner" >/dev/null 2>&1 || useradd --system --no-create-home "$owner"
  run_as=(runuser -u "$owner" --)
fi

case "$action" in
  start)
    if [ -f "$folder/data/postmaster.pid" ] && "${run_as[@]}" "$bin/pg_ctl" -D "$folder/data" status >/dev/null 2>&1; then
      echo "postgres://$owner@127.0.0.1:$port/postgres"
      exit 0
    fi
    rm -rf "$folder"
    mkdir -p "$folder"
    chown "$owner" "$folder" 2>/dev/null || true
    "${run_as[@]}" "$bin/initdb" -D "$folder/data" -U "$owner" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$folder/initdb.log" 2>&1 \
      || { cat "$folder/initdb.log" >&2; exit 1; }
    # Durability off: a throwaway cluster for tests wants speed, never recovery.
    "${run_as[@]}" "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -o \
      "-p $port -k $folder -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null || { cat "$folder/server.log" >&2; exit 1; }
    echo "postgres://$owner@127.0.0.1:$port/postgres"
    ;;
  stop)
    [ -d "$folder/data" ] && "${run_as[@]}" "$bin/pg_ctl" -D "$folder/data" -m fast stop >/dev/null || true
    rm -rf "$folder"
    ;;
  pause)
    "${run_as[@]}" "$bin/pg_ctl" -D "$folder/data" -m fast -w stop >/dev/null
    ;;
  resume)
    "${run_as[@]}" "$bin/pg_ctl" -D "$folder/data" -l "$folder/server.log" -w -o \
      "-p $port -k $folder -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
      start >/dev/null || { cat "$folder/server.log" >&2; exit 1; }
    ;;
  *)
    echo "usage: $0 start|stop|pause|resume [PORT]" >&2
    exit 64
    ;;
esac

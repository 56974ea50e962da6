#!/usr/bin/env bash
# Starts a throwaway PostgreSQL server on loopback for the identity-store tests and prints its
# URL on standard output (everything else goes to standard error). Installs the Debian package
# `postgresql` when no server binaries are present. Safe to run again: a running server is reused.
#
#   export VETTER_TEST_POSTGRES_URL="$(bash Scripts/start-postgres.sh)"
#   swift test --filter VetterStoreTests
#
# VETTER_PG_DIR (default /tmp/vetter-pg) holds the cluster; VETTER_PG_PORT (default 54329) the port.
set -euo pipefail
dir="${VETTER_PG_DIR:-/tmp/vetter-pg}"
port="${VETTER_PG_PORT:-54329}"

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }
bin="$(find_bin)"
if [ -z "$bin" ]; then
    echo "start-postgres: installing postgresql" >&2
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    bin="$(find_bin)"
fi

# The server refuses to run as root: run it as the postgres user then.
run() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

if [ ! -f "$dir/PG_VERSION" ]; then
    mkdir -p "$dir"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir"
    chmod 700 "$dir"
    head -c 18 /dev/urandom | base64 | tr -dc 'A-Za-z0-9' > "$dir.password"
    [ "$(id -u)" -eq 0 ] && chown postgres:postgres "$dir.password"
    run "$bin/initdb" -D "$dir" -U vetter --pwfile="$dir.password" --auth=scram-sha-256 -E UTF8 >/dev/null
fi
password="$(cat "$dir.password")"
if ! run "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
    run "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=50" start >&2
fi
if ! PGPASSWORD="$password" "$bin/psql" -h 127.0.0.1 -p "$port" -U vetter -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = 'vetter_test'" | grep -q 1; then
    PGPASSWORD="$password" "$bin/createdb" -h 127.0.0.1 -p "$port" -U vetter vetter_test
fi
echo "postgres://vetter:$password@127.0.0.1:$port/vetter_test"

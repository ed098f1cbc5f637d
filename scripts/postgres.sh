#!/usr/bin/env bash
# Makes sure the PostgreSQL of PNYX_TEST_POSTGRES_URL answers (starting the local cluster if it
# is down) and drops test databases that earlier interrupted runs left behind.
set -euo pipefail
url="${PNYX_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
if ! command -v psql >/dev/null; then
    echo "psql not found: install PostgreSQL (apt-get install -y postgresql)" >&2; exit 1
fi
if ! psql "$url" -Atqc 'select 1' >/dev/null 2>&1; then
    echo "PostgreSQL is down; starting it"
    if command -v pg_ctlcluster >/dev/null; then
        version=$(ls /etc/postgresql | sort -V | tail -n 1)
        pg_ctlcluster --skip-systemctl-redirect "$version" main start || pg_ctlcluster "$version" main start
    fi
    for _ in $(seq 1 30); do psql "$url" -Atqc 'select 1' >/dev/null 2>&1 && break; sleep 1; done
fi
psql "$url" -Atqc 'select 1' >/dev/null
for db in $(psql "$url" -Atqc "select datname from pg_database where datname like 'pnyx_test_%'"); do
    psql "$url" -qc "drop database if exists \"$db\" with (force)" >/dev/null
done
echo "PostgreSQL ready at ${url%%\?*}"

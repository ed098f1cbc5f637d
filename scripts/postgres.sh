#!/usr/bin/env bash
# Makes sure the PostgreSQL of PNYX_TEST_POSTGRES_URL answers, then drops the test databases that
# earlier interrupted runs left behind (those no one is connected to). On a machine without
# PostgreSQL it installs it from the OS packages (apt-get, as root or with sudo) and starts a cluster that lets `postgres` in from
# 127.0.0.1 without a password; where it cannot, it stops with one line saying what to run.
# A cluster that is there already is only started if it is down, never reconfigured.
set -euo pipefail
url="${PNYX_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
hint="install PostgreSQL (sudo apt-get install -y postgresql) and start it, or set PNYX_TEST_POSTGRES_URL to one you have"
answers() { psql "$url" -Atqc 'select 1' >/dev/null 2>&1; }
as_root() {
    if [ "$(id -u)" = 0 ]; then "$@"
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@"
    else return 1
    fi
}
# The newest cluster of Debian's postgresql-common on the URL's port, if any: "<version> <name>".
port=$(echo "$url" | sed -nE 's|^[a-z]+://[^/]*:([0-9]+)(/.*)?$|\1|p'); port=${port:-5432}
newest_cluster() {
    command -v pg_lsclusters >/dev/null || return 0
    pg_lsclusters --no-header 2>/dev/null | awk -v port="$port" '$3 == port {print $1, $2}' | sort -V | tail -n 1
}
start_cluster() {
    local version=$1 name=$2
    as_root pg_ctlcluster --skip-systemctl-redirect "$version" "$name" start >/dev/null 2>&1 \
        || as_root pg_ctlcluster "$version" "$name" start >/dev/null 2>&1 || true
}
local_url=0
case "$url" in postgres://postgres@127.0.0.1:*|postgres://postgres@localhost:*) local_url=1 ;; esac

if ! command -v psql >/dev/null; then
    if [ "$local_url" = 1 ] && command -v apt-get >/dev/null && as_root true; then
        echo "PostgreSQL is not installed; installing it from the OS packages (apt-get install postgresql)"
        as_root apt-get update -qq >/dev/null || true
        # The package makes a cluster called main; it does not start it where there is no init system.
        DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq postgresql >/dev/null
        read -r version name <<<"$(newest_cluster)"
        [ -n "${version:-}" ] || { echo "PostgreSQL was installed but has no cluster: $hint" >&2; exit 1; }
        # Our own new cluster: the tests connect as postgres over TCP without a password.
        hba=$(as_root sh -c "ls /etc/postgresql/$version/$name/pg_hba.conf")
        as_root sh -c "printf 'host all postgres 127.0.0.1/32 trust\nhost all postgres ::1/128 trust\n' | cat - '$hba' > '$hba.pnyx' && mv '$hba.pnyx' '$hba' && chown postgres:postgres '$hba'"
        as_root pg_ctlcluster "$version" "$name" stop 2>/dev/null || true
        start_cluster "$version" "$name"
    else
        echo "PostgreSQL is missing: $hint" >&2; exit 1
    fi
fi
if ! answers; then
    read -r version name <<<"$(newest_cluster)"
    if [ "$local_url" = 1 ] && [ -n "${version:-}" ]; then
        echo "PostgreSQL is down; starting cluster $version/$name"
        start_cluster "$version" "$name"
        for _ in $(seq 1 30); do answers && break; sleep 1; done
    fi
fi
if ! answers; then
    echo "PostgreSQL does not answer at ${url%%\?*}: $hint" >&2; exit 1
fi
# Only databases nobody is connected to: another checkout's tests may be running on this server.
for db in $(psql "$url" -Atqc "select datname from pg_database d where datname like 'pnyx_test_%'
        and not exists (select 1 from pg_stat_activity a where a.datname = d.datname)"); do
    psql "$url" -qc "drop database if exists \"$db\"" >/dev/null 2>&1 || true
done
echo "PostgreSQL ready at ${url%%\?*}"

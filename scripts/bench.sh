#!/usr/bin/env bash
# `just bench`: builds the release binary once, starts it on SQLite and on PostgreSQL with demo
# data, loads each endpoint with wrk (64 connections) and prints requests/s, p50, p99, and each
# endpoint's throughput as a ratio of /healthz measured in the same run. Not part of `just test`.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${BENCH_DURATION:-10s}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
PG_ADMIN="${PNYX_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
SURVEY_RESPONSES="${BENCH_SURVEY_RESPONSES:-100000}"
# Endpoints to load, relative to the server; later modules append their hot paths here (those
# that need seeded ids are added per backend in bench_backend).
ENDPOINTS=(
    "/healthz"
    "/api/v1/orgs/banska-bystrica"
    "/api/v1/orgs"
)
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
cargo build --release -p pnyx
BIN=target/release/pnyx
scripts/postgres.sh >/dev/null

run_one() { # label url
    local out rps p50 p99
    # A long timeout: survey results over 100 000 responses take longer than wrk's default 2 s.
    out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 30s --latency "$2")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    echo "$rps $p50 $p99"
}

bench_backend() { # name database_url
    local name=$1 url=$2 port=18090 pid
    PNYX_DATABASE_URL="$url" "$BIN" migrate >/dev/null
    PNYX_DATABASE_URL="$url" PNYX_DEMO_PASSWORD=bench-password-123 "$BIN" seed-demo --if-empty >/dev/null
    # An open anonymous survey with public results and $SURVEY_RESPONSES generated responses.
    local survey_id
    survey_id=$(PNYX_DATABASE_URL="$url" "$BIN" seed-bench-survey --org banska-bystrica \
        --responses "$SURVEY_RESPONSES" | tail -n 1)
    local endpoints=("${ENDPOINTS[@]}" "/api/v1/orgs/banska-bystrica/surveys/$survey_id/results")
    PNYX_DATABASE_URL="$url" PNYX_BIND="127.0.0.1:$port" PNYX_LOG=warn "$BIN" serve &
    pid=$!
    for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 0.2; done
    local base_rps=""
    printf '\n%s (wrk -c%s -d%s)\n' "$name" "$CONNECTIONS" "$DURATION"
    printf '%-40s %12s %10s %10s %10s\n' endpoint "req/s" p50 p99 "vs healthz"
    for ep in "${endpoints[@]}"; do
        read -r rps p50 p99 < <(run_one "$ep" "http://127.0.0.1:$port$ep")
        [ -z "$base_rps" ] && base_rps=$rps
        ratio=$(awk -v a="$rps" -v b="$base_rps" 'BEGIN { printf "%.2f", a / b }')
        printf '%-40s %12s %10s %10s %10s\n' "$ep" "$rps" "$p50" "$p99" "$ratio"
    done
    kill "$pid"; wait "$pid" 2>/dev/null || true
}

tmp=$(mktemp -d)
bench_backend "SQLite" "sqlite://$tmp/bench.db?mode=rwc"
psql "$PG_ADMIN" -qc 'drop database if exists pnyx_bench with (force)' -c 'create database pnyx_bench' >/dev/null
pg_url="${PG_ADMIN%/*}/pnyx_bench"
bench_backend "PostgreSQL" "$pg_url"
psql "$PG_ADMIN" -qc 'drop database if exists pnyx_bench with (force)' >/dev/null
rm -rf "$tmp"

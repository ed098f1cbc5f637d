#!/usr/bin/env bash
# The API contract: schemathesis (every check, every phase, the stateful one included) over every
# operation of the served spec, once anonymously and once with a platform admin's API token,
# against our own server (debug build) on a fresh SQLite file with the demo data. Fails on any
# failure. Extra arguments go to both `schemathesis run`s, e.g. `--include-path-regex /budgets`.
#   PNYX_SCHEMATHESIS_EXAMPLES  test cases per operation and phase (default 8)
#   PNYX_SCHEMATHESIS_SEED      the random seed (default fixed, so a run can be repeated)
#   PNYX_SCHEMATHESIS_PASSES    `anonymous admin` (default), or just one of them
set -euo pipefail
cd "$(dirname "$0")/.."
st=tests/schemathesis/.venv/bin/schemathesis
[ -x "$st" ] || { echo "schemathesis is missing: run scripts/setup.sh" >&2; exit 1; }
examples="${PNYX_SCHEMATHESIS_EXAMPLES:-8}"
seed="${PNYX_SCHEMATHESIS_SEED:-20261219}"
passes="${PNYX_SCHEMATHESIS_PASSES:-anonymous admin}"
cargo build -q -p pnyx
tmp=$(mktemp -d)
# A free port, so that another server is never tested by mistake.
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export PNYX_DATABASE_URL="sqlite://$tmp/contract.db?mode=rwc"
export PNYX_BIND="127.0.0.1:$port"
export PNYX_STATIC_DIR="$tmp/no-web-app"
export PNYX_LOG="${PNYX_LOG:-warn}"
export PNYX_MAIL_DIR="$tmp/mail"
export PNYX_FILES_DIR="$tmp/files"
export PNYX_PUBLIC_URL="$base"
# schemathesis sends thousands of requests from one address: no address limits (the 429s are
# documented on every operation that has a limit, and tests/api/hardening.rs tests them).
export PNYX_RATE_LIMIT_SCALE=0
unset PNYX_METRICS_TOKEN
admin_email="contract-admin@example.org"
admin_password="contract admin password 2026"
PNYX_ADMIN_PASSWORD="$admin_password" ./target/debug/pnyx create-admin --email "$admin_email" >/dev/null
PNYX_DEMO_PASSWORD="demo password 2026" ./target/debug/pnyx seed-demo >/dev/null
./target/debug/pnyx serve > "$tmp/server.log" 2>&1 &
pid=$!
cleanup() {
    kill "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
    if [ "${keep:-0}" = 1 ]; then echo "server log and reports kept in $tmp"; else rm -rf "$tmp"; fi
}
trap cleanup EXIT
for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    curl -sf "$base/readyz" >/dev/null && break
    sleep 0.2
done
# Our own server must be the one answering: fail when it exited (a port taken meanwhile, say).
if ! kill -0 "$pid" 2>/dev/null || ! curl -sf "$base/readyz" >/dev/null; then
    echo "the contract test server did not start on port $port:" >&2
    cat "$tmp/server.log" >&2
    exit 1
fi
# The admin's API token (scope `act`): sign in, then create it.
access=$(curl -sf "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
    -d "{\"email\":\"$admin_email\",\"password\":\"$admin_password\"}" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
token=$(curl -sf "$base/api/v1/me/tokens" -H 'Content-Type: application/json' -H "Authorization: Bearer $access" \
    -d '{"name":"schemathesis","scope":"act"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
[ -n "$token" ] || { echo "could not create the admin's API token" >&2; exit 1; }
failed=()
for pass in $passes; do
    args=()
    [ "$pass" = admin ] && args=(-H "Authorization: Bearer $token")
    echo "=== schemathesis, $pass: $examples examples per operation, seed $seed"
    if ! "$st" --config-file tests/schemathesis/schemathesis.toml --no-color run "$base/api/v1/openapi.json" \
        --checks all --phases examples,coverage,fuzzing,stateful \
        --max-examples "$examples" --seed "$seed" --workers 2 \
        --request-timeout 30 \
        --report junit --report-dir "$tmp/report-$pass" \
        "${args[@]}" "$@"; then
        failed+=("$pass")
    fi
done
# The server must have survived the whole run without a single 500 in its log.
if grep -q '"status":5\|status=5' "$tmp/server.log"; then
    echo "the server answered 5xx during the run:" >&2
    grep '"status":5\|status=5' "$tmp/server.log" | head -20 >&2
    failed+=("server-5xx")
fi
if [ ${#failed[@]} -gt 0 ]; then
    keep=1
    echo "schemathesis: failures in ${failed[*]}" >&2
    exit 1
fi
echo "schemathesis: no failures in: $passes"

#!/usr/bin/env bash
# Browser tests: the real server (debug build) on a fresh SQLite database with the demo data and
# a platform admin, serving the built web app; Playwright drives Debian's Chromium against it.
# Arguments go to Playwright (`scripts/e2e.sh comments` runs specs/comments.spec.ts only).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || { echo "chromium is missing: apt-get install -y chromium" >&2; exit 1; }
[ -f frontend/dist/index.html ] || (cd frontend && npm run build)
cargo build -q -p pnyx
tmp=$(mktemp -d)
port="${PNYX_E2E_PORT:-18080}"
export PNYX_DATABASE_URL="sqlite://$tmp/e2e.db?mode=rwc"
export PNYX_BIND="127.0.0.1:$port"
export PNYX_STATIC_DIR="$PWD/frontend/dist"
export PNYX_LOG="${PNYX_LOG:-warn}"
export PNYX_E2E_URL="http://127.0.0.1:$port"
export PNYX_E2E_ADMIN_EMAIL="e2e-admin@example.org"
export PNYX_E2E_ADMIN_PASSWORD="e2e admin password 2026"
export PNYX_E2E_DEMO_PASSWORD="demo password 2026"
PNYX_ADMIN_PASSWORD="$PNYX_E2E_ADMIN_PASSWORD" ./target/debug/pnyx create-admin --email "$PNYX_E2E_ADMIN_EMAIL" >/dev/null
PNYX_DEMO_PASSWORD="$PNYX_E2E_DEMO_PASSWORD" ./target/debug/pnyx seed-demo >/dev/null
./target/debug/pnyx serve > "$tmp/server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; wait $pid 2>/dev/null || true; rm -rf "$tmp"' EXIT
for _ in $(seq 1 100); do curl -sf "$PNYX_E2E_URL/readyz" >/dev/null && break; sleep 0.2; done
curl -sf "$PNYX_E2E_URL/readyz" >/dev/null || { cat "$tmp/server.log"; exit 1; }
cd tests/e2e
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npx --no-install playwright test "$@" || { echo "--- server log"; tail -50 "$tmp/server.log"; exit 1; }

#!/usr/bin/env bash
# Browser tests: the real server (debug build) on a fresh SQLite database with the demo data and
# a platform admin, serving the built web app; Playwright drives Debian's Chromium against it.
# Arguments go to `playwright test`, e.g. `scripts/e2e.sh specs/search.spec.ts` for one spec.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v chromium >/dev/null || { echo "chromium is missing: apt-get install -y chromium" >&2; exit 1; }
[ -f frontend/dist/index.html ] || (cd frontend && npm run build)
cargo build -q -p pnyx
tmp=$(mktemp -d)
pid=""
smtp_pid=""
cleanup() {
    set +e
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; fi
    exec 3>&-
    if [ -n "$smtp_pid" ]; then kill "$smtp_pid" 2>/dev/null; wait "$smtp_pid" 2>/dev/null; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
# A free port, so that another server (or another checkout's browser tests) is never tested by mistake.
port="${PNYX_E2E_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
export PNYX_DATABASE_URL="sqlite://$tmp/e2e.db?mode=rwc"
export PNYX_BIND="127.0.0.1:$port"
export PNYX_STATIC_DIR="$PWD/frontend/dist"
export PNYX_LOG="${PNYX_LOG:-warn}"
export PNYX_E2E_URL="http://127.0.0.1:$port"
export PNYX_E2E_ADMIN_EMAIL="e2e-admin@example.org"
export PNYX_E2E_ADMIN_PASSWORD="e2e admin password 2026"
export PNYX_E2E_DEMO_PASSWORD="demo password 2026"
# A real SMTP server (aiosmtpd, tests/smtp/server.py) receives the server's e-mail and writes
# each message it accepted, as received, to an .eml file here; the browser tests read the links
# in them (helpers.ts mailedLink). Links start with the test server's own address.
[ -x tests/smtp/.venv/bin/python ] || { echo "tests/smtp/.venv is missing: run scripts/setup.sh" >&2; exit 1; }
# (Not the folder the server would write to without SMTP, `mail` beside the database.)
export PNYX_E2E_MAIL_DIR="$tmp/smtp-received"
smtp_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
# The SMTP server runs until its stdin closes: this script holds the pipe's other end (fd 3).
mkfifo "$tmp/smtp.in"
tests/smtp/.venv/bin/python tests/smtp/server.py "$smtp_port" "$PNYX_E2E_MAIL_DIR" < "$tmp/smtp.in" > "$tmp/smtp.log" 2>&1 &
smtp_pid=$!
exec 3> "$tmp/smtp.in"
for _ in $(seq 1 100); do
    grep -q ready "$tmp/smtp.log" 2>/dev/null && break
    kill -0 "$smtp_pid" 2>/dev/null || break
    sleep 0.1
done
grep -q ready "$tmp/smtp.log" || { echo "the SMTP server did not start:" >&2; cat "$tmp/smtp.log" >&2; exit 1; }
export PNYX_SMTP_URL="smtp://127.0.0.1:$smtp_port"
export PNYX_PUBLIC_URL="$PNYX_E2E_URL"
export PNYX_MAIL_POLL_MS=200
# Every browser test signs residents up and in from this one address: no address limits here
# (failed logins of one account from one address still count).
export PNYX_RATE_LIMIT_SCALE=0
# The webhook spec's receiver listens on this machine.
export PNYX_WEBHOOKS_ALLOW_HTTP_LOOPBACK=true
export PNYX_WEBHOOK_POLL_MS=200
PNYX_ADMIN_PASSWORD="$PNYX_E2E_ADMIN_PASSWORD" ./target/debug/pnyx create-admin --email "$PNYX_E2E_ADMIN_EMAIL" >/dev/null
PNYX_DEMO_PASSWORD="$PNYX_E2E_DEMO_PASSWORD" ./target/debug/pnyx seed-demo >/dev/null
./target/debug/pnyx serve > "$tmp/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    curl -sf "$PNYX_E2E_URL/readyz" >/dev/null && break
    sleep 0.2
done
# Our own server must be the one answering: fail when it exited (a port taken meanwhile, say).
if ! kill -0 "$pid" 2>/dev/null || ! curl -sf "$PNYX_E2E_URL/readyz" >/dev/null; then
    echo "the test server did not start on port $port:" >&2
    cat "$tmp/server.log" >&2
    exit 1
fi
cd tests/e2e
PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npx --no-install playwright test "$@" || { echo "--- server log"; tail -50 "$tmp/server.log"; exit 1; }

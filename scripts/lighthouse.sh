#!/usr/bin/env bash
# The web app on a phone: Lighthouse (from npm, tools/node_modules; mobile profile, its default:
# a mid-range phone on a slow 4G line, simulated) against the built web app served by the real
# server, on our own server (a free port, a fresh SQLite database with the demo data). Runs the
# landing page, an organisation's page and a list page of that organisation, each
# LIGHTHOUSE_RUNS times (3), and prints per page the median run's performance score and Largest
# Contentful Paint, and the most console errors any run saw (Lighthouse's errors-in-console:
# errors logged, exceptions, failed requests such as a 401). Exits non-zero when a page scores
# under LIGHTHOUSE_MIN_SCORE (98) or any console error was seen.
#
# Called at the end of scripts/bench.sh (release binary) or alone (BENCH_ONLY=lighthouse
# scripts/bench.sh, or this script: debug binary, as the browser tests use). Not part of `just test`.
# LIGHTHOUSE_BIN: the server binary (default: target/debug/pnyx, built); LIGHTHOUSE_STATIC_DIR:
# the built web app (default: frontend/dist, built when missing); LIGHTHOUSE_OUT: a folder to keep
# the JSON reports in.
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS="${LIGHTHOUSE_RUNS:-3}"
MIN_SCORE="${LIGHTHOUSE_MIN_SCORE:-98}"
ORG="banska-bystrica"
PAGES=("/" "/o/$ORG" "/o/$ORG/meetings")
CHROME_PATH="${CHROME_PATH:-$(command -v chromium || true)}"
[ -n "$CHROME_PATH" ] || { echo "chromium is missing: apt-get install -y chromium" >&2; exit 1; }
export CHROME_PATH
command -v jq >/dev/null || { echo "jq is missing: apt-get install -y jq" >&2; exit 1; }
LIGHTHOUSE=tools/node_modules/.bin/lighthouse
[ -x "$LIGHTHOUSE" ] || (cd tools && npm ci --no-audit --no-fund >/dev/null)
STATIC_DIR="${LIGHTHOUSE_STATIC_DIR:-$PWD/frontend/dist}"
if [ -z "${LIGHTHOUSE_STATIC_DIR:-}" ] && [ ! -f frontend/dist/index.html ]; then
    (cd frontend && npm run build >/dev/null)
fi
[ -f "$STATIC_DIR/index.html" ] || { echo "$STATIC_DIR/index.html is missing: build the web app" >&2; exit 1; }
if [ -z "${LIGHTHOUSE_BIN:-}" ]; then cargo build -q -p pnyx; fi
BIN="${LIGHTHOUSE_BIN:-target/debug/pnyx}"

tmp=$(mktemp -d)
pid=""
cleanup() {
    if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
    rm -rf "$tmp"
}
trap cleanup EXIT
# A free port, and our own server answering on it (never whatever else listens there).
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export PNYX_DATABASE_URL="sqlite://$tmp/lighthouse.db?mode=rwc"
"$BIN" migrate >/dev/null
PNYX_DEMO_PASSWORD=lighthouse-password-123 "$BIN" seed-demo >/dev/null
PNYX_BIND="127.0.0.1:$port" PNYX_STATIC_DIR="$STATIC_DIR" PNYX_FILES_DIR="$tmp/files" PNYX_LOG=warn \
    "$BIN" serve > "$tmp/server.log" 2>&1 &
pid=$!
for _ in $(seq 1 100); do
    kill -0 "$pid" 2>/dev/null || break
    curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break
    sleep 0.2
done
if ! kill -0 "$pid" 2>/dev/null || ! curl -sf "http://127.0.0.1:$port/readyz" >/dev/null; then
    echo "the Lighthouse server did not start on port $port:" >&2
    cat "$tmp/server.log" >&2
    exit 1
fi

failed=0
printf '\nLighthouse %s, mobile profile, median of %s runs (target: performance >= %s, no console error)\n' \
    "$("$LIGHTHOUSE" --version)" "$RUNS" "$MIN_SCORE"
printf '%-32s %12s %10s %16s\n' page performance LCP "console errors"
for path in "${PAGES[@]}"; do
    results=()
    errors=0
    for run in $(seq 1 "$RUNS"); do
        report="$tmp/report-$(tr -c 'a-z0-9' - <<<"$path")-$run.json"
        # Lighthouse's own runtime errors (Chrome's trace not recorded: NO_NAVSTART, seen once on a
        # quiet machine) say nothing of the page: one more attempt, then the error.
        for attempt in 1 2; do
            "$LIGHTHOUSE" "http://127.0.0.1:$port$path" --quiet --output=json --output-path="$report" \
                --only-categories=performance,best-practices \
                --chrome-flags="--headless --no-sandbox --disable-gpu --no-first-run" >/dev/null 2>"$tmp/lighthouse.log" \
                && break
            [ "$attempt" = 2 ] && { echo "Lighthouse failed on $path:" >&2; cat "$tmp/lighthouse.log" >&2; exit 1; }
            echo "Lighthouse failed on $path; once more: $(tail -n 1 "$tmp/lighthouse.log")" >&2
        done
        # score (0-100) and LCP (ms) of this run; the most console errors of any run.
        results+=("$(jq -r '"\((.categories.performance.score * 100) | round) \(.audits["largest-contentful-paint"].numericValue | round)"' "$report")")
        n=$(jq '.audits["errors-in-console"].details.items | length' "$report")
        [ "$n" -gt "$errors" ] && errors=$n
        if [ "$n" -gt 0 ]; then
            jq -r '.audits["errors-in-console"].details.items[] | "  console (\(.source)): \(.description)"' "$report" >&2
        fi
        [ -n "${LIGHTHOUSE_OUT:-}" ] && mkdir -p "$LIGHTHOUSE_OUT" && cp "$report" "$LIGHTHOUSE_OUT/"
    done
    read -r score lcp < <(printf '%s\n' "${results[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
    printf '%-32s %12s %10s %16s\n' "$path" "$score" "$(awk -v ms="$lcp" 'BEGIN { printf "%.1f s", ms / 1000 }')" "$errors"
    if [ "$score" -lt "$MIN_SCORE" ] || [ "$errors" -gt 0 ]; then failed=1; fi
done
[ "$failed" = 0 ] || { echo "Lighthouse: a page scored under $MIN_SCORE or logged console errors" >&2; exit 1; }

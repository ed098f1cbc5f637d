#!/usr/bin/env bash
# `just bench`: builds the release binary once, starts it on SQLite and on PostgreSQL with demo
# data, loads each endpoint with wrk (64 connections) and prints requests/s, p50, p99, and each
# endpoint's throughput as a ratio of /healthz measured in the same run. Not part of `just test`.
#
# Ceilings (issue #20), built and measured in the same invocation: `pnyx-bare-read`
# (tools/bare-read: bare actix-web + sea-orm on the same database and pool settings) reading one
# organisation by its slug — the ceiling of every detail read — and a page of 20 commitments with
# their count — the ceiling of every list read; and pgbench (PostgreSQL) running the minimum SQL of
# a ballot cast (one transaction: upsert the voters' register row, upsert the ballot) with the
# same connections, on the same process and voters — the ceiling of `PUT .../ballot`. The public
# list and detail reads of every module and the ballot cast (BENCH_VOTERS voters replacing their
# ballots, PostgreSQL) are loaded and printed in one table: req/s, p50, p99, ratio to the ceiling,
# target (ratio at least 0.50 and p99 under 25 ms), met.
#
# The participatory budget's hot path: Łódź 2022 (160 projects, 90,494 voters) is imported through
# the API as an official; its own result (the city's rule: greedy, threshold 100 votes) and each
# outcome rule's results without a threshold (the cities' greedy and greedy_no_skip, pabutools'
# greedy_per_cost, Equal Shares) are timed once cold (the first call computes them; they are cached
# afterwards), the cached calls are loaded with wrk like the other endpoints (another rule is staff
# only: those requests carry the official's token), and pabutools (tests/pabutools/outcomes.py) is
# timed on the same file and rules in the same run.
#
# Search: a participatory budget with 10,000 generated proposals (`pnyx seed-bench-proposals`,
# stored and indexed in one transaction as an import is), then `GET /orgs/{org}/search` for a common
# word, a prefix and two words, each as a ratio of the organisation's detail (a primary-key read)
# measured in the same run; the target is a p99 under 50 ms. Measured twice: as served (pages of
# results cached under the organisation's index version), and on a server restarted with the
# cache off (`PNYX_SEARCH_CACHE_PAGES=0`): at 64 connections, where identical requests in flight
# still share one computation, and at one connection, which is what a query nobody asked before
# costs.
#
# Uploads: a 200 MB document (BENCH_UPLOAD_MB) is attached to a meeting as an official while the
# server's resident memory is sampled every 50 ms; prints the RSS before, the peak during the
# upload, and the throughput. Uploads are streamed to storage, so the peak should stay flat
# (tens of MB above the idle server), whatever the file's size. BENCH_ONLY=upload runs this alone.
#
# Memory (issue #20: under 60 MB idle, under 150 MB under every load): each server's resident set
# a second after it is ready, and its peak over its whole life (every load it served), sampled every
# 50 ms; printed when it stops and as one table at the end.
#
# The web app on a phone: at the end, scripts/lighthouse.sh (Lighthouse's mobile profile on the
# landing, organisation and list pages, served by the release binary; fails under 98 or on a
# console error). BENCH_ONLY=lighthouse runs this alone.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION="${BENCH_DURATION:-10s}"
CONNECTIONS="${BENCH_CONNECTIONS:-64}"
PG_ADMIN="${PNYX_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
SURVEY_RESPONSES="${BENCH_SURVEY_RESPONSES:-100000}"
SEARCH_PROPOSALS="${BENCH_SEARCH_PROPOSALS:-10000}"
# BENCH_ONLY=search: the reads and the search scenario alone (no survey, no participatory budget);
# BENCH_ONLY=upload: the upload alone; BENCH_ONLY=ceilings: the reads against the bare program and
# the ballot cast against pgbench; BENCH_ONLY=ballots: the ballot cast against pgbench alone.
ONLY="${BENCH_ONLY:-}"
UPLOAD_MB="${BENCH_UPLOAD_MB:-200}"
# Room for the benchmark's document above the default limit (100 MiB).
export PNYX_MAX_DOCUMENT_BYTES=$(( (UPLOAD_MB + 50) * 1024 * 1024 ))
# A word in about a quarter of the proposals, a prefix (search as you type), two words.
SEARCH_QUERIES=("lavicky" "fonc" "park sasova")
# Endpoints to load, relative to the server; later modules append their hot paths here (those
# that need seeded ids are added per backend in bench_backend).
ENDPOINTS=(
    "/healthz"
    "/api/v1/orgs/banska-bystrica"
    "/api/v1/orgs"
)
# The participatory budget file, its organisation, and the rules timed.
PB_FILE="${BENCH_PB_FILE:-tests/data/pb-instances/Poland_Lodz_2022.pb}"
PB_ORG="banska-bystrica"
PB_RULES=(greedy greedy_no_skip greedy_per_cost equal_shares_plain equal_shares)
# Our rule -> the rule of tests/pabutools/outcomes.py it reproduces (the cities' greedy rules have none).
declare -A PABU_RULE=([greedy_per_cost]=greedy [equal_shares_plain]=equal_shares_plain)
ADMIN_EMAIL="bench-admin@pnyx.test"
ADMIN_PASSWORD="correct-horse-battery-staple-42"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
command -v jq >/dev/null || { echo "jq is missing: apt-get install -y jq" >&2; exit 1; }
[ -f "$PB_FILE" ] || { echo "$PB_FILE is missing (tests/data/pb-instances, or BENCH_PB_FILE)" >&2; exit 1; }
# A fixed secret: the ballot keys and the tokens must survive the server's restarts in this run.
export PNYX_JWT_SECRET="${PNYX_JWT_SECRET:-bench-secret-that-is-long-enough-for-hs256}"
# The load comes from one address: rate limits would measure themselves.
export PNYX_RATE_LIMIT_SCALE=0
# BENCH_BIN: another binary (e.g. target/debug/pnyx for a quick dry run of the script itself).
if [ -z "${BENCH_BIN:-}" ]; then cargo build --release -p pnyx -p pnyx-bare-read; fi
BIN="${BENCH_BIN:-target/release/pnyx}"
if [ "$ONLY" = lighthouse ]; then
    LIGHTHOUSE_BIN="$BIN" exec scripts/lighthouse.sh
fi
BARE_BIN="${BENCH_BARE_BIN:-$(dirname "$BIN")/pnyx-bare-read}"
VOTERS="${BENCH_VOTERS:-300}"
PGBENCH="${PGBENCH:-$(command -v pgbench || echo /usr/lib/postgresql/15/bin/pgbench)}"
scripts/postgres.sh >/dev/null
# pgbench opens BENCH_CONNECTIONS connections while the server still holds its pool: together they
# must fit under PostgreSQL's max_connections, or pgbench fails halfway through the run.
if [ "$ONLY" != search ] && [ "$ONLY" != upload ] && [ "$ONLY" != lighthouse ]; then
    pg_max=$(psql "$PG_ADMIN" -tAc "show max_connections" 2>/dev/null || echo 100)
    pool="${PNYX_DB_MAX_CONNECTIONS:-16}"
    if [ $(( pool + CONNECTIONS + 2 )) -gt "$pg_max" ]; then
        echo "the server's pool ($pool, PNYX_DB_MAX_CONNECTIONS) and pgbench's $CONNECTIONS connections exceed PostgreSQL's max_connections ($pg_max)" >&2
        exit 1
    fi
fi

# pabutools on the same file and rules, once per run (it does not depend on the database).
# `equal_shares` (completion by per-voter budget increments) is not timed: pabutools needs more
# than 5 CPU-minutes for it on Łódź (reference-outcomes.json gives no outcome for it).
PYTHON="${PNYX_PABUTOOLS_PYTHON:-tests/pabutools/.venv/bin/python}"
[ -x "$PYTHON" ] || PYTHON=python3
declare -A PABU_S=() PABU_CPU=()
if [ "$ONLY" = search ] || [ "$ONLY" = upload ] || [ "$ONLY" = ceilings ] || [ "$ONLY" = ballots ]; then
    :
elif "$PYTHON" -c 'import pabutools' 2>/dev/null; then
    for rule in "${PB_RULES[@]}"; do
        [ -n "${PABU_RULE[$rule]:-}" ] || continue
        start=$(date +%s.%N)
        out=$("$PYTHON" tests/pabutools/outcomes.py "$PB_FILE" "${PABU_RULE[$rule]}")
        PABU_S[$rule]=$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
        PABU_CPU[$rule]=$(jq -r .cpu_s <<<"$out")
    done
else
    echo "pabutools is not installed (scripts/setup.sh): no pabutools times" >&2
fi

run_one() { # label url [token]
    local out rps p50 p99 auth=()
    [ -n "${3:-}" ] && auth=(-H "Authorization: Bearer $3")
    # A long timeout: survey results over 100 000 responses take longer than wrk's default 2 s.
    out=$(wrk -t"$(( CONNECTIONS < 2 ? 1 : 2 ))" -c"$CONNECTIONS" -d"$DURATION" --timeout 30s --latency "${auth[@]}" "$2")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
    p50=$(awk '$1=="50%" {print $2}' <<<"$out")
    p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    echo "$rps $p50 $p99"
}

bench_backend() { # name database_url
    local name=$1 url=$2 port pid
    # A free port, and our own server answering on it (never whatever else listens there).
    port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    PNYX_DATABASE_URL="$url" "$BIN" migrate >/dev/null
    PNYX_DATABASE_URL="$url" PNYX_DEMO_PASSWORD=bench-password-123 "$BIN" seed-demo --if-empty >/dev/null
    if [ "$ONLY" = upload ]; then
        PNYX_DATABASE_URL="$url" PNYX_ADMIN_PASSWORD="$ADMIN_PASSWORD" "$BIN" create-admin --email "$ADMIN_EMAIL" >/dev/null
        start_server "$name" "$url" "$port"
        printf '\n%s\n' "$name"
        bench_upload "$port"
        stop_server "upload"
        return
    fi
    local endpoints=("${ENDPOINTS[@]}")
    if [ "$ONLY" = ballots ]; then
        PNYX_DATABASE_URL="$url" PNYX_ADMIN_PASSWORD="$ADMIN_PASSWORD" "$BIN" create-admin --email "$ADMIN_EMAIL" >/dev/null
        start_server "$name" "$url" "$port"
        printf '\n%s: the ballot cast against pgbench (wrk -c%s -d%s)\n' "$name" "$CONNECTIONS" "$DURATION"
        printf '%-44s %10s %10s %10s %8s %16s %5s\n' request "req/s" p50 p99 ratio target met
        bench_ballots "$port" "$url"
        stop_server "ballot casts"
        return
    fi
    if [ "$ONLY" = ceilings ]; then
        PNYX_DATABASE_URL="$url" PNYX_ADMIN_PASSWORD="$ADMIN_PASSWORD" "$BIN" create-admin --email "$ADMIN_EMAIL" >/dev/null
        start_server "$name" "$url" "$port"
        bench_ceilings "$name" "$url" "$port"
        stop_server "reads and ceilings"
        return
    fi
    if [ "$ONLY" != search ]; then
        # An open anonymous survey with public results and $SURVEY_RESPONSES generated responses.
        local survey_id
        survey_id=$(PNYX_DATABASE_URL="$url" "$BIN" seed-bench-survey --org banska-bystrica \
            --responses "$SURVEY_RESPONSES" | tail -n 1)
        endpoints+=("/api/v1/orgs/banska-bystrica/surveys/$survey_id/results")
    fi
    PNYX_DATABASE_URL="$url" "$BIN" seed-bench-proposals --org banska-bystrica --count "$SEARCH_PROPOSALS" >/dev/null
    # The planner's statistics of the rows just inserted, as autovacuum takes them within a minute
    # of a bulk insert: without them PostgreSQL plans the 10,000 proposals as a dozen and sorts them.
    case "$url" in postgres*) psql -q "$url" -c ANALYZE ;; esac
    PNYX_DATABASE_URL="$url" PNYX_ADMIN_PASSWORD="$ADMIN_PASSWORD" "$BIN" create-admin --email "$ADMIN_EMAIL" >/dev/null
    # Cold results of a city take seconds: wait for them rather than answer 503.
    start_server "$name" "$url" "$port"
    local base_rps="" org_rps=""
    printf '\n%s (wrk -c%s -d%s)\n' "$name" "$CONNECTIONS" "$DURATION"
    printf '%-40s %12s %10s %10s %10s\n' endpoint "req/s" p50 p99 "vs healthz"
    for ep in "${endpoints[@]}"; do
        read -r rps p50 p99 < <(run_one "$ep" "http://127.0.0.1:$port$ep")
        [ -z "$base_rps" ] && base_rps=$rps
        [ "$ep" = "/api/v1/orgs/banska-bystrica" ] && org_rps=$rps
        ratio=$(awk -v a="$rps" -v b="$base_rps" 'BEGIN { printf "%.2f", a / b }')
        printf '%-40s %12s %10s %10s %10s\n' "$ep" "$rps" "$p50" "$p99" "$ratio"
    done
    [ "$ONLY" = search ] || bench_ceilings "$name" "$url" "$port"
    bench_search "$port" "$org_rps" "cached pages"
    [ "$ONLY" = search ] || bench_budget "$port" "$base_rps"
    [ "$ONLY" = search ] || bench_upload "$port"
    stop_server "every load above"
    # The same searches with the page cache off: at 64 connections identical requests in flight
    # still share one computation; one at a time, each is what a query nobody asked before costs.
    PNYX_SEARCH_CACHE_PAGES=0 start_server "$name" "$url" "$port"
    bench_search "$port" "$org_rps" "no cache (requests in flight share a computation)"
    CONNECTIONS=1 bench_search "$port" "" "no cache, one connection (each computed)"
    stop_server "search without its cache"
}

ms() { # a wrk latency (850.00us, 12.34ms, 1.02s) -> milliseconds
    awk -v v="$1" 'BEGIN { n = v + 0; if (v ~ /us$/) n /= 1000; else if (v ~ /ms$/) n = n; else if (v ~ /m$/) n *= 60000; else if (v ~ /s$/) n *= 1000; printf "%.2f", n }'
}

first_id() { # port path -> the id of the first item of the first organisation's list that has one
    local org id
    for org in banska-bystrica bedzin sosnowiec vlasotince; do
        id=$(curl -sf "http://127.0.0.1:$1/api/v1/orgs/$org/$2?limit=1" | jq -r '.items[0].id // empty')
        [ -n "$id" ] && { echo "$org $id"; return; }
    done
}

row() { # label rps p50 p99 ceiling_rps
    local ratio p99ms met
    ratio=$(awk -v a="$2" -v b="$5" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }')
    p99ms=$(ms "$4")
    met=$(awk -v r="$ratio" -v p="$p99ms" 'BEGIN { print (r != "n/a" && r >= 0.5 && p < 25) ? "yes" : "no" }')
    printf '%-44s %10s %10s %10s %8s %16s %5s\n' "$1" "$2" "$3" "$4" "$ratio" ">=0.50, p99<25ms" "$met"
}

# The reads of every module against the bare program's, and the ballot cast against pgbench's
# transaction (PostgreSQL), in one table.
bench_ceilings() { # name database_url port
    local name=$1 url=$2 port=$3 api="http://127.0.0.1:$3/api/v1" bare_port bare_pid
    bare_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    PNYX_DATABASE_URL="$url" PNYX_BIND="127.0.0.1:$bare_port" "$BARE_BIN" &
    bare_pid=$!
    for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$bare_port/orgs/banska-bystrica" >/dev/null && break; sleep 0.2; done
    local d_rps d_p50 d_p99 l_rps l_p50 l_p99
    read -r d_rps d_p50 d_p99 < <(run_one bare "http://127.0.0.1:$bare_port/orgs/banska-bystrica")
    read -r l_rps l_p50 l_p99 < <(run_one bare "http://127.0.0.1:$bare_port/orgs/banska-bystrica/commitments")
    kill "$bare_pid"; wait "$bare_pid" 2>/dev/null || true
    printf '\n%s: reads and the ballot cast against their ceilings (wrk -c%s -d%s)\n' "$name" "$CONNECTIONS" "$DURATION"
    printf '%-44s %10s %10s %10s %8s %16s %5s\n' request "req/s" p50 p99 ratio target met
    printf '%-44s %10s %10s %10s %8s\n' "ceiling: bare read, one row by slug" "$d_rps" "$d_p50" "$d_p99" 1.00
    printf '%-44s %10s %10s %10s %8s\n' "ceiling: bare read, 20 rows + count" "$l_rps" "$l_p50" "$l_p99" 1.00
    local rps p50 p99 module org id
    read -r rps p50 p99 < <(run_one org "$api/orgs/banska-bystrica")
    row "organisation detail" "$rps" "$p50" "$p99" "$d_rps"
    read -r rps p50 p99 < <(run_one orgs "$api/orgs")
    row "organisation list" "$rps" "$p50" "$p99" "$l_rps"
    for module in action-plans commitments meetings consultations budgets surveys resident-reports documents; do
        read -r org id < <(first_id "$port" "$module")
        [ -n "${org:-}" ] || { printf '%-44s %s\n' "$module" "no rows in the demo data"; continue; }
        read -r rps p50 p99 < <(run_one "$module" "$api/orgs/$org/$module")
        row "$module list" "$rps" "$p50" "$p99" "$l_rps"
        read -r rps p50 p99 < <(run_one "$module" "$api/orgs/$org/$module/$id")
        row "$module detail" "$rps" "$p50" "$p99" "$d_rps"
        if [ "$module" = budgets ]; then
            local pid_
            pid_=$(curl -sf "$api/orgs/$org/budgets/$id/proposals?limit=1" | jq -r '.items[0].id // empty')
            read -r rps p50 p99 < <(run_one proposals "$api/orgs/$org/budgets/$id/proposals")
            row "budget proposals list" "$rps" "$p50" "$p99" "$l_rps"
            if [ -n "$pid_" ]; then
                read -r rps p50 p99 < <(run_one proposal "$api/orgs/$org/budgets/$id/proposals/$pid_")
                row "budget proposal detail" "$rps" "$p50" "$p99" "$d_rps"
            fi
        fi
    done
    [ "$name" = PostgreSQL ] && bench_ballots "$port" "$url"
    return 0
}

# Ballot casts: a process in voting with three proposals, $VOTERS residents each replacing their
# ballot under wrk (a Lua script cycles through their tokens); then pgbench's two upserts with as
# many clients on the same process and voters.
bench_ballots() { # port database_url
    local port=$1 url=$2 api="http://127.0.0.1:$1/api/v1" org=bedzin token bid ps=() i
    token=$(official_token "$port" "$org")
    bid=$(curl -sf "$api/orgs/$org/budgets" -H "authorization: Bearer $token" -H 'content-type: application/json' -d '{
        "title": {"pl": "Benchmark ballots"}, "rules_text": {"pl": "Everyone votes."}, "total": 10000000,
        "schedule": {"proposals": "2026-03-01", "review": "2026-04-01", "voting": "2026-06-01", "results": "2026-06-30"},
        "supports_threshold": null, "ballot_rule": {"kind": "approval", "max_projects": 2}, "outcome_rule": "greedy"}' | jq -r .id)
    phase() { curl -sf "$api/orgs/$org/budgets/$bid/transitions" -H "authorization: Bearer $token" -H 'content-type: application/json' -d "{\"to\":\"$1\"}" >/dev/null; }
    phase proposals
    for i in 1 2 3; do
        ps+=("$(curl -sf "$api/orgs/$org/budgets/$bid/proposals" -H "authorization: Bearer $token" -H 'content-type: application/json' \
            -d "{\"title\":{\"pl\":\"Project $i\"},\"description\":{\"pl\":\"A project.\"},\"estimated_cost\":${i}000000,\"location\":\"Centre\"}" | jq -r .id)")
    done
    phase review
    for i in "${ps[@]}"; do
        curl -sf "$api/orgs/$org/budgets/$bid/proposals/$i/review" -H "authorization: Bearer $token" -H 'content-type: application/json' -d '{"feasible": true}' >/dev/null
    done
    phase voting
    # Voters: registered and signed in (four at a time: each hashes a password twice).
    seq 1 "$VOTERS" | xargs -P 4 -I{} sh -c '
        curl -sf "$0/auth/register" -H "content-type: application/json" -d "{\"email\":\"voter{}@bench.pnyx.test\",\"password\":\"bench-voter-password-{}\",\"display_name\":\"Voter {}\",\"locale\":\"en\"}" >/dev/null
        curl -sf "$0/auth/login" -H "content-type: application/json" -d "{\"email\":\"voter{}@bench.pnyx.test\",\"password\":\"bench-voter-password-{}\"}" | jq -r .access_token' "$api" > "$tmp/voters.txt"
    # Voting needs a confirmed e-mail address: the bench's voters confirm theirs in the database.
    psql "$url" -qc "update users set email_verified_at = now() where email like 'voter%@bench.pnyx.test' and email_verified_at is null" >/dev/null
    local n
    n=$(grep -c . "$tmp/voters.txt" || true)
    cat > "$tmp/ballot.lua" <<LUA
tokens = {}
for line in io.lines("$tmp/voters.txt") do if #line > 10 then tokens[#tokens + 1] = line end end
local i = 0
local bodies = {'{"choices":[{"proposal_id":"${ps[0]}"}]}', '{"choices":[{"proposal_id":"${ps[1]}"},{"proposal_id":"${ps[2]}"}]}'}
request = function()
    i = i + 1
    local t = tokens[(i % #tokens) + 1]
    return wrk.format("PUT", "/api/v1/orgs/$org/budgets/$bid/ballot",
        {["Authorization"] = "Bearer " .. t, ["Content-Type"] = "application/json"}, bodies[(i % 2) + 1])
end
LUA
    # Each voter's first ballot, so that the load replaces ballots (as in the issue's measurement).
    while read -r t; do
        curl -sf -o /dev/null -X PUT "$api/orgs/$org/budgets/$bid/ballot" -H "authorization: Bearer $t" \
            -H 'content-type: application/json' -d "{\"choices\":[{\"proposal_id\":\"${ps[0]}\"}]}" || true
    done < "$tmp/voters.txt"
    local out rps p50 p99 errors
    out=$(wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --timeout 30s --latency -s "$tmp/ballot.lua" "http://127.0.0.1:$port")
    rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out"); p50=$(awk '$1=="50%" {print $2}' <<<"$out"); p99=$(awk '$1=="99%" {print $2}' <<<"$out")
    errors=$(awk '/Non-2xx/ {print $NF}' <<<"$out")
    # pgbench: the same process and voters, the two upserts in one transaction.
    psql "$url" -qc "drop table if exists bench_voters" \
        -c "create table bench_voters as select row_number() over (order by u.id) as n, u.id as user_id from users u join budget_voters v on v.user_id = u.id where v.budget_id = '$bid'" \
        -c "create unique index on bench_voters (n)" >/dev/null
    local nv
    nv=$(psql "$url" -tAc "select count(*) from bench_voters")
    [ "$nv" -gt 0 ] || { echo "no ballot was cast through the API (wrk: ${errors:-0} answers not 2xx): nothing to compare" >&2; return 1; }
    cat > "$tmp/ballot.sql" <<SQL
\set n random(1, $nv)
BEGIN;
INSERT INTO budget_voters (budget_id, district, user_id, slot, created_at, updated_at) SELECT '$bid', '', user_id, '*', now(), now() FROM bench_voters WHERE n = :n ON CONFLICT DO NOTHING;
INSERT INTO budget_ballots (id, budget_id, district, ballot_key, choices, paper, created_at, updated_at) VALUES (gen_random_uuid(), '$bid', '', 'pgbench-' || :n, '[{"proposal_id":"${ps[1]}"},{"proposal_id":"${ps[2]}"}]', false, now(), now()) ON CONFLICT (ballot_key) DO UPDATE SET choices = excluded.choices, updated_at = excluded.updated_at;
END;
SQL
    local pg tps pgp50 pgp99
    pg=$("$PGBENCH" -n -M prepared -c "$CONNECTIONS" -j 2 -T "${DURATION%s}" -r -l --log-prefix="$tmp/pgbench" -f "$tmp/ballot.sql" "$url" 2>&1)
    tps=$(awk '/^tps/ {printf "%.2f", $3}' <<<"$pg")
    # Latency percentiles from the per-transaction log (microseconds, third column).
    read -r pgp50 pgp99 < <(cat "$tmp"/pgbench.* | awk '{print $3}' | sort -n | awk '{a[NR]=$1} END { printf "%.2fms %.2fms\n", a[int(NR*0.5)]/1000, a[int(NR*0.99)]/1000 }')
    rm -f "$tmp"/pgbench.*
    psql "$url" -qc "delete from budget_ballots where ballot_key like 'pgbench-%'" -c "drop table bench_voters" >/dev/null
    printf '%-44s %10s %10s %10s %8s\n' "ceiling: pgbench two-upsert transaction" "$tps" "$pgp50" "$pgp99" 1.00
    row "ballot cast ($n voters replacing)" "$rps" "$p50" "$p99" "$tps"
    [ -z "$errors" ] || echo "  ballot casts not 2xx: $errors" >&2
}

start_server() { # name database_url port; sets pid, server_name, idle_kb and rss_sampler
    PNYX_FILES_DIR="$tmp/files" PNYX_DATABASE_URL="$2" PNYX_BIND="127.0.0.1:$3" PNYX_LOG=warn PNYX_RESULTS_TIME_LIMIT_MS=3600000 "$BIN" serve &
    pid=$!
    server_name=$1
    for _ in $(seq 1 50); do
        kill -0 "$pid" 2>/dev/null || break
        curl -sf "http://127.0.0.1:$3/readyz" >/dev/null && break
        sleep 0.2
    done
    if ! kill -0 "$pid" 2>/dev/null || ! curl -sf "http://127.0.0.1:$3/readyz" >/dev/null; then
        echo "the $1 server did not start on port $3" >&2
        exit 1
    fi
    # Idle: ready, a second after, before any load. Then the peak over the server's whole life
    # (every load of the scenario), sampled every 50 ms and printed by stop_server.
    sleep 1
    idle_kb=$(rss_kb "$pid")
    sample_rss "$tmp/rss-life" &
    rss_sampler=$!
}

stop_server() { # what ran; prints the server's idle and peak resident memory against the targets
    local peak_kb met
    kill -TERM "$rss_sampler"; wait "$rss_sampler" 2>/dev/null || true
    peak_kb=$(cat "$tmp/rss-life")
    kill "$pid"; wait "$pid" 2>/dev/null || true
    met=$(( idle_kb < 60 * 1024 && peak_kb < 150 * 1024 ))
    printf '\n%s server memory (%s): idle %s MB, peak %s MB (targets: idle under 60 MB, peak under 150 MB; met: %s)\n' \
        "$server_name" "$1" "$(( idle_kb / 1024 ))" "$(( peak_kb / 1024 ))" "$( [ "$met" = 1 ] && echo yes || echo no )"
    MEMORY_ROWS+=("$(printf '| %s | %s | %s MB | %s MB | %s |' "$server_name" "$1" "$(( idle_kb / 1024 ))" "$(( peak_kb / 1024 ))" "$( [ "$met" = 1 ] && echo yes || echo no )")")
}

bench_search() { # port org_detail_rps label
    local q rps p50 p99 ratio
    printf '\nsearch over %s generated proposals, %s, wrk -c%s (target: p99 under 50 ms)\n' \
        "$SEARCH_PROPOSALS" "$3" "$CONNECTIONS"
    printf '%-40s %12s %10s %10s %10s\n' "GET .../search?q=" "req/s" p50 p99 "vs org"
    for q in "${SEARCH_QUERIES[@]}"; do
        read -r rps p50 p99 < <(run_one "$q" "http://127.0.0.1:$1/api/v1/orgs/banska-bystrica/search?q=${q// /%20}")
        ratio=n/a
        [ -n "$2" ] && ratio=$(awk -v a="$rps" -v b="$2" 'BEGIN { printf "%.2f", a / b }')
        printf '%-40s %12s %10s %10s %10s\n' "$q" "$rps" "$p50" "$p99" "$ratio"
    done
}

rss_kb() { # pid -> resident set size in kB
    awk '/^VmRSS:/ {print $2}' "/proc/$1/status" 2>/dev/null || echo 0
}

sample_rss() { # file; run in the background: samples the server's RSS every 50 ms, writes the peak (kB) to file when sent TERM
    local out=$1 peak=0 r
    trap 'echo "$peak" > "$out"; exit 0' TERM
    while :; do r=$(rss_kb "$pid"); [ "$r" -gt "$peak" ] && peak=$r; sleep 0.05; done
}

bench_upload() { # port
    local api="http://127.0.0.1:$1/api/v1" token meeting file="$tmp/upload.csv" sampler peak before started secs
    token=$(official_token "$1" banska-bystrica)
    meeting=$(curl -sf "$api/orgs/banska-bystrica/meetings?limit=1" | jq -r '.items[0].id')
    # Text (a CSV), so that it is stored as uploaded: $UPLOAD_MB MB of lines.
    # (`yes` ends by SIGPIPE: a process substitution keeps that out of pipefail.)
    [ -f "$file" ] || head -c "$(( UPLOAD_MB * 1000 * 1000 ))" < <(yes 'obvod;projekt;suma;poznamka;Fončorda;Lavičky pri fontáne;12000;') > "$file"
    before=$(rss_kb "$pid")
    # Sample the server's RSS while the upload runs; the sampler prints the peak when stopped.
    sample_rss "$tmp/rss-peak" &
    sampler=$!
    started=$(date +%s.%N)
    code=$(curl -s -o "$tmp/upload.json" -w '%{http_code}' -H "authorization: Bearer $token" \
        -F "file=@$file;filename=rozpocet-$UPLOAD_MB-MB.csv" "$api/orgs/banska-bystrica/meetings/$meeting/files")
    secs=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
    kill -TERM "$sampler"; wait "$sampler" 2>/dev/null || true
    peak=$(cat "$tmp/rss-peak")
    [ "$code" = 201 ] || { echo "the upload failed with $code: $(cat "$tmp/upload.json")" >&2; exit 1; }
    printf '\nupload of %s MB to a meeting (streamed to %s)\n' "$UPLOAD_MB" "$tmp/files"
    printf '%-28s %10s\n' "server RSS before" "$(( before / 1024 )) MB"
    printf '%-28s %10s\n' "server RSS peak (upload)" "$(( peak / 1024 )) MB"
    printf '%-28s %10s\n' "growth during the upload" "$(( (peak - before) / 1024 )) MB"
    printf '%-28s %10s\n' "time" "$secs s"
    printf '%-28s %10s\n' "throughput" "$(awk -v mb="$UPLOAD_MB" -v s="$secs" 'BEGIN { printf "%.0f MB/s", mb / s }')"
}

official_token() { # port org -> an access token of the bench admin made an official of org
    local api="http://127.0.0.1:$1/api/v1" session token user
    session=$(login "$1")
    token=$(jq -r .access_token <<<"$session")
    user=$(jq -r .user.id <<<"$session")
    curl -sf -X PUT "$api/orgs/$2/members/$user" -H "authorization: Bearer $token" \
        -H 'content-type: application/json' -d '{"roles":["official"],"verified":false}' >/dev/null
    login "$1" | jq -r .access_token
}

login() { # port -> access token
    curl -sf "http://127.0.0.1:$1/api/v1/auth/login" -H 'content-type: application/json' \
        -d "{\"email\":\"$ADMIN_EMAIL\",\"password\":\"$ADMIN_PASSWORD\"}"
}

bench_budget() { # port healthz_rps
    local port=$1 base_rps=$2 api="http://127.0.0.1:$1/api/v1" session token user id started url
    # A platform admin may manage members but not write content: make them an official first.
    session=$(login "$port")
    token=$(jq -r .access_token <<<"$session")
    user=$(jq -r .user.id <<<"$session")
    curl -sf -X PUT "$api/orgs/$PB_ORG/members/$user" -H "authorization: Bearer $token" \
        -H 'content-type: application/json' -d '{"roles":["official"],"verified":false}' >/dev/null
    token=$(login "$port" | jq -r .access_token)
    started=$(date +%s.%N)
    id=$(curl -sf "$api/orgs/$PB_ORG/budgets/import" -H "authorization: Bearer $token" \
        -H 'content-type: text/plain' --data-binary @"$PB_FILE" | jq -r .id)
    printf '\n%s imported in %.2f s\n' "$(basename "$PB_FILE")" "$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')"
    # pabutools s: wall clock of the script (Python start, parsing the file, the rule);
    # rule CPU s: pabutools' own CPU time for the rule call alone.
    printf '%-22s %12s %12s %14s %14s\n' rule "ours cold s" "pabutools s" "pabutools/ours" "rule CPU s"
    local ours theirs ratio
    # The process's own result: the city's rule and threshold, public.
    url="$api/orgs/$PB_ORG/budgets/$id/results"
    ours=$(curl -sf -o /dev/null -w '%{time_total}' --max-time 3600 "$url")
    printf '%-22s %12.3f %12s %14s %14s\n' "own (city rule)" "$ours" n/a n/a n/a
    for rule in "${PB_RULES[@]}"; do
        url="$api/orgs/$PB_ORG/budgets/$id/results?rule=$rule&min_score=0"
        ours=$(curl -sf -o /dev/null -w '%{time_total}' --max-time 3600 -H "authorization: Bearer $token" "$url")
        theirs="${PABU_S[$rule]:-n/a}"
        ratio=n/a
        [ "$theirs" != n/a ] && ratio=$(awk -v a="$theirs" -v b="$ours" 'BEGIN { printf "%.1f", a / b }')
        printf '%-22s %12.3f %12s %14s %14s\n' "$rule" "$ours" "$theirs" "$ratio" "${PABU_CPU[$rule]:-n/a}"
    done
    printf '%-40s %12s %10s %10s %10s\n' "results (cached)" "req/s" p50 p99 "vs healthz"
    read -r rps p50 p99 < <(run_one own "$api/orgs/$PB_ORG/budgets/$id/results")
    ratio=$(awk -v a="$rps" -v b="$base_rps" 'BEGIN { printf "%.2f", a / b }')
    printf '%-40s %12s %10s %10s %10s\n' "results (own rule)" "$rps" "$p50" "$p99" "$ratio"
    for rule in "${PB_RULES[@]}"; do
        read -r rps p50 p99 < <(run_one "$rule" "$api/orgs/$PB_ORG/budgets/$id/results?rule=$rule&min_score=0" "$token")
        ratio=$(awk -v a="$rps" -v b="$base_rps" 'BEGIN { printf "%.2f", a / b }')
        printf '%-40s %12s %10s %10s %10s\n' "results?rule=$rule" "$rps" "$p50" "$p99" "$ratio"
    done
}

tmp=$(mktemp -d)
MEMORY_ROWS=()
# A server of a scenario that failed half way is not left running.
trap 'kill "${rss_sampler:-}" "${pid:-}" 2>/dev/null || true' EXIT
[ "$ONLY" = ballots ] || bench_backend "SQLite" "sqlite://$tmp/bench.db?mode=rwc"
psql "$PG_ADMIN" -qc 'drop database if exists pnyx_bench with (force)' -c 'create database pnyx_bench' >/dev/null
pg_url="${PG_ADMIN%/*}/pnyx_bench"
bench_backend "PostgreSQL" "$pg_url"
psql "$PG_ADMIN" -qc 'drop database if exists pnyx_bench with (force)' >/dev/null
rm -rf "$tmp"
printf '\nserver memory (resident set; idle a second after ready, peak over the server'"'"'s life)\n'
printf '| backend | loads | idle | peak | met (idle < 60 MB, peak < 150 MB) |\n|---|---|---:|---:|---|\n'
printf '%s\n' "${MEMORY_ROWS[@]}"
[ -n "$ONLY" ] || LIGHTHOUSE_BIN="$BIN" scripts/lighthouse.sh

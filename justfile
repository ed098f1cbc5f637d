# Pnyx — run `just` to list the recipes.

set shell := ["bash", "-euo", "pipefail", "-c"]

export PNYX_TEST_POSTGRES_URL := env_var_or_default("PNYX_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres")

# List the recipes
default:
    @just --list

# Install what is missing (Rust tools, Node packages, Chromium for browser tests); idempotent
setup:
    scripts/setup.sh

# Everything a newcomer needs: dependencies, build, migrations, demo data, server with the web app on http://localhost:8080 (SQLite)
up: setup
    if [ -f frontend/package.json ]; then (cd frontend && npm run build); fi
    cargo build -p pnyx
    ./target/debug/pnyx migrate
    ./target/debug/pnyx seed-demo --if-empty
    PNYX_BIND="${PNYX_BIND:-127.0.0.1:8080}" ./target/debug/pnyx serve

# The whole suite: format, lints, layering, Rust tests on SQLite and PostgreSQL, spec lint, the API contract (schemathesis), web app checks, browser tests
test: setup
    cargo fmt --all -- --check
    cargo clippy --workspace --all-targets -- -D warnings
    just check-layers
    scripts/postgres.sh
    cargo nextest run --workspace --profile "${NEXTEST_PROFILE:-default}"
    just lint-openapi
    just test-contract
    just test-frontend
    just test-e2e

# Dependencies point one way: api -> domain <- persistence (and <- files, the storage and images), wired only in the server crate (with lettre, the mail delivery)
check-layers:
    #!/usr/bin/env bash
    set -euo pipefail
    # crate:forbidden dependencies (normal edges, direct or not)
    rules=(
        "pnyx-domain:sea-orm actix-web utoipa pnyx-persistence pnyx-api sqlx lettre pnyx-files object_store image reqwest"
        "pnyx-api:pnyx-persistence sea-orm sqlx lettre pnyx-files object_store image reqwest"
        "pnyx-persistence:actix-web utoipa pnyx-api lettre pnyx-files object_store image reqwest"
        "pnyx-files:sea-orm actix-web utoipa pnyx-persistence pnyx-api sqlx lettre"
    )
    for rule in "${rules[@]}"; do
        crate=${rule%%:*}
        for dep in ${rule#*:}; do
            if cargo tree -p "$crate" -e normal -i "$dep" >/dev/null 2>&1; then
                echo "$crate depends on $dep: dependencies must point api -> domain <- persistence" >&2
                cargo tree -p "$crate" -e normal -i "$dep" >&2 || true
                exit 1
            fi
        done
    done
    echo "layers ok: domain free of database, web, mail and storage crates; api free of persistence and storage; persistence free of the web; object_store and image only in pnyx-files; lettre only in the server"
    python3 scripts/check-handlers.py

# Lint openapi/openapi.json with Redocly CLI
lint-openapi: setup
    tools/node_modules/.bin/redocly lint --config tools/redocly.yaml openapi/openapi.json

# The API contract: schemathesis (all checks, all phases) over every operation, anonymously and as an admin, against its own server; fails on any failure or 5xx
test-contract:
    scripts/schemathesis.sh

# Web app checks: lint, type check, unit tests, generated API types up to date, build (prints the bundle size)
test-frontend:
    #!/usr/bin/env bash
    set -euo pipefail
    if [ ! -f frontend/package.json ]; then echo "no frontend yet"; exit 0; fi
    python3 scripts/staff-screens.py
    cd frontend
    npm run lint
    npm run typecheck
    npm run check:api
    npm test
    npm run build

# Browser tests (Playwright on Debian's Chromium) against the real server on a fresh SQLite database
test-e2e:
    #!/usr/bin/env bash
    set -euo pipefail
    if [ ! -f tests/e2e/package.json ]; then echo "no browser tests yet"; exit 0; fi
    scripts/e2e.sh

# Regenerate openapi/openapi.json from the code, and the web app's API types from it
openapi:
    cargo run -q -p pnyx -- openapi > openapi/openapi.json
    if [ -f frontend/package.json ]; then (cd frontend && npm run gen:api); fi

# Run the server and Vite's dev server (with a proxy to the API) for frontend work
dev: setup
    cargo build -p pnyx
    ./target/debug/pnyx seed-demo --if-empty
    (./target/debug/pnyx serve & echo $! > /tmp/pnyx-dev.pid; cd frontend && npm run dev); kill "$(cat /tmp/pnyx-dev.pid)"

# Fault tests alone, printing what they checked: kill -9 under ballot casts and sign-ups (SQLite and PostgreSQL), PostgreSQL stopped and started under load, the mail outbox after a crash, two servers on one database
chaos:
    scripts/postgres.sh
    cargo build -p pnyx
    cargo nextest run -p pnyx-tests --test api --no-capture -E 'test(/^(chaos|crash|two_servers)::/)'

# Load-test the release build on SQLite and PostgreSQL with wrk; prints requests/s, p50, p99 and ratios to /healthz
bench:
    scripts/bench.sh

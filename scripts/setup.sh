#!/usr/bin/env bash
# Installs what the project needs and the machine lacks. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")/.."
need() { ! command -v "$1" >/dev/null 2>&1; }
apt_install() {
    if command -v apt-get >/dev/null; then
        if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
        $SUDO apt-get update -qq >/dev/null || true
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "$@" >/dev/null
    else
        echo "please install: $*" >&2
    fi
}
if need cargo; then echo "Rust is required: https://rustup.rs" >&2; exit 1; fi
if need node || [ "$(node -p 'process.versions.node.split(".")[0]')" -lt 20 ]; then
    echo "Node.js 20 or newer is required" >&2; exit 1
fi
if need cargo-nextest; then cargo install cargo-nextest --locked; fi
if need wrk; then apt_install wrk || true; fi
if need jq; then apt_install jq || true; fi
if [ -f tests/e2e/package.json ] && need chromium; then apt_install chromium; fi
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
for dir in frontend tests/e2e tools; do
    if [ -f "$dir/package-lock.json" ]; then
        # Reinstall only when the lock file changed since the last install.
        stamp="$dir/node_modules/.pnyx-lock.sha"
        sum=$(sha256sum "$dir/package-lock.json" | cut -d' ' -f1)
        if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
            (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
            echo "$sum" > "$stamp"
        fi
    fi
done
# pabutools (the reference implementation of the outcome rules) for the tests that compare our
# winners with it: a virtualenv of its own, made only when it cannot import the pinned version.
PABUTOOLS_VERSION=1.2.3
venv=tests/pabutools/.venv
if ! "$venv/bin/python" -c "import pabutools, importlib.metadata as m, sys; sys.exit(m.version('pabutools') != '$PABUTOOLS_VERSION')" >/dev/null 2>&1; then
    if ! command -v python3 >/dev/null; then
        echo "Python 3 is required for the pabutools comparison (or set PNYX_SKIP_PABUTOOLS=1)" >&2; exit 1
    fi
    python3 -m venv "$venv" || { apt_install python3-venv && python3 -m venv "$venv"; }
    "$venv/bin/pip" install --quiet --disable-pip-version-check "pabutools==$PABUTOOLS_VERSION"
fi
# moto (server mode): the real S3-compatible server the file storage tests start (tests/api/files.rs).
MOTO_VERSION=5.2.5
venv=tests/s3/.venv
if ! "$venv/bin/python" -c "import moto, flask, importlib.metadata as m, sys; sys.exit(m.version('moto') != '$MOTO_VERSION')" >/dev/null 2>&1; then
    python3 -m venv "$venv" || { apt_install python3-venv && python3 -m venv "$venv"; }
    "$venv/bin/pip" install --quiet --disable-pip-version-check "moto[server]==$MOTO_VERSION"
fi
# aiosmtpd: the real SMTP server the mail delivery tests start (tests/smtp/server.py).
AIOSMTPD_VERSION=1.4.6
venv=tests/smtp/.venv
if ! "$venv/bin/python" -c "import aiosmtpd, importlib.metadata as m, sys; sys.exit(m.version('aiosmtpd') != '$AIOSMTPD_VERSION')" >/dev/null 2>&1; then
    python3 -m venv "$venv" || { apt_install python3-venv && python3 -m venv "$venv"; }
    "$venv/bin/pip" install --quiet --disable-pip-version-check "aiosmtpd==$AIOSMTPD_VERSION"
fi
# pyshacl: the SHACL validator the open-data test checks the DCAT-AP catalogue with
# (tests/shacl/validate.py against tests/shacl/dcat-ap-2.1.1-subset.ttl).
PYSHACL_VERSION=0.30.1
venv=tests/shacl/.venv
if ! "$venv/bin/python" -c "import pyshacl, importlib.metadata as m, sys; sys.exit(m.version('pyshacl') != '$PYSHACL_VERSION')" >/dev/null 2>&1; then
    python3 -m venv "$venv" || { apt_install python3-venv && python3 -m venv "$venv"; }
    "$venv/bin/pip" install --quiet --disable-pip-version-check "pyshacl==$PYSHACL_VERSION"
fi
# schemathesis: the API contract test (scripts/schemathesis.sh) checks the served spec against
# the server's answers.
SCHEMATHESIS_VERSION=4.32.5
venv=tests/schemathesis/.venv
if ! "$venv/bin/python" -c "import schemathesis, importlib.metadata as m, sys; sys.exit(m.version('schemathesis') != '$SCHEMATHESIS_VERSION')" >/dev/null 2>&1; then
    python3 -m venv "$venv" || { apt_install python3-venv && python3 -m venv "$venv"; }
    "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$SCHEMATHESIS_VERSION"
fi

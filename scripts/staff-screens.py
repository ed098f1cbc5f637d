#!/usr/bin/env python3
"""Every staff operation of the API has a screen: lists the operations of openapi/openapi.json
that need a staff role (their description says so: `Requires: admin or official`, `Moderators.`,
`Staff (...)`, `The organisation's admins`...) and the API calls the web app makes (frontend/src:
`$api.useQuery('get', PATH)`, `$api.useMutation('post', PATH)`, `api.PUT(PATH, ...)`, and plain
links to `/api/v1/...` for downloads), and prints the staff operations no screen calls.

An operation may go without a screen only when it is listed in NO_SCREEN below with the reason.
Exits 1 when a staff operation has neither a caller nor a reason, or when a reason is kept for an
operation that has a caller now or is gone from the spec (so the list stays true).

    python3 scripts/staff-screens.py            # the report
    python3 scripts/staff-screens.py --all      # also every staff operation with its callers
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi" / "openapi.json"
SRC = ROOT / "frontend" / "src"
METHODS = ("get", "post", "put", "patch", "delete")

# What marks an operation as staff-only in its description (the spec's convention).
STAFF = re.compile(
    r"Requires:\s*(?:the organisation's )?(?:platform admin|admin|official|any staff|the organisation's admin)"
    r"|^Moderators\b|^The organisation's admins\b|^Staff \(|\brequires admin or official\b|\badmins and officials at any time\b",
    re.IGNORECASE | re.MULTILINE,
)

# Staff operations deliberately without a screen of their own, and why.
NO_SCREEN: dict[str, str] = {}


def staff_operations(spec: dict) -> dict[str, str]:
    """`METHOD path` -> the requirement sentence, for every staff operation."""
    out = {}
    for path, ops in spec["paths"].items():
        for method, op in ops.items():
            if method not in METHODS:
                continue
            text = " ".join(filter(None, [op.get("summary"), op.get("description")]))
            m = STAFF.search(op.get("description") or "")
            if m:
                out[f"{method.upper()} {path}"] = " ".join(text.split())[:120]
    return out


def path_regex(path: str) -> re.Pattern[str]:
    """A spec path as a pattern that also matches the web app's template strings (`${slug}`)."""
    parts = re.split(r"(\{[^}]+\})", path)
    pattern = "".join(r"(?:\{[^}]+\}|\$\{[^}]+\})" if p.startswith("{") else re.escape(p) for p in parts)
    return re.compile(rf"^{pattern}(?:\?.*)?$")


STRING = r"""(?:'([^'\n]*)'|"([^"\n]*)"|`([^`]*)`|([A-Z][A-Z0-9_]*))"""
HOOK_CALL = re.compile(rf"""['"](get|post|put|patch|delete)['"]\s*,\s*{STRING}""")
CLIENT_CALL = re.compile(rf"""\bapi\.(GET|POST|PUT|PATCH|DELETE)\(\s*{STRING}""")
CONSTANT = re.compile(r"""\bconst\s+([A-Z][A-Z0-9_]*)\s*=\s*(?:'([^'\n]*)'|`([^`]*)`)""")
ANY_API_STRING = re.compile(r"""['"`](/api/v1/[^'"`\s]*)['"`]""")
# A call whose path is a variable (`api.POST(url, …)`, a component given one of several paths):
# it counts for every API path the same file names.
VARIABLE_CALL = re.compile(r"""\bapi\.(GET|POST|PUT|PATCH|DELETE)\(\s*[a-z_][A-Za-z0-9_]*\s*,""")


def client_calls(src: Path) -> list[tuple[str, str, str]]:
    """(METHOD, path as written, file) for every API call of the web app (tests excluded)."""
    calls = []
    files = [f for f in src.rglob("*.ts*") if not re.search(r"\.test\.tsx?$|\.d\.ts$|test-setup|test-utils", f.name)]
    constants: dict[str, str] = {}
    for f in files:
        for m in CONSTANT.finditer(f.read_text(encoding="utf-8")):
            constants.setdefault(m.group(1), m.group(2) or m.group(3))
    for f in files:
        text = f.read_text(encoding="utf-8")
        rel = str(f.relative_to(ROOT))
        local = {m.group(1): m.group(2) or m.group(3) for m in CONSTANT.finditer(text)}
        for regex in (HOOK_CALL, CLIENT_CALL):
            for m in regex.finditer(text):
                method = m.group(1).upper()
                literal = m.group(2) or m.group(3) or m.group(4)
                name = m.group(5)
                path = literal if literal is not None else local.get(name or "", constants.get(name or ""))
                if path:
                    calls.append((method, path, rel))
        # Plain links and downloads (`<a href>`, `download(url)`): GET.
        named = [m.group(1) for m in ANY_API_STRING.finditer(text)]
        for path in named:
            calls.append(("GET", path, rel))
        for m in VARIABLE_CALL.finditer(text):
            calls.extend((m.group(1), path, rel) for path in named)
    return calls


def main() -> int:
    spec = json.loads(SPEC.read_text(encoding="utf-8"))
    staff = staff_operations(spec)
    calls = client_calls(SRC)
    callers: dict[str, list[str]] = {}
    for op in staff:
        method, path = op.split(" ", 1)
        rx = path_regex(path)
        callers[op] = sorted({f for (m, p, f) in calls if m == method and rx.match(p)})
    missing = [op for op in staff if not callers[op]]
    unexplained = [op for op in missing if op not in NO_SCREEN]
    stale = [op for op in NO_SCREEN if op not in staff or callers.get(op)]
    if "--all" in sys.argv:
        for op in staff:
            print(f"{op}\n    {', '.join(callers[op]) or '(no caller)'}")
        print()
    print(f"{len(staff)} staff operations in the spec, {len(staff) - len(missing)} with a screen.")
    for op in missing:
        print(f"  no screen: {op}" + (f"  -- {NO_SCREEN[op]}" if op in NO_SCREEN else "  -- UNEXPLAINED"))
    for op in stale:
        print(f"  NO_SCREEN lists {op}, which " + ("has a caller now" if op in staff else "is not a staff operation of the spec"))
    return 1 if unexplained or stale else 0


if __name__ == "__main__":
    sys.exit(main())

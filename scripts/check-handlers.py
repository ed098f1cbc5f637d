#!/usr/bin/env python3
"""Handlers stay thin (issue #11): in crates/api/src/routes every function makes at most one
`st.<service>.<method>(` call (the `idempotent` wrapper around a use case is one call), none
decides authorization or roles itself, and no file grows past 600 lines."""
import pathlib
import re
import sys

ROUTES = pathlib.Path(__file__).resolve().parent.parent / "crates/api/src/routes"
FORBIDDEN = {
    r"\.authorize\(": "decides authorization (the service does)",
    r"\bRole::": "checks a role",
    r"\bis_staff": "checks a role",
    r"\bst\s*\.\s*clock\b": "reads the clock (the service does)",
}
bad = []
for path in sorted(ROUTES.rglob("*.rs")):
    src = path.read_text()
    rel = path.relative_to(ROUTES.parent.parent.parent.parent)
    lines = src.count("\n")
    if lines > 600:
        bad.append(f"{rel}: {lines} lines (at most 600)")
    starts = [m.start() for m in re.finditer(r"^(?:pub(?:\([^)]*\))? )?(?:async )?fn \w+", src, re.M)]
    for i, start in enumerate(starts):
        body = src[start : starts[i + 1] if i + 1 < len(starts) else len(src)]
        name = re.match(r".*?fn (\w+)", body).group(1)
        calls = re.findall(r"\bst\s*\.\s*(\w+)\s*\.\s*(\w+)\s*\(", body)
        if len(calls) > 1:
            bad.append(f"{rel}: {name} calls {len(calls)} service methods: {calls}")
    for pattern, what in FORBIDDEN.items():
        for m in re.finditer(pattern, src):
            line = src.count("\n", 0, m.start()) + 1
            bad.append(f"{rel}:{line}: {what}")
if bad:
    print("\n".join(bad), file=sys.stderr)
    sys.exit(1)
print("handlers ok: one service call each, no authorization or role checks, no route file over 600 lines")

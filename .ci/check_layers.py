"""Fail CI unless every test ran and every layer is complete.

Reads the JUnit file of ``make test``. Each test case carries ``couche`` properties written by
``tests/conftest.py`` from what the test uses (the ``db_url`` backend, a Redis fixture, a
browser fixture, the ``deploy`` marker), so a layer is recognised by its tests' fixtures, not
by a folder name. The run fails when:

- no test case ran, or any test case was skipped (whatever the layer: a skip hides a check);
- PostgreSQL ran fewer (or more) cases than SQLite: every database test runs on both;
- the browser, Redis or production-stack layer has no case.
"""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET
from collections import Counter

REQUIRED = {
    "navigateur": "navigateur (chromium)",
    "redis": "Redis",
    "deploy": "pile de production (gunicorn)",
}


def couches(case: ET.Element) -> set[str]:
    return {
        p.get("value", "")
        for p in case.iter("property")
        if p.get("name") == "couche" and p.get("value")
    }


def check(path: str) -> list[str]:
    """The reasons to fail (empty: CI may pass); prints a summary per layer."""
    cases = list(ET.parse(path).getroot().iter("testcase"))
    if not cases:
        return ["no test case ran"]
    errors: list[str] = []
    skipped = [c for c in cases if c.find("skipped") is not None]
    for case in skipped:
        message = case.find("skipped").get("message", "")
        errors.append(f"skipped: {case.get('classname')}::{case.get('name')} ({message})")
    ran = [c for c in cases if c.find("skipped") is None]
    counts = Counter(layer for c in ran for layer in couches(c))
    print(f"CI: {len(ran)} test cases ran, {len(skipped)} skipped")
    for layer in ("sqlite", "postgresql", *REQUIRED):
        print(f"CI layer {layer}: {counts[layer]} ran")
    if counts["postgresql"] != counts["sqlite"]:
        errors.append(
            f"PostgreSQL ran {counts['postgresql']} cases, SQLite {counts['sqlite']}: "
            "every database test must run on both"
        )
    if counts["sqlite"] == 0:
        errors.append("no database test ran")
    for layer, name in REQUIRED.items():
        if counts[layer] == 0:
            errors.append(f"the {name} layer did not run")
    return errors


def main(path: str) -> int:
    errors = check(path)
    for error in errors:
        print(f"CI: {error}", file=sys.stderr)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

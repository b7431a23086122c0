"""Fail CI when a test layer it must run did not run: PostgreSQL, browser, Redis/deployment."""

from __future__ import annotations

import sys
import xml.etree.ElementTree as ET

LAYERS = {
    "PostgreSQL": lambda case: "[postgresql" in case.get("name", ""),
    "navigateur (e2e)": lambda case: ".e2e." in case.get("classname", ""),
    "Redis et déploiement (gunicorn)": lambda case: ".deploy." in case.get("classname", ""),
}


def main(path: str) -> int:
    cases = list(ET.parse(path).getroot().iter("testcase"))
    if not cases:
        print("CI: no test case ran", file=sys.stderr)
        return 1
    failed = False
    for layer, belongs in LAYERS.items():
        mine = [c for c in cases if belongs(c)]
        skipped = [c for c in mine if c.find("skipped") is not None]
        ran = len(mine) - len(skipped)
        print(f"CI layer {layer}: {ran} ran, {len(skipped)} skipped")
        if ran == 0 or skipped:
            print(f"CI: the {layer} layer was skipped", file=sys.stderr)
            failed = True
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))

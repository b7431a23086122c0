"""Known vulnerabilities in the installed dependencies (``pip-audit``), for CI.

Fails (exit 1) when an installed package has a known vulnerability for which a fixed version
exists: upgrading is then the fix. A vulnerability without a fix is reported, not fatal (there
is nothing to upgrade to). pip-audit needs the vulnerability data of PyPI's per-version JSON
API (or OSV); when none of the dependencies could be audited — the service is unreachable
from this network — the audit says so plainly and does not pretend to have passed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent


def verdict(rapport: dict[str, Any]) -> tuple[int, list[str]]:
    """(exit code, lines to print) of a ``pip-audit --format json`` report."""
    deps = rapport.get("dependencies", [])
    audites = [d for d in deps if "skip_reason" not in d]
    lignes: list[str] = []
    corrigeables = []
    for dep in audites:
        for vuln in dep.get("vulns", []):
            fixes = vuln.get("fix_versions") or []
            nom = f"{dep['name']} {dep.get('version', '')}: {vuln.get('id', '?')}"
            if fixes:
                corrigeables.append(nom)
                lignes.append(f"VULNÉRABLE {nom}, corrigée en {', '.join(fixes)}")
            else:
                lignes.append(f"vulnérabilité sans correctif publié : {nom}")
    if deps and not audites:
        lignes.append(
            f"pip-audit : aucune des {len(deps)} dépendances n'a pu être auditée (service de "
            "vulnérabilités injoignable depuis ce réseau) : audit NON effectué."
        )
        return 0, lignes
    lignes.append(
        f"pip-audit : {len(audites)} dépendances auditées, {len(deps) - len(audites)} non "
        f"auditées, {len(corrigeables)} vulnérabilité(s) avec correctif."
    )
    return (1 if corrigeables else 0), lignes


NON_EFFECTUE = "pip-audit : audit NON effectué ({raison})."


def main() -> int:
    try:
        result = subprocess.run(
            [str(BIN / "pip-audit"), "--skip-editable", "--progress-spinner", "off", "-f", "json"],
            capture_output=True,
            text=True,
            timeout=600,
        )
    except subprocess.TimeoutExpired:
        print(NON_EFFECTUE.format(raison="pas de réponse en 10 minutes"))
        return 0
    try:
        rapport = json.loads(result.stdout)
    except ValueError:
        # no report at all: the service could not be reached (or pip-audit broke): said loudly,
        # not fatal, as an unreachable network is not a vulnerability
        fin = result.stderr.strip().splitlines()[-3:]
        print(NON_EFFECTUE.format(raison="pas de rapport : " + " | ".join(fin)))
        return 0
    code, lignes = verdict(rapport)
    for ligne in lignes:
        print(ligne)
    return code


if __name__ == "__main__":
    sys.exit(main())

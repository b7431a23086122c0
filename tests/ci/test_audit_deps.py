"""The CI's dependency audit: a vulnerability with a fix fails, one without a fix is only
reported, and an audit that could reach no vulnerability data says so instead of passing
silently."""

from __future__ import annotations

import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / ".ci" / "audit_deps.py"
_spec = importlib.util.spec_from_file_location("audit_deps", SCRIPT)
audit_deps = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(audit_deps)

SAIN = {"name": "flask", "version": "3.1.3", "vulns": []}
NON_AUDITE = {"name": "x", "skip_reason": "Dependency not found on PyPI"}


def _vuln(fixes):
    return {
        "name": "jinja2",
        "version": "2.10",
        "vulns": [{"id": "PYSEC-1", "fix_versions": fixes}],
    }


def test_a_vulnerability_with_a_fix_fails():
    code, lignes = audit_deps.verdict({"dependencies": [SAIN, _vuln(["2.10.1"])]})
    assert code == 1 and any("jinja2 2.10: PYSEC-1" in ligne for ligne in lignes)


def test_a_vulnerability_without_a_fix_is_reported_only():
    code, lignes = audit_deps.verdict({"dependencies": [SAIN, _vuln([])]})
    assert code == 0 and any("sans correctif" in ligne for ligne in lignes)


def test_nothing_audited_is_said_plainly():
    code, lignes = audit_deps.verdict({"dependencies": [NON_AUDITE, NON_AUDITE]})
    assert code == 0 and "NON effectué" in lignes[-1]
    code, lignes = audit_deps.verdict({"dependencies": [SAIN, NON_AUDITE]})
    assert code == 0 and "1 dépendances auditées, 1 non auditées" in lignes[-1]

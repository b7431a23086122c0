"""The Content-Security-Policy (no ``unsafe-eval``, inline scripts by hash only) lets the
dashboard work: in a real chromium, every tab renders its charts and tables (with Plotly's basic
bundle, never the full one), the clientside callbacks run (page title, PNG export), and the
browser reports no policy violation."""

from __future__ import annotations

import pytest
from outils_e2e import connecter

pytestmark = pytest.mark.e2e

#: Registered before any page script: Playwright's init scripts are not subject to the CSP.
ECOUTE = """
window.__violations = [];
document.addEventListener('securitypolicyviolation', function (e) {
    window.__violations.push(e.violatedDirective + ' ' + e.blockedURI + ' ' + (e.sample || ''));
});
"""


def test_dashboard_runs_under_the_csp_without_violation(navigateur, serveur):
    page = connecter(navigateur, serveur, "ddets@demo.test", attendre="#mensuel-kpis-moyen-valeur")
    page.add_init_script(ECOUTE)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
    scripts: list[str] = []
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)
    response = page.reload()
    csp = response.headers["content-security-policy"]
    assert "unsafe-eval" not in csp and "script-src 'self' 'sha256-" in csp
    assert "frame-ancestors 'none'" in csp
    page.wait_for_selector("#mensuel-graphique-graph .main-svg")
    page.wait_for_function("() => document.title === 'Effectif mensuel — Suivi ETP'")
    for onglet, selecteur in [
        ("Détail de la consommation mensuelle (en ETP)", "#detail-mensuel-table td"),
        ("Effectif annuel (en ETP)", "#annuel-cumul-graph .main-svg"),
        ("Détail de la consommation annuelle (en ETP)", "#detail-annuel-table td"),
    ]:
        page.get_by_role("tab", name=onglet).click()
        page.wait_for_selector(selecteur)
    # Plotly's basic bundle of assets/vendor draws every chart; the full one is never fetched
    assert any("/assets/vendor/plotly-basic.min.js" in u for u in scripts)
    assert not [u for u in scripts if "plotly.min.js" in u]
    violations = page.evaluate("() => window.__violations")
    assert violations == []
    assert not [m for m in console if "Content Security Policy" in m]
    page.close()

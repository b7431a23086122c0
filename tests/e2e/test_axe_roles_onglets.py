"""Accessibility scan (axe-core) of every tab and page, for every demo role, after interaction.

One login per role; the same page walks the role's tabs (each scanned with a download menu
unfolded, the first also with a definition shown; for two roles again on a phone-sized screen),
then the pages the role reaches (structure page, bourse aux postes); the administrator's pages,
the guides, the feedback form and the login page once. Scans are slow (a few seconds each on a
page with charts): each state is scanned once. Zero
serious or critical violation is allowed. axe-core is injected from the
``axe-playwright-python`` package installed in the virtualenv: nothing comes from a CDN.
"""

from __future__ import annotations

import re

import pytest
from outils_e2e import connecter

pytestmark = pytest.mark.e2e

TABLEAU = "#mensuel-kpis-moyen-valeur"
GRAVES = ("serious", "critical")

#: Pages every logged-in role opens, besides its own (guides, feedback form).
PAGES_COMMUNES = ("/guides/", "/guides/siae", "/guides/financeurs", "/avis")
PAGES_ADMIN = ("/admin/comptes", "/admin/journal", "/admin/avis")
#: Roles whose dashboard is scanned on a phone too (the markup is the same for every role: an
#: SIAE's, without territory filters, and a funder's, with them, cover it).
TELEPHONE = ("siae", "dreets")
#: role -> the bourse aux postes page in its header
PAGES_BOURSE = {
    "siae": "/bourse/demande",
    "ddets": "/bourse/simulation",
    "cd": "/bourse/simulation",
    "dreets": "/bourse/simulation",
    "dgefp": "/bourse/simulation",
}


def violations_graves(page, ou: str) -> list[tuple[str, str, list]]:
    """(where, rule, first targets) of each serious or critical axe violation on the page."""
    from axe_playwright_python.sync_playwright import Axe

    resultats = Axe().run(page)
    return [
        (ou, v["id"], [n["target"] for n in v["nodes"][:3]])
        for v in resultats.response["violations"]
        if v["impact"] in GRAVES
    ]


def _attendre_calme(page) -> None:
    """Until Dash has answered every callback and no loading spinner is left."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => !document.querySelector('[data-dash-is-loading=\"true\"]')", timeout=60_000
    )


def _avec_definition(page, panneau: str, ou: str) -> list[tuple[str, str, list]]:
    """Scan with the first (i) definition of the open tab shown, then close it."""
    page.locator(f"{panneau} button.aide-bouton:visible").first.click()
    page.wait_for_selector(".popover", state="visible")
    trouve = violations_graves(page, f"{ou} + définition ouverte")
    page.locator("h1").click()  # the "legacy" popover closes on a click outside
    page.wait_for_selector(".popover", state="detached")
    return trouve


def _avec_menu(page, panneau: str, ou: str) -> list[tuple[str, str, list]]:
    """Scan with the first download menu of the open tab unfolded, then fold it."""
    menu = page.locator(f"{panneau} .telecharger .dropdown-toggle:visible").first
    if not menu.count():
        return violations_graves(page, ou)
    menu.click()
    page.wait_for_selector(f"{panneau} .dropdown-menu.show")
    trouve = violations_graves(page, f"{ou} + menu de téléchargement ouvert")
    page.keyboard.press("Escape")
    return trouve


def _onglets(page) -> list[tuple[str, str]]:
    """(label, pane id) of every tab the page shows."""
    return page.eval_on_selector_all(
        ".tabs-accessibles [role=tab]",
        "els => els.map(e => [e.textContent.trim(), e.getAttribute('aria-controls')])",
    )


def _parcourir_onglets(page, ou: str) -> list[tuple[str, str, list]]:
    """Open every tab in turn (a click on a computer, the tab selector on a phone) and scan it
    with a download menu unfolded; the first tab also with a definition shown."""
    trouve: list[tuple[str, str, list]] = []
    onglets = _onglets(page)
    assert len(onglets) >= 4, onglets
    for i, (libelle, panneau) in enumerate(onglets):
        onglet = page.locator(".tabs-accessibles [role=tab]").nth(i)
        if onglet.is_visible():
            onglet.click()
        else:  # phone: the tab selector replaces the row of tabs
            page.select_option("#onglets-choix", index=i)
        page.wait_for_function(
            "i => document.querySelectorAll('.tabs-accessibles [role=tab]')[i]"
            ".classList.contains('active')",
            arg=i,
        )
        _attendre_calme(page)
        if i == 0:
            trouve += _avec_definition(page, f"#{panneau}", f"{ou} · {libelle}")
        trouve += _avec_menu(page, f"#{panneau}", f"{ou} · {libelle}")
    return trouve


def _visiter(page, base: str, chemin: str, attendre: str = "main, h1") -> list:
    reponse = page.goto(base + chemin)
    assert reponse is not None and reponse.status == 200, (chemin, reponse and reponse.status)
    page.wait_for_selector(attendre)
    return violations_graves(page, chemin)


def _fiche_structure(page) -> str:
    """Path of a structure page reachable from the annual detail table."""
    page.get_by_role("tab", name="Détail de la consommation annuelle (en ETP)").click()
    lien = page.locator("#detail-annuel-table td[data-dash-column='structure'] a").first
    lien.wait_for()
    href = lien.get_attribute("href")
    assert href and re.fullmatch(r"/structure/\d+", href), href
    return href


@pytest.mark.parametrize("role", ["siae", "ddets", "cd", "dreets", "dgefp"])
def test_aucune_violation_grave_par_role(navigateur, serveur, role):
    page = connecter(navigateur, serveur, f"{role}@demo.test", attendre=TABLEAU)
    trouve = _parcourir_onglets(page, "bureau")
    fiche = _fiche_structure(page)
    if role in TELEPHONE:
        # The dashboard again on a phone (390 × 844): tab selector, stacked tables.
        page.set_viewport_size({"width": 390, "height": 844})
        page.goto(serveur + "/")
        page.wait_for_selector(TABLEAU)
        trouve += _parcourir_onglets(page, "téléphone")
        page.set_viewport_size({"width": 1440, "height": 900})
    trouve += _visiter(page, serveur, fiche, "#fiche-titre")
    trouve += _visiter(page, serveur, PAGES_BOURSE[role])
    page.close()
    assert not trouve, trouve


def test_aucune_violation_grave_admin_et_connexion(navigateur, serveur):
    anonyme = navigateur.new_page()
    anonyme.goto(serveur + "/connexion")
    trouve = violations_graves(anonyme, "/connexion")
    anonyme.close()
    page = connecter(navigateur, serveur, "admin@demo.test", attendre="main, h1")
    for chemin in (*PAGES_ADMIN, *PAGES_COMMUNES):
        trouve += _visiter(page, serveur, chemin)
    page.close()
    assert not trouve, trouve

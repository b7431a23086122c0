"""Browser test of the dashboard: Playwright driving Debian's chromium against a real server
started on demo data (generated and imported by ``suivi-etp demo``; fixtures in
tests/e2e/conftest.py).

Skipped when chromium is absent, unless ``REQUIRE_BROWSER=1`` (CI), which turns that into a
failure. Never ``playwright install``: no network.
"""

from __future__ import annotations

import contextlib
import re

import pytest
from outils_e2e import connecter

pytestmark = pytest.mark.e2e


def _login(navigateur, base: str, email: str):
    return connecter(navigateur, base, email, attendre="#mensuel-kpis-moyen-valeur")


def _attendre_titre(page, titre: str) -> None:
    """Wait until the document's title is ``titre``, then check it (a clear failure message)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with contextlib.suppress(PlaywrightTimeout):  # the assertion says what was seen instead
        page.wait_for_function("t => document.title === t", arg=titre, timeout=10_000)
    assert page.title() == titre


def _texte(page, selector: str) -> str:
    page.wait_for_selector(selector, state="visible")
    return page.inner_text(selector).strip()


def _options(page, select_id: str) -> list[str]:
    """Labels of a select's options (dbc.Select adds a hidden placeholder: left out)."""
    labels = page.eval_on_selector_all(
        f"#{select_id} option:not([hidden])", "els => els.map(e => e.textContent)"
    )
    return [label for label in labels if label]


def test_siae_walks_the_four_tabs_and_changes_the_year(navigateur, serveur):
    page = _login(navigateur, serveur, "siae@demo.test")
    assert page.get_attribute("html", "lang") == "fr"
    # The browser tab names the open tab (set client-side once the tab is rendered).
    _attendre_titre(page, "Effectif mensuel — Suivi ETP")
    assert "Données à jour au" in page.inner_text("body")
    # The SIAE has no territory filter and one of its structures preselected.
    assert not page.is_visible("#filtres-region") and not page.is_visible("#filtres-departement")
    assert page.input_value("#filtres-structure") != ""
    assert re.search(r"annee=2026", page.url) and "structure=" in page.url

    moyen_2026 = _texte(page, "#mensuel-kpis-moyen-valeur")
    assert re.fullmatch(r"\d+,\d\d", moyen_2026)
    page.wait_for_selector("#mensuel-graphique-graph .main-svg")

    page.get_by_role("tab", name="Détail de la consommation mensuelle (en ETP)").click()
    page.wait_for_selector("#detail-mensuel-table td[data-dash-column='mois']")
    assert "2026" in page.inner_text("#detail-mensuel-table")

    page.get_by_role("tab", name="Effectif annuel (en ETP)").click()
    page.wait_for_selector("#annuel-cumul-graph .main-svg")
    _attendre_titre(page, "Effectif annuel — Suivi ETP")
    realise_2026 = _texte(page, "#annuel-kpis-realise-valeur")

    page.get_by_role("tab", name="Détail de la consommation annuelle (en ETP)").click()
    page.wait_for_selector("#detail-annuel-table td[data-dash-column='statut_consommation']")

    # Change the year: the URL follows and the figures change.
    page.get_by_role("tab", name="Effectif annuel (en ETP)").click()
    page.select_option("#filtres-annee", "2024")
    page.wait_for_url(re.compile(r"annee=2024"))
    page.wait_for_function(
        "() => document.querySelector('#annuel-kpis') &&"
        " document.querySelector('#annuel-kpis').textContent.includes('2024')"
    )
    assert _texte(page, "#annuel-kpis-realise-valeur") != realise_2026
    page.get_by_role("tab", name="Effectif mensuel (en ETP)").click()
    page.wait_for_function(
        "() => document.querySelector('#mensuel-kpis') &&"
        " document.querySelector('#mensuel-kpis').textContent.includes('2024')"
    )
    assert _texte(page, "#mensuel-kpis-moyen-valeur") != moyen_2026

    # The bookmarked URL restores the same view.
    page.goto(page.url)
    page.wait_for_selector("#mensuel-kpis-moyen-valeur")
    assert page.input_value("#filtres-annee") == "2024"
    page.close()


def test_dreets_sees_only_occitanie(navigateur, serveur):
    page = _login(navigateur, serveur, "dreets@demo.test")
    page.wait_for_function("() => document.querySelectorAll('#filtres-region option').length > 0")
    assert _options(page, "filtres-region") == ["Toutes les régions", "Occitanie"]
    departements = _options(page, "filtres-departement")[1:]
    occitanie = {"09", "11", "12", "30", "31", "32", "34", "46", "48", "65", "66", "81", "82"}
    assert departements and {d.split(" - ")[0] for d in departements} <= occitanie
    # A forged URL pointing outside the région is refused with a French message.
    page.goto(serveur + "/?annee=2026&departement=35")
    page.wait_for_selector("#filtres-message .alert")
    assert "ont été retirés" in page.inner_text("#filtres-message")
    assert page.input_value("#filtres-departement") == ""
    page.close()


def test_main_page_has_no_serious_accessibility_violation(navigateur, serveur):
    from axe_playwright_python.sync_playwright import Axe

    page = _login(navigateur, serveur, "ddets@demo.test")
    page.wait_for_selector("#mensuel-graphique-graph .main-svg")
    results = Axe().run(page)
    serious = [
        (v["id"], [n["target"] for n in v["nodes"][:3]])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    assert not serious, serious
    page.close()

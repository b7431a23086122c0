"""In chromium (issue 11, points 4, 7 and 8): as ``siae@demo.test`` with its ACI selected,
choosing Type = EI keeps the structure, empties the type and says so in French; the SIAE has no
« Synthèse financeur » tab; the page title is shown once; the detail table has no English text.
"""

from __future__ import annotations

import pytest
from outils_e2e import connecter

pytestmark = pytest.mark.e2e


def _libelle_choisi(page, select_id: str) -> str:
    return page.eval_on_selector(f"#{select_id}", "s => s.options[s.selectedIndex].textContent")


def test_siae_choosing_an_incompatible_type_keeps_its_structure(navigateur, serveur):
    page = connecter(navigateur, serveur, "siae@demo.test", attendre="#mensuel-kpis-moyen-valeur")
    structures = page.eval_on_selector_all(
        "#filtres-structure option:not([hidden])",
        "els => els.map(e => [e.value, e.textContent])",
    )
    potager = next(v for v, label in structures if label.startswith("Potager"))
    page.select_option("#filtres-structure", potager)
    page.wait_for_url(f"**structure={potager}**")
    page.wait_for_function("() => document.querySelector('#mensuel-kpis-moyen-valeur') !== null")

    page.select_option("#filtres-type", "EI")
    message = page.locator("#filtres-message .alert")
    message.wait_for(state="visible")
    texte = message.inner_text()
    assert "« Type de structure » a été vidé" in texte
    assert "EI - Entreprise d'insertion" in texte and "Potager" in texte
    assert "La structure choisie est conservée" in texte
    # Nothing else moved: the structure is the one chosen, the type is back to all types.
    assert page.input_value("#filtres-structure") == potager
    assert _libelle_choisi(page, "filtres-structure").startswith("Potager")
    assert page.input_value("#filtres-type") == ""
    assert f"structure={potager}" in page.url and "type=" not in page.url

    # Point 8: no funders' tab for an SIAE, the page title once.
    assert page.get_by_role("tab", name="Synthèse financeur").count() == 0
    assert page.get_by_text("Suivi des effectifs annuels et mensuels en ETP").count() == 1

    # Point 7: the detail table's filter row speaks French, no English toggle is shown.
    page.get_by_role("tab", name="Détail de la consommation mensuelle (en ETP)").click()
    page.wait_for_selector("#detail-mensuel-table td[data-dash-column='mois']")
    placeholders = page.eval_on_selector_all(
        "#detail-mensuel-table input[placeholder]", "els => els.map(e => e.placeholder)"
    )
    assert placeholders and set(placeholders) == {"Filtrer…"}
    bascules = page.locator("#detail-mensuel-table [title='Toggle filter case sensitivity']")
    assert all(not bascules.nth(i).is_visible() for i in range(bascules.count()))
    assert "ligne" in page.inner_text("#detail-mensuel-resume")
    assert "(s)" not in page.inner_text("body")
    page.close()


def test_a_funder_still_has_the_funders_tab(navigateur, serveur):
    page = connecter(navigateur, serveur, "ddets@demo.test", attendre="#mensuel-kpis-moyen-valeur")
    page.get_by_role("tab", name="Synthèse financeur").click()
    page.wait_for_selector("#financeurs-synthese-enveloppe-valeur")
    page.close()

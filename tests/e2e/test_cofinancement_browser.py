"""Browser test of the "Cofinancement CD" tab as the demo's conseil départemental (31):
its co-financed AFs, their CD share, the monthly bRSA target against bRSA employees, the
download menu, and a sixth tab that never makes the page wider than the screen."""

from __future__ import annotations

import re

import pytest
from outils_e2e import connecter

pytestmark = pytest.mark.e2e


def test_cd_sees_its_cofinancing(navigateur, serveur):
    page = connecter(navigateur, serveur, "cd@demo.test", attendre="#mensuel-kpis-moyen-valeur")
    try:
        largeur = page.evaluate("document.documentElement.clientWidth")
        assert page.evaluate("document.documentElement.scrollWidth") <= largeur
        onglets = page.get_by_role("tab")
        hauts = {round(onglets.nth(i).bounding_box()["y"]) for i in range(onglets.count())}
        assert len(hauts) == 1  # one row (scrolling sideways in its own box when too long)
        page.get_by_role("tab", name="Cofinancement CD").click()
        page.wait_for_selector("#cofinancement-brsa-graph .main-svg")
        montant = page.inner_text("#cofinancement-synthese-montant-cd-valeur")
        assert re.fullmatch(r"[\d\u202f ]+\u00a0€", montant), montant
        # the per-AF table's rows come from its own callback (paginated on the server)
        page.wait_for_selector(
            "#cofinancement-repartition-table td[data-dash-column='numero_annexe_financiere']"
        )
        tableau = page.inner_text("#cofinancement-repartition")
        assert re.search(r"ACI031\d+", tableau)
        assert re.search(r"\d+ annexes?\.", tableau)  # the row count, above the table
        assert "ACI035" not in tableau  # another département's AF
        mois = page.inner_text("#cofinancement-brsa-mois")
        assert "janvier" in mois and "Cible bRSA" in mois
        page.click("#cofinancement-repartition-telecharger button.dropdown-toggle")
        with page.expect_download() as attente:
            page.locator(
                "#cofinancement-repartition-telecharger .dropdown-item", has_text="Excel"
            ).click()
        assert attente.value.suggested_filename.startswith("suivi-etp_repartition-etat-cd_2026")
    finally:
        page.close()

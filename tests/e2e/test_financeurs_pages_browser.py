"""Browser test of a per-AF table of the "Synthèse financeur" tab paginated on the server: as
the demo's DGEFP, the N−1 table shows its first page, then, after a click on the next-page
arrow, the next rows in the order ``etp.pilotage`` computes (read here from the demo database).
"""

from __future__ import annotations

import re

import pytest
from outils_e2e import connecter

from etp import pilotage
from etp.filters import Filtres
from etp.scope import Scope
from layouts import financeurs as vue

pytestmark = pytest.mark.e2e

CELLULES = "#financeurs-n1-table td[data-dash-column='numero_annexe_financiere']"
NUMEROS = "cells => cells.map(c => c.innerText.trim())"


def _numeros(page) -> list[str]:
    return page.eval_on_selector_all(CELLULES, NUMEROS)


def test_dgefp_pages_the_n1_table(navigateur, serveur, base_demo):
    page = connecter(navigateur, serveur, "dgefp@demo.test", attendre="#mensuel-kpis-moyen-valeur")
    try:
        page.get_by_role("tab", name="Synthèse financeur").click()
        page.wait_for_selector(CELLULES)
        titre = page.inner_text("#financeurs-n1 .card-header")
        annee = int(re.search(r"(\d{4}) et \d{4}", titre).group(1))
        attendus = (
            pilotage.charger(base_demo, Scope.everything(), Filtres(annee=annee))
            .comparaison_n1.afs["numero_annexe_financiere"]
            .tolist()
        )
        taille = vue.LIGNES_PAR_PAGE
        assert len(attendus) > taille  # at least two pages
        assert _numeros(page) == attendus[:taille]
        page.click("#financeurs-n1-table button.next-page")
        page.wait_for_function(
            "([sel, premier]) => { const c = document.querySelector(sel);"
            " return c && c.innerText.trim() !== premier; }",
            arg=[CELLULES, attendus[0]],
        )
        assert _numeros(page) == attendus[taille : 2 * taille]
    finally:
        page.close()

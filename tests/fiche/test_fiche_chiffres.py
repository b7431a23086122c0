"""The structure page shows the dashboard's figures for a selection of that one structure.

The dashboard side is read where users read it: the "Effectif annuel" and "Effectif mensuel"
tabs' key-figure tiles (their callbacks, with the filter store ``{"annee": y, "structure": id}``)
and the funders' N−1 card data; the page side is its HTML table, parsed.
"""

from __future__ import annotations

import pytest
from outils_fiche import chiffres_annuels

from callbacks import annuel, financeurs, mensuel
from callbacks import context as ctx
from etp.fiche.presentation import titre_ligne
from etp.filters import Filtres
from etp.formatting import fmt_etp
from layouts import ids


def _valeur(arbre, cible: str):
    """The children of the component whose id is ``cible`` in a Dash component tree."""
    pile = list(arbre) if isinstance(arbre, list) else [arbre]
    while pile:
        c = pile.pop()
        if getattr(c, "id", None) == cible:
            return c.children
        enfants = getattr(c, "children", None)
        if isinstance(enfants, list | tuple):
            pile.extend(enfants)
        elif enfants is not None and not isinstance(enfants, str | int | float):
            pile.append(enfants)
    raise AssertionError(f"no component {cible}")


def _tableau_de_bord(structure_id: int, annee: int) -> dict[str, str]:
    """What the dashboard shows for the selection {annee, structure}: the tabs' tiles and the
    funders' N−1 card values (row title of the page -> text)."""
    etat = {"annee": annee, "structure": structure_id}
    a, m = annuel.contenu(etat), mensuel.contenu(etat)
    n1 = financeurs.donnees(ctx.scope(), Filtres(annee=annee, structure_id=structure_id))
    c = n1.comparaison_n1
    t = titre_ligne
    attendu = {
        t("conventionne.etp_annuel"): _valeur(a, f"{ids.ANNUEL_KPIS}-conventionne-valeur"),
        t("realise.etp_annuel"): _valeur(a, f"{ids.ANNUEL_KPIS}-realise-valeur"),
        t("realise.taux"): _valeur(a, f"{ids.ANNUEL_KPIS}-taux-valeur"),
        t("projection.etp_annuel"): _valeur(a, f"{ids.ANNUEL_KPIS}-projection-valeur"),
        t("conventionne.etp_mensuel"): _valeur(m, f"{ids.MENSUEL_KPIS}-conventionne-valeur"),
        t("realise.etp_mensuel_moyen"): _valeur(m, f"{ids.MENSUEL_KPIS}-moyen-valeur"),
        "montants": str(_valeur(a, f"{ids.ANNUEL_KPIS}-montants")),
    }
    if c.nb_af_comparees:
        attendu[t("n1.realise_n")] = fmt_etp(c.realise_n)
        attendu[t("n1.realise_n1")] = fmt_etp(c.realise_n1)
    return attendu


@pytest.mark.parametrize(
    ("compte", "structure_id", "annees"),
    [
        ("ddets", 101, (2021, 2022)),  # two years, a 10-month AF each year
        ("ddets", 102, (2022,)),
        ("dreets", 103, (2021, 2022)),  # DREETS Grand Est, an AI of the Moselle
        ("siae", 101, (2021, 2022)),  # the SIAE's own page: same figures
    ],
)
def test_chiffres_de_la_page_egaux_au_tableau_de_bord(
    comptes, connecte, en_tant_que, compte, structure_id, annees
):
    page = connecte(comptes[compte]).get(f"/structure/{structure_id}")
    assert page.status_code == 200
    lus = chiffres_annuels(page.text)
    assert sorted(lus) == [2020, 2021, 2022]  # three years on the page, data dated 10/2022
    for annee in annees:
        with en_tant_que(comptes[compte]):
            attendu = _tableau_de_bord(structure_id, annee)
        montants = attendu.pop("montants")
        for titre, valeur in attendu.items():
            assert lus[annee][titre] == valeur, (annee, titre)
        for cle in ("conventionne.montant", "realise.montant"):
            assert lus[annee][titre_ligne(cle)] in montants, (annee, cle, montants)


def test_exemple_du_guide_a_la_main(comptes, connecte):
    """EI 1 of the user guide (domain.md §4), structure 101 in 2022: 28 ETP from March, 5, 10,
    20, 20, 20, 28 validated, as of October: annual 28 × 10 / 12 = 23,33 and 103 / 12 = 8,58
    (37 %), monthly average 103 / 6 = 17,17, sous-consommation."""
    lus = chiffres_annuels(connecte(comptes["ddets"]).get("/structure/101").text)[2022]
    assert lus[titre_ligne("conventionne.etp_mensuel")] == "28,00"
    assert lus[titre_ligne("conventionne.etp_annuel")] == "23,33"
    assert lus[titre_ligne("realise.etp_annuel")] == "8,58"
    assert lus[titre_ligne("realise.taux")].replace("\xa0", " ") == "37 %"
    assert lus[titre_ligne("realise.etp_mensuel_moyen")] == "17,17"
    assert lus[titre_ligne("statut_consommation")].startswith("Sous-consommation")


def test_annee_sans_annexe_dit_pourquoi(comptes, connecte):
    """2020: no AF; each cell says there is nothing rather than 0."""
    lus = chiffres_annuels(connecte(comptes["ddets"]).get("/structure/102").text)
    assert set(lus[2020].values()) == {"–"}
    assert set(lus[2021].values()) == {"–"}

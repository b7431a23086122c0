"""A worker's warm-up draws every tab's charts on its made-up selection (callbacks.demarrage)."""

from __future__ import annotations

from callbacks import demarrage
from etp import pilotage, queries
from etp.filters import Filtres
from etp.scope import Scope


def test_la_selection_d_exemple_a_de_quoi_dessiner_chaque_carte():
    engine = demarrage._selection_exemple()
    try:
        filtres = Filtres(annee=demarrage.ANNEE)
        annuel, mensuel = queries.indicateurs(engine, Scope.everything(), filtres)
        d = pilotage.charger(engine, Scope.everything(), filtres)
    finally:
        engine.dispose()
    assert len(annuel) == 2 and annuel["nb_mois_valides"].min() > 0
    assert mensuel["etat"].isna().any()  # months not entered: the fill-rate chart's states
    assert d.comparaison_n1.nb_af_comparees == 1  # last year's AF of the same number
    assert annuel["departement"].nunique() == 2  # the per-département breakdown is drawn


def test_le_rendu_d_echauffement_va_au_bout():
    demarrage.rendre_une_fois()  # the tests validate every figure (layouts.figures.VALIDER)

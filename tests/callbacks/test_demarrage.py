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


def test_un_worker_gele_ce_qu_il_tient_apres_l_echauffement():
    """In a fresh interpreter (freezing this one would keep the tests' garbage forever): the
    WSGI module, as a gunicorn worker imports it, leaves the boot's objects frozen."""
    import os
    import subprocess
    import sys

    code = "import gc, app.wsgi; print(gc.get_freeze_count())"
    sortie = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env=os.environ | {"SECRET_KEY": "essai-demarrage", "REDIS_URL": ""},
    )
    assert int(sortie.stdout.split()[-1]) > 50_000

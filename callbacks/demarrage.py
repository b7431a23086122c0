"""What a worker does once when it starts: draw every chart of the tabs on a made-up selection.

pandas, NumPy and the ``etp`` code load parts of themselves on first use (the first
« Synthèse financeur » of a fresh gunicorn worker paid ~100 ms of such imports inside a user's
click when its charts were still built with Plotly's classes). Here each tab's content is
rendered once, at boot, from a tiny in-memory SQLite database (two AFs, two years) read by the
same ``etp`` functions and drawn by the same layout functions as the callbacks; nothing of it
is kept, and no real database is touched.

Then everything the worker holds at that point (Dash, Plotly, pandas: some 250,000 objects) is
moved out of the garbage collector's sight (:func:`gc.freeze`): a full collection traversed
them all, and the first national view of a worker paid one or two of those (~110 ms each)
while it built its frames. They live as long as the worker anyway.
"""

from __future__ import annotations

import gc
from datetime import date, datetime

from sqlalchemy import create_engine
from sqlalchemy.orm import Session

from etp import cofinancement, etats_annee, pilotage, queries, synthese
from etp.filters import Filtres
from etp.schema import AnnexeFinanciere, Base, EtatMensuel, Structure
from etp.scope import Scope

ANNEE = 2000


def _selection_exemple():
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    lignes: list[object] = [Structure(id=1, denomination="Exemple")]
    for af_id, annee, debut, numero in (
        (1, ANNEE - 1, date(ANNEE - 1, 1, 1), "ACI001990001"),
        (2, ANNEE, date(ANNEE, 1, 1), "ACI001990001"),
        (3, ANNEE, date(ANNEE, 4, 1), "EI0020000002"),
    ):
        lignes.append(
            AnnexeFinanciere(
                id=af_id, id_avenant_modification=af_id, numero=numero,
                numero_avenant_renouvellement=0, numero_avenant_modification=0, structure_id=1,
                mesure_code="ACI_DC", type_structure="ACI", milieu_penitentiaire=False,
                etat="VALIDE", compte=True, date_debut=debut, date_fin=date(annee, 12, 31),
                annee_debut=annee, annee_fin=annee, etp_postes_insertion=10.0,
                duree_heure_annuel_etp=1820.0, montant_unitaire_annuel=20_000.0,
                montant_total_annuel=200_000.0, mt_cofinance=50_000.0,
                indic_cofinancement=True, departement_code=f"0{af_id % 2 + 1}",
            )
        )  # fmt: skip
        for mois in range(debut.month, 13 if annee < ANNEE else 8):
            lignes.append(
                EtatMensuel(
                    af_id=af_id, annee=annee, mois=mois, heures=1400.0 + mois,
                    etat="VALIDE" if mois < 6 else "SAISI", nb_salaries=9, nb_lignes=9,
                    etats_discordants=False, derniere_creation=datetime(ANNEE, 8, 5),
                )
            )  # fmt: skip
    with Session(engine) as session, session.begin():
        session.add_all(lignes)
        session.flush()
        etats_annee.reconstruire(session.connection())
    return engine


def preparer_worker() -> None:
    """What :mod:`app.wsgi` runs in each worker: the charts drawn once, then the objects of the
    boot frozen out of the collector's generations."""
    rendre_une_fois()
    gc.collect()
    gc.freeze()


def rendre_une_fois() -> None:
    """Render each tab's charts and cards once (see the module's docstring)."""
    from callbacks import annuel, financeurs, mensuel
    from layouts import cofinancement as vue_cofinancement

    engine = _selection_exemple()
    scope, filtres = Scope.everything(), Filtres(annee=ANNEE)
    try:
        annuels, mensuels = queries.indicateurs(engine, scope, filtres)
        tableau = synthese.tableau_de_bord(annuels, mensuels, ANNEE)
        mensuel.vue(tableau)
        annuel.vue(tableau)
        financeurs.cartes(scope, pilotage.charger(engine, scope, filtres))
        d = cofinancement.charger(engine, scope, filtres)
        vue_cofinancement.cartes(
            d.annee, d.as_of, d.totaux(), d.serie(), d.par_af, d.afs_sous_cible()
        )
    finally:
        engine.dispose()

"""The funders' views (issue 6): synthèse territoire, structures à suivre, AFs shorter than
12 months, year-end projections (linear and seasonal), year N−1 at the same date, remplissage
des états mensuels.

Pure computations on ``etp.queries`` frames live in one module per card; :func:`charger` reads
those frames with the user's scope and returns a :class:`DonneesPilotage` exposing every card.
"""

from etp.pilotage.comparaison import comparaison_n1, comparaison_n1_totaux
from etp.pilotage.courtes import afs_courtes, poids_afs_courtes
from etp.pilotage.projection import (
    SEUIL_ECART_METHODES,
    projection_saisonniere_af,
    projections,
    projections_totales,
)
from etp.pilotage.remplissage import RETARD_ALERTE, afs_en_retard, remplissage, retards
from etp.pilotage.service import DonneesPilotage, charger
from etp.pilotage.suivi import structures_a_suivre
from etp.pilotage.synthese import enrichir, repartition_statuts, synthese

__all__ = [
    "RETARD_ALERTE",
    "SEUIL_ECART_METHODES",
    "DonneesPilotage",
    "afs_courtes",
    "afs_en_retard",
    "charger",
    "comparaison_n1",
    "comparaison_n1_totaux",
    "enrichir",
    "poids_afs_courtes",
    "projection_saisonniere_af",
    "projections",
    "projections_totales",
    "remplissage",
    "repartition_statuts",
    "retards",
    "structures_a_suivre",
    "synthese",
]

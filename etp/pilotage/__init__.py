"""The funders' views (issue 6): synthèse territoire, structures à suivre, AFs shorter than
12 months, the projection and the seasonal method, year N−1 like for like, remplissage des
états mensuels.

The figures of a selection come from :mod:`etp.selection` (the aggregation layer); this package
adds the funders' per-AF tables, one module per card. :func:`charger` reads the frames with the
user's scope and returns a :class:`DonneesPilotage` exposing every card.
"""

from etp.pilotage.projection import (
    projections,
    projections_totales,
)
from etp.pilotage.remplissage import afs_en_retard, remplissage, retards
from etp.pilotage.service import DonneesPilotage, charger
from etp.pilotage.suivi import structures_a_suivre
from etp.pilotage.synthese import enrichir, repartition_statuts, synthese
from etp.regles import RETARD_ALERTE, SEUIL_ECART_METHODES

__all__ = [
    "RETARD_ALERTE",
    "SEUIL_ECART_METHODES",
    "DonneesPilotage",
    "afs_en_retard",
    "charger",
    "enrichir",
    "projections",
    "projections_totales",
    "remplissage",
    "repartition_statuts",
    "retards",
    "structures_a_suivre",
    "synthese",
]

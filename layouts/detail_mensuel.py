"""Tab "Détail de la consommation mensuelle (en ETP)": one row per AF × conventioned month."""

from __future__ import annotations

from layouts import ids
from layouts.tables import Colonne, VueDetail, du_catalogue

LIBELLE = "Détail de la consommation mensuelle (en ETP)"

COLONNES: tuple[Colonne, ...] = (
    Colonne("numero_annexe_financiere", "Numéro d'annexe financière"),
    Colonne("structure", "Structure", "structure"),
    Colonne("type_structure", "Type"),
    Colonne("departement_libelle", "Département"),
    Colonne("mois", "Mois", "mois"),
    Colonne("etat", "État", "etat"),
    Colonne("heures", "Heures travaillées", "int"),
    du_catalogue("etp_mensuel_realise", "af.etp_mensuel_realise"),
    du_catalogue("etp_mensuel_conventionne", "af.etp_mensuel_conventionne"),
    du_catalogue("taux_realisation_mensuel", "af.taux_realisation_mensuel"),
)
TRI_DEFAUT = [{"column_id": "numero_annexe_financiere", "direction": "asc"}]


VUE = VueDetail(
    ids.DETAIL_MENSUEL_CONTENU,
    ids.DETAIL_MENSUEL_TABLE,
    ids.DETAIL_MENSUEL_RESUME,
    LIBELLE,
    COLONNES,
    tuple(TRI_DEFAUT),
    "detail_mensuel",
)
layout = VUE.layout

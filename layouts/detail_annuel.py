"""Tab "Détail de la consommation annuelle (en ETP)": one row per AF × year, sorted by gap."""

from __future__ import annotations

from layouts import ids
from layouts.tables import Colonne, VueDetail, du_catalogue

LIBELLE = "Détail de la consommation annuelle (en ETP)"

COLONNES: tuple[Colonne, ...] = (
    Colonne("numero_annexe_financiere", "Numéro d'annexe financière"),
    Colonne("structure", "Structure", "structure"),
    Colonne("type_structure", "Type"),
    Colonne("departement_libelle", "Département"),
    du_catalogue("etp_mensuel_conventionne", "af.etp_mensuel_conventionne"),
    du_catalogue("etp_annuel_conventionne", "af.etp_annuel_conventionne"),
    du_catalogue("etp_annuel_realise", "af.etp_annuel_realise"),
    du_catalogue("taux_realisation_annuel", "af.taux_realisation_annuel"),
    du_catalogue("etp_mensuel_realise_moyen", "af.etp_mensuel_realise_moyen"),
    du_catalogue("statut_consommation", "statut_consommation", "statut"),
    Colonne("ecart_etp_mensuel", "Écart mensuel (ETP)", "ecart"),
    Colonne("ecart_pct", "Écart mensuel (%)", "ecart_pct"),
    Colonne("nb_mois_conventionnes", "Mois conventionnés", "int"),
    Colonne("nb_mois_valides", "Mois validés", "int"),
    du_catalogue("projection_etp_annuel", "af.projection_etp_annuel"),
    du_catalogue("taux_projection_annuel", "projection.taux", "pct"),
    du_catalogue("montant_annuel_conventionne", "conventionne.montant", "euros"),
    du_catalogue("montant_annuel_realise", "realise.montant", "euros"),
    du_catalogue("montant_annuel_projete", "projection.montant", "euros"),
)
TRI_DEFAUT = [{"column_id": "ecart_etp_mensuel", "direction": "asc"}]


VUE = VueDetail(
    ids.DETAIL_ANNUEL_CONTENU,
    ids.DETAIL_ANNUEL_TABLE,
    ids.DETAIL_ANNUEL_RESUME,
    LIBELLE,
    COLONNES,
    tuple(TRI_DEFAUT),
    "detail_annuel",
)
layout = VUE.layout

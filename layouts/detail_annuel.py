"""Tab "Détail de la consommation annuelle (en ETP)": one row per AF × year, sorted by gap."""

from __future__ import annotations

from layouts import ids
from layouts.tables import Colonne, VueDetail

LIBELLE = "Détail de la consommation annuelle (en ETP)"

COLONNES: tuple[Colonne, ...] = (
    Colonne("numero_annexe_financiere", "Numéro d'annexe financière"),
    Colonne("structure", "Structure", "structure"),
    Colonne("type_structure", "Type"),
    Colonne("departement_libelle", "Département"),
    Colonne("etp_mensuel_conventionne", "Conventionné mensuel", "etp"),
    Colonne("etp_annuel_conventionne", "Conventionné annuel", "etp"),
    Colonne("etp_annuel_realise", "Réalisé annuel", "etp"),
    Colonne("taux_realisation_annuel", "% de réalisation", "pct"),
    Colonne("etp_mensuel_realise_moyen", "Réalisé mensuel moyen", "etp"),
    Colonne("statut_consommation", "Consommation", "statut"),
    Colonne("ecart_etp_mensuel", "Écart mensuel (ETP)", "ecart"),
    Colonne("ecart_pct", "Écart mensuel (%)", "ecart_pct"),
    Colonne("nb_mois_conventionnes", "Mois conventionnés", "int"),
    Colonne("nb_mois_valides", "Mois validés", "int"),
    Colonne("projection_etp_annuel", "Projection fin d'année (ETP)", "etp"),
    Colonne("taux_projection_annuel", "Projection (%)", "pct"),
    Colonne("montant_annuel_conventionne", "Montant conventionné (€)", "euros"),
    Colonne("montant_annuel_realise", "Montant réalisé (€)", "euros"),
    Colonne("montant_annuel_projete", "Montant projeté (€)", "euros"),
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

"""Tab "Détail de la consommation mensuelle (en ETP)": one row per AF × conventioned month."""

from __future__ import annotations

from dash import dcc, html

from layouts import components, ids
from layouts.tables import Colonne, detail_table

LIBELLE = "Détail de la consommation mensuelle (en ETP)"

COLONNES: tuple[Colonne, ...] = (
    Colonne("numero_annexe_financiere", "Numéro d'annexe financière"),
    Colonne("structure", "Structure"),
    Colonne("type_structure", "Type"),
    Colonne("departement_libelle", "Département"),
    Colonne("mois", "Mois", "mois"),
    Colonne("etat", "État", "etat"),
    Colonne("heures", "Heures travaillées", "int"),
    Colonne("etp_mensuel_realise", "ETP réalisés", "etp"),
    Colonne("etp_mensuel_conventionne", "ETP conventionnés", "etp"),
    Colonne("taux_realisation_mensuel", "Taux de réalisation", "pct"),
)
TRI_DEFAUT = [{"column_id": "numero_annexe_financiere", "direction": "asc"}]


def layout() -> html.Div:
    """The table exists from the start: its paging/sorting/filtering props are callback inputs."""
    return html.Div(
        components.table_card(
            ids.DETAIL_MENSUEL_TABLE + "-carte",
            LIBELLE,
            dcc.Loading(
                detail_table(ids.DETAIL_MENSUEL_TABLE, COLONNES, TRI_DEFAUT), delay_show=300
            ),
            "detail_mensuel",
            extra=html.Div(id=ids.DETAIL_MENSUEL_RESUME, className="mb-2"),
        ),
        className="pt-3",
        id=ids.DETAIL_MENSUEL_CONTENU,
    )

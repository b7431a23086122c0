"""Tab "Effectif mensuel (en ETP)": key figures, monthly chart, fill rate of monthly states."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from dash import html

from etp.catalogue import titre
from layouts import components, figures, ids

LIBELLE = "Effectif mensuel (en ETP)"


@dataclass(frozen=True)
class ChiffresMensuels:
    """The four key figures, already formatted in French (``etp.formatting``)."""

    conventionne: str
    dernier_realise: str
    dernier_mois: str
    moyen: str
    taux_moyen: str
    statut: str
    statut_code: str | None
    ecart: str


def layout() -> html.Div:
    """Static skeleton; ``callbacks.mensuel`` fills the content for the chosen filters."""
    return components.onglet(ids.MENSUEL_CONTENU)


def statut_badge(statut: str, code: str | None) -> html.Span:
    """The consumption status as a readable, coloured badge (colour is not the only cue)."""
    return html.Span(statut, className=f"badge statut statut-{code or 'aucun'}")


def contenu(
    chiffres: ChiffresMensuels, serie: pd.DataFrame, annee: int, notes: Sequence[str]
) -> list:
    tiles = components.kpi_tiles(
        ids.MENSUEL_KPIS,
        [
            (
                "conventionne",
                titre("conventionne.etp_mensuel"),
                chiffres.conventionne,
                "conventionne.etp_mensuel",
            ),
            (
                "dernier",
                titre("dernier_mois_valide.etp_realise"),
                chiffres.dernier_realise,
                "dernier_mois_valide.etp_realise",
                chiffres.dernier_mois,
            ),
            (
                "moyen",
                titre("realise.etp_mensuel_moyen"),
                chiffres.moyen,
                "realise.etp_mensuel_moyen",
                chiffres.taux_moyen,
            ),
            (
                "statut",
                titre("statut_consommation"),
                statut_badge(chiffres.statut, chiffres.statut_code),
                "statut_consommation",
                chiffres.ecart,
            ),
        ],
    )
    return [
        components.kpi_card(ids.MENSUEL_KPIS, f"Chiffres clés {annee} (en ETP)", tiles),
        components.chart_card(
            ids.MENSUEL_GRAPHIQUE,
            f"Effectif mensuel conventionné et réalisé, {annee}",
            figures.figure_mensuelle(serie, annee),
            "graphique_mensuel",
            notes,
            filename=f"suivi-etp_effectif-mensuel_{annee}",
        ),
        components.chart_card(
            ids.MENSUEL_REMPLISSAGE,
            f"Remplissage des états mensuels, {annee}",
            figures.figure_remplissage(serie),
            "remplissage",
            filename=f"suivi-etp_remplissage_{annee}",
        ),
    ]

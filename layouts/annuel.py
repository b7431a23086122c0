"""Tab "Effectif annuel (en ETP)": key figures and the cumulative consumption chart."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
from dash import html

from etp.catalogue import titre
from layouts import components, figures, ids

LIBELLE = "Effectif annuel (en ETP)"


@dataclass(frozen=True, eq=False)
class ChiffresAnnuels:
    """Key figures formatted in French, plus the raw values the chart needs."""

    conventionne: str
    realise: str
    taux: str
    projection: str
    projection_detail: str
    montants: str
    enveloppe: float
    projection_valeur: float | None
    dernier_mois: int | None
    cumul: pd.DataFrame  # etp.synthese.cumul_annuel


def layout() -> html.Div:
    return components.onglet(ids.ANNUEL_CONTENU)


def contenu(chiffres: ChiffresAnnuels, annee: int, notes: Sequence[str]) -> list:
    tiles = components.kpi_tiles(
        ids.ANNUEL_KPIS,
        [
            (
                "conventionne",
                titre("conventionne.etp_annuel"),
                chiffres.conventionne,
                "conventionne.etp_annuel",
            ),
            ("realise", titre("realise.etp_annuel"), chiffres.realise, "realise.etp_annuel"),
            ("taux", titre("realise.taux"), chiffres.taux, "realise.taux"),
            (
                "projection",
                titre("projection.etp_annuel"),
                chiffres.projection,
                "projection.etp_annuel",
                chiffres.projection_detail,
            ),
        ],
    )
    return [
        components.kpi_card(ids.ANNUEL_KPIS, f"Chiffres clés {annee} (en ETP)", tiles),
        html.P(
            chiffres.montants,
            className="small text-body-secondary",
            id=f"{ids.ANNUEL_KPIS}-montants",
        ),
        components.chart_card(
            ids.ANNUEL_CUMUL,
            f"Consommation annuelle cumulée, {annee}",
            figures.figure_cumul(
                chiffres.cumul,
                chiffres.enveloppe,
                chiffres.projection_valeur,
                chiffres.dernier_mois,
            ),
            "cumul_annuel",
            notes,
            filename=f"suivi-etp_effectif-annuel_{annee}",
        ),
    ]

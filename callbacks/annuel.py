"""Tab "Effectif annuel (en ETP)": filters -> scope -> etp -> key figures, cumulative chart."""

from __future__ import annotations

from typing import Any

import dash
import pandas as pd
from dash import Input, Output
from dash.exceptions import PreventUpdate

from callbacks import context
from etp import synthese
from etp.formatting import fmt_etp, fmt_euros, fmt_pct
from layouts import annuel, components, ids

TAB_ID = "annuel"


def chiffres(t: synthese.ChiffresAnnuels, cumul: pd.DataFrame) -> annuel.ChiffresAnnuels:
    """The key figures of ``etp.synthese`` in French, and the raw values the chart draws."""
    projection_detail = (
        f"{fmt_pct(t.taux_projection_annuel)} du conventionné annuel"
        if t.taux_projection_annuel is not None
        else "Pas de mois validé : projection impossible"
    )
    montants = (
        f"Aide au poste : {fmt_euros(t.montant_annuel_conventionne, 0)} conventionnés, "
        f"{fmt_euros(t.montant_annuel_realise, 0)} réalisés, "
        f"{fmt_euros(t.montant_annuel_projete, 0)} projetés en fin d'année."
    )
    return annuel.ChiffresAnnuels(
        conventionne=fmt_etp(t.etp_annuel_conventionne),
        realise=fmt_etp(t.etp_annuel_realise),
        taux=fmt_pct(t.taux_realisation_annuel),
        projection=fmt_etp(t.projection_etp_annuel),
        projection_detail=projection_detail,
        montants=montants,
        enveloppe=t.etp_annuel_conventionne,
        projection_valeur=t.projection_etp_annuel,
        dernier_mois=t.dernier_mois_realise,
        cumul=cumul,
    )


def contenu(etat: dict[str, Any] | None) -> list:
    scope = context.scope()
    try:
        filtres = context.parse_filtres(etat)
    except context.FiltresInvalides:
        return [components.empty_state("Choisissez une année pour afficher les effectifs.")]
    annuel_df = context.annuels(scope, filtres)
    if annuel_df.empty:
        return [components.empty_state()]
    tb = synthese.tableau_de_bord(annuel_df, context.mensuels(scope, filtres), filtres.annee)
    return annuel.contenu(chiffres(tb.chiffres_annuels(), tb.cumul()), filtres.annee, tb.notes())


def mettre_a_jour(etat: dict[str, Any] | None, onglet: str | None) -> list:
    if onglet != TAB_ID:
        raise PreventUpdate
    return contenu(etat)


def register(app: dash.Dash) -> None:
    app.callback(
        Output(ids.ANNUEL_CONTENU, "children"),
        Input(ids.FILTRES_ETAT, "data"),
        Input(ids.ONGLETS, "active_tab"),
    )(mettre_a_jour)

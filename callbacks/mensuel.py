"""Tab "Effectif mensuel (en ETP)": filters -> scope -> etp -> key figures and charts."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output
from dash.exceptions import PreventUpdate

from callbacks import context, series, synthese
from etp.formatting import fmt_ecart, fmt_etp, fmt_mois, fmt_pct, libelle_statut
from layouts import components, ids, mensuel

TAB_ID = "mensuel"


def chiffres(t: synthese.Totaux, serie: Any, annee: int) -> mensuel.ChiffresMensuels:
    """Key figures in French; the last validated month is the latest with a realised value."""
    dernier = series.dernier_mois_valide(serie)
    if dernier is None:
        dernier_realise, dernier_mois = fmt_etp(None), "Aucun mois validé"
    else:
        ligne = serie[serie["mois"] == dernier].iloc[0]
        dernier_realise = fmt_etp(ligne["etp_realise"])
        dernier_mois = fmt_mois(annee, dernier)
        if ligne["VALIDE"] < ligne["nb_af"]:
            dernier_mois += f" ({ligne['VALIDE']} annexe(s) validée(s) sur {ligne['nb_af']})"
    ecart = (
        f"Écart : {fmt_ecart(t.ecart_etp)} ETP ({fmt_ecart(t.ecart_pct * 100, 0)} %)"
        if t.ecart_etp is not None and t.ecart_pct is not None
        else "Écart : –"
    )
    taux = _ratio(t.etp_mensuel_realise_moyen, t.conventionne_compare)
    return mensuel.ChiffresMensuels(
        conventionne=fmt_etp(t.etp_mensuel_conventionne),
        dernier_realise=dernier_realise,
        dernier_mois=dernier_mois,
        moyen=fmt_etp(t.etp_mensuel_realise_moyen),
        nb_mois_valides=f"{fmt_pct(taux)} du conventionné",
        statut=libelle_statut(t.statut),
        statut_code=t.statut,
        ecart=ecart,
    )


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


def contenu(etat: dict[str, Any] | None) -> list:
    """The tab's content for the filter store ``etat`` and the request user's scope."""
    scope = context.scope()
    try:
        filtres = context.parse_filtres(etat)
    except context.FiltresInvalides:
        return [components.empty_state("Choisissez une année pour afficher les effectifs.")]
    annuel = context.annuels(scope, filtres)
    if annuel.empty:
        return [components.empty_state()]
    mensuel_df = context.mensuels(scope, filtres)
    serie = series.serie_mensuelle(mensuel_df, filtres.annee)
    t = synthese.totaux(annuel)
    return mensuel.contenu(
        chiffres(t, serie, filtres.annee),
        serie,
        filtres.annee,
        synthese.notes(annuel, serie, filtres.annee),
    )


def mettre_a_jour(etat: dict[str, Any] | None, onglet: str | None) -> list:
    if onglet != TAB_ID:
        raise PreventUpdate
    return contenu(etat)


def register(app: dash.Dash) -> None:
    app.callback(
        Output(ids.MENSUEL_CONTENU, "children"),
        Input(ids.FILTRES_ETAT, "data"),
        Input(ids.ONGLETS, "active_tab"),
    )(mettre_a_jour)

"""Tab "Effectif mensuel (en ETP)": filters -> scope -> etp -> key figures and charts."""

from __future__ import annotations

from typing import Any

import dash
from dash import Input, Output
from dash.exceptions import PreventUpdate

from callbacks import context
from etp import synthese
from etp.formatting import fmt_ecart, fmt_etp, fmt_mois, fmt_pct, libelle_statut
from layouts import components, ids, mensuel

TAB_ID = "mensuel"


def chiffres(c: synthese.ChiffresMensuels, annee: int) -> mensuel.ChiffresMensuels:
    """The key figures of ``etp.synthese`` in French (the export writes the same values)."""
    if c.dernier_mois_valide is None:
        dernier_mois = "Aucun mois validé"
    else:
        dernier_mois = fmt_mois(annee, c.dernier_mois_valide)
        if c.nb_af_valides_dernier_mois < c.nb_af_dernier_mois:
            dernier_mois += (
                f" ({c.nb_af_valides_dernier_mois} annexe(s) validée(s) sur {c.nb_af_dernier_mois})"
            )
    ecart = (
        f"Écart : {fmt_ecart(c.ecart_etp)} ETP ({fmt_ecart(c.ecart_pct * 100, 0)} %)"
        if c.ecart_etp is not None and c.ecart_pct is not None
        else "Écart : –"
    )
    return mensuel.ChiffresMensuels(
        conventionne=fmt_etp(c.etp_mensuel_conventionne),
        dernier_realise=fmt_etp(c.etp_mensuel_realise_dernier_mois),
        dernier_mois=dernier_mois,
        moyen=fmt_etp(c.etp_mensuel_realise_moyen),
        taux_moyen=f"{fmt_pct(c.taux_moyen)} du conventionné",
        statut=libelle_statut(c.statut),
        statut_code=c.statut,
        ecart=ecart,
    )


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
    tb = synthese.tableau_de_bord(annuel, context.mensuels(scope, filtres), filtres.annee)
    return mensuel.contenu(
        chiffres(tb.chiffres_mensuels(), filtres.annee), tb.serie, filtres.annee, tb.notes()
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

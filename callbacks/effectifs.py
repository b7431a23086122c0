"""Shared wiring of the two "Effectif" tabs: filters -> scope -> ``etp.synthese`` -> content.

Both tabs show the same selection's figures (:class:`etp.synthese.TableauDeBord`), computed
once from the scoped, cached ``etp.queries`` reads; each tab only formats its part.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import dash
from dash import Output

from callbacks import context
from etp import synthese
from etp.filters import Filtres
from etp.scope import Scope
from layouts import components

Vue = Callable[[synthese.TableauDeBord], list]


def contenu(etat: dict[str, Any] | None, vue: Vue) -> list:
    """The tab's content for the filter store ``etat`` and the request user's scope (rendered
    once per scope, filters and data version: ``context.vue``)."""
    filtres = context.filtres_ou_none(etat)
    if filtres is None:
        return [components.invite_annee("les effectifs", context.scope().is_empty())]
    return rendu(context.scope(), filtres, vue)


def rendu(scope: Scope, filtres: Filtres, vue: Vue) -> list:
    """The tab's content for a scope already resolved (the callback, the login's preload)."""
    nom = getattr(vue, "__module__", "") + "." + getattr(vue, "__qualname__", repr(vue))
    return context.vue(nom, scope, filtres, lambda: _rendre(scope, filtres, vue))


def _rendre(scope: Scope, filtres: Filtres, vue: Vue) -> list:
    annuel = context.annuels(scope, filtres)
    if annuel.empty:
        return [components.empty_state()]
    return vue(tableau_de_bord(scope, filtres))


def tableau_de_bord(scope: Scope, filtres: Filtres) -> synthese.TableauDeBord:
    """The selection's figures, computed once for both tabs (kept in the worker's memory)."""
    return context.memoire(
        "tableau_de_bord",
        scope,
        filtres,
        lambda: synthese.tableau_de_bord(
            context.annuels(scope, filtres), context.mensuels(scope, filtres), filtres.annee
        ),
    )


def register(app: dash.Dash, tab_id: str, output_id: str, fonction: Callable[..., list]) -> None:
    """``fonction(etat)`` fills ``output_id`` when the filters change and the tab is active."""
    app.callback(
        Output(output_id, "children"),
        context.selection_onglet(tab_id),
        prevent_initial_call=context.PAS_AU_CHARGEMENT,
    )(context.pour_onglet(fonction))

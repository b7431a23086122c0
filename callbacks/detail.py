"""Shared wiring of the two detail tabs: one callback per table, paginated on the server."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import dash
import pandas as pd
from dash import Input, Output, html
from dash.exceptions import PreventUpdate

from callbacks import context, tables
from etp.filters import Filtres
from etp.formatting import fmt_nombre
from etp.scope import Scope
from layouts import components, ids
from layouts.tables import Colonne

Source = Callable[[Scope, Filtres], pd.DataFrame]


def avec_structure(df: pd.DataFrame) -> pd.DataFrame:
    """Adds the ``structure`` column shown as "NAME - SIRET" (the filter's wording)."""
    df = df.copy()
    nom = df["structure_denomination"].fillna(df["structure_id"].astype(str))
    siret = df["siret"].fillna("")
    df["structure"] = nom.where(siret == "", nom + " - " + siret)
    return df


def reponse(
    source: Source,
    colonnes: Sequence[Colonne],
    etat: dict[str, Any] | None,
    page_current: int | None,
    page_size: int | None,
    sort_by: list[dict[str, str]] | None,
    filter_query: str | None,
) -> tuple[list[dict[str, str]], int, int, Any]:
    """(rows of the page, page count, current page, summary) for the request user's scope."""
    scope = context.scope()
    try:
        filtres = context.parse_filtres(etat)
    except context.FiltresInvalides:
        return [], 0, 0, components.empty_state("Choisissez une année pour afficher le détail.")
    df = source(scope, filtres)
    if df.empty:
        return [], 0, 0, components.empty_state()
    if context.declencheur() == ids.FILTRES_ETAT:
        page_current = 0
    p = tables.page(df, colonnes, filtres.annee, filter_query, sort_by, page_current, page_size)
    current = min(max(int(page_current or 0), 0), p.page_count - 1)
    resume = html.P(
        f"{fmt_nombre(p.nb_lignes)} ligne(s)"
        + (
            f" sur {fmt_nombre(len(df))} après filtrage du tableau"
            if p.nb_lignes != len(df)
            else ""
        )
        + ". Cliquez sur un titre de colonne pour trier ; tapez dans la ligne « Filtrer… » "
        "(par exemple « > 20 » ou « sous »).",
        className="small text-body-secondary mb-0",
    )
    return p.data, p.page_count, current, resume


def register_table(
    app: dash.Dash,
    tab_id: str,
    table_id: str,
    resume_id: str,
    source: Source,
    colonnes: Sequence[Colonne],
) -> Callable[..., Any]:
    """Registers the table's callback and returns the plain function (for tests)."""

    def mettre_a_jour(
        etat: dict[str, Any] | None,
        onglet: str | None,
        page_current: int | None,
        page_size: int | None,
        sort_by: list[dict[str, str]] | None,
        filter_query: str | None,
    ) -> tuple:
        if onglet != tab_id:
            raise PreventUpdate
        return reponse(source, colonnes, etat, page_current, page_size, sort_by, filter_query)

    app.callback(
        Output(table_id, "data"),
        Output(table_id, "page_count"),
        Output(table_id, "page_current"),
        Output(resume_id, "children"),
        Input(ids.FILTRES_ETAT, "data"),
        Input(ids.ONGLETS, "active_tab"),
        Input(table_id, "page_current"),
        Input(table_id, "page_size"),
        Input(table_id, "sort_by"),
        Input(table_id, "filter_query"),
    )(mettre_a_jour)
    return mettre_a_jour

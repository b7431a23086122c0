"""Shared wiring of the tables paginated on the server: one callback per table.

The two detail tabs (sorted and filtered on the server, :class:`TableauDetail`) and the per-AF
tables of the funders' and co-financing tabs (:class:`TableParPage`: rows in the order computed
by ``etp``, no sorting). Each answer carries the rows of one page only, computed from the tab's
cached ``etp`` read with the scope of the session."""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import dash
import pandas as pd
from dash import Input, Output, html

from callbacks import context, tables
from etp.filters import Filtres
from etp.formatting import fmt_compte, fmt_nombre
from etp.scope import Scope
from layouts import components, ids, tabs
from layouts.tables import TAILLE_PAGE, Colonne, VueDetail

Source = Callable[[Scope, Filtres], pd.DataFrame]
Formater = Callable[[pd.DataFrame], list[dict[str, str]]]


#: The inputs that bring a table other filters: the tabs' selection stores (each table is fired
#: by its own tab's).
SELECTIONS: frozenset[str] = frozenset(ids.selection_onglet(o.tab_id) for o in tabs.TABS)


def page_demandee(page_current: Any, nouvelle_selection: Collection[Any]) -> Any:
    """The page asked for: the first one when the callback was fired by one of the inputs
    ``nouvelle_selection`` (other filters: other rows), else ``page_current`` as sent."""
    return 0 if context.declencheur() in nouvelle_selection else page_current


def avec_structure(df: pd.DataFrame) -> pd.DataFrame:
    """Adds the ``structure`` column shown as "NAME - SIRET" (the filter's wording), worded once
    per structure (a national monthly table repeats each one a hundred times or more)."""
    if df["structure_id"].isna().any():
        return df.assign(structure=_libelles(df))
    uniques = df.drop_duplicates("structure_id")
    libelles = dict(zip(uniques["structure_id"].tolist(), _libelles(uniques), strict=True))
    return df.assign(structure=df["structure_id"].map(libelles).astype("str"))


def _libelles(df: pd.DataFrame) -> list[str]:
    nom = df["structure_denomination"].fillna(df["structure_id"].astype(str))
    siret = df["siret"].fillna("")
    return nom.where(siret == "", nom + " - " + siret).tolist()


def lignes_annuelles(annuel: pd.DataFrame) -> pd.DataFrame:
    """The annual detail table's rows (one per AF), screen and export alike."""
    return avec_structure(annuel)


def lignes_mensuelles(mensuel: pd.DataFrame) -> pd.DataFrame:
    """The monthly detail table's rows: AF × conventioned month, screen and export alike."""
    return avec_structure(mensuel[mensuel["conventionne"]])


def donnees_annuelles(scope: Scope, filtres: Filtres) -> pd.DataFrame:
    """Rows of the annual detail tab: one per AF (the same cached ``etp`` call as the cards)."""
    return lignes_annuelles(context.annuels(scope, filtres))


def donnees_mensuelles(scope: Scope, filtres: Filtres) -> pd.DataFrame:
    """Rows of the monthly detail tab: AF × conventioned month (the charts' ``etp`` call)."""
    return lignes_mensuelles(context.mensuels(scope, filtres))


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
    filtres = context.filtres_ou_none(etat)
    if filtres is None:
        return [], 0, 0, components.invite_annee("le détail", context.scope().is_empty())
    scope = context.scope()
    nom = getattr(source, "__name__", "")
    df = context.memoire(f"lignes:{nom}", scope, filtres, lambda: source(scope, filtres))
    if df.empty:
        return [], 0, 0, components.empty_state()
    page_current = page_demandee(page_current, SELECTIONS)
    if tables.parse_filter_query(filter_query):
        vue = tables.filtrer_trier(df, colonnes, filtres.annee, filter_query, sort_by)
    else:
        # Unfiltered, the order of the rows is memoized per sort (known columns only), shared
        # by the workers: turning a page of the national monthly table (58,000 rows) no longer
        # sorts it again, and the order (positions) weighs a fraction of the rows themselves.
        tri = tables.tri_normalise(colonnes, sort_by)
        ordre = context.vue(
            f"ordre:{nom}:{tri!r}",
            scope,
            filtres,
            lambda: tables.ordre_de_tri(df, colonnes, filtres.annee, sort_by),
        )
        if len(ordre) != len(df):  # never expected (same data version, same rows): re-sort
            ordre = tables.ordre_de_tri(df, colonnes, filtres.annee, sort_by)
        vue = df.iloc[ordre]
    p = tables.page_de(vue, colonnes, filtres.annee, page_current, page_size)
    resume = html.P(
        fmt_compte(p.nb_lignes, "ligne")
        + (
            f" sur {fmt_nombre(len(df))} après filtrage du tableau"
            if p.nb_lignes != len(df)
            else ""
        )
        + ". Cliquez sur un titre de colonne pour trier ; tapez dans la ligne « Filtrer… » "
        "(par exemple « > 20 » ou « sous »).",
        className="small text-body-secondary mb-0",
    )
    return p.data, p.page_count, p.page_current, resume


@dataclass(frozen=True)
class TableauDetail:
    """The callbacks of one detail tab: its view (``layouts.tables.VueDetail``) and the
    ``source`` of its rows."""

    tab_id: str
    vue: VueDetail
    source: Source

    def reponse(
        self,
        etat: dict[str, Any] | None,
        page_current: int | None = 0,
        page_size: int | None = TAILLE_PAGE,
        sort_by: list[dict[str, str]] | None = None,
        fq: str | None = "",
    ) -> tuple[list[dict[str, str]], int, int, Any]:
        """The table's answer (plain function for tests; the default sort when none)."""
        tri = list(sort_by) if sort_by is not None else list(self.vue.tri_defaut)
        return reponse(self.source, self.vue.colonnes, etat, page_current, page_size, tri, fq)

    def register(self, app: dash.Dash) -> None:
        table = self.vue.table_id
        app.callback(
            Output(table, "data"),
            Output(table, "page_count"),
            Output(table, "page_current"),
            Output(self.vue.resume_id, "children"),
            context.selection_onglet(self.tab_id),
            Input(table, "page_current"),
            Input(table, "page_size"),
            Input(table, "sort_by"),
            Input(table, "filter_query"),
            prevent_initial_call=context.PAS_AU_CHARGEMENT,
        )(context.pour_onglet(partial(reponse, self.source, self.vue.colonnes)))


@dataclass(frozen=True)
class TableParPage:
    """A per-AF table of a tab's card, paginated on the server without sorting or filtering:
    ``source`` gives every row in the order shown, ``formater`` the French cells of a page's
    rows. The table itself is drawn, empty, by the tab's content callback
    (``layouts.financeurs.table`` without data)."""

    tab_id: str
    table_id: str
    source: Callable[[Scope, Filtres], pd.DataFrame]
    formater: Formater
    taille_defaut: int
    taille_max: int = tables.MAX_PAGE_CARTE
    #: Run before the rows are read (the tab's :func:`callbacks.context.onglet`, which
    #: computes them with the tab's other views), ``None``: nothing.
    prealable: Callable[[Scope, Filtres], Any] | None = None

    def reponse(
        self, etat: dict[str, Any] | None, page_current: Any = 0, page_size: Any = None
    ) -> tuple[list[dict[str, str]], int, int]:
        """(rows of the page, page count, current page) for the request user's scope."""
        filtres = context.filtres_ou_none(etat)
        if filtres is None:
            return [], 0, 0
        frame = self.lignes(context.scope(), filtres)
        page_current = page_demandee(page_current, SELECTIONS)
        t = tables.tranche(frame, page_current, page_size, self.taille_defaut, self.taille_max)
        return self.formater(t.lignes), t.page_count, t.page_current

    def lignes(self, scope: Scope, filtres: Filtres) -> pd.DataFrame:
        """Every row of the table for a scope already resolved, memoized per (scope, filters):
        turning a page reads it back, without recomputing it from the tab's data (seasonal
        projections, N−1: tenths of a second at national scope)."""
        if self.prealable is not None:
            self.prealable(scope, filtres)
        return self.calculer_lignes(scope, filtres)

    def calculer_lignes(self, scope: Scope, filtres: Filtres) -> pd.DataFrame:
        """:meth:`lignes` without :attr:`prealable` (what the tab's whole computation calls)."""
        return context.vue(
            f"table:{self.table_id}", scope, filtres, lambda: self.source(scope, filtres)
        )

    def register(self, app: dash.Dash) -> None:
        table = self.table_id
        app.callback(
            Output(table, "data"),
            Output(table, "page_count"),
            Output(table, "page_current"),
            context.selection_onglet(self.tab_id),
            Input(table, "page_current"),
            Input(table, "page_size"),
        )(context.pour_onglet(self.reponse))


def tables_par_page(
    tab_id: str,
    donnees: Callable[[Scope, Filtres], Any],
    formater: Callable[[pd.DataFrame, Any], list[dict[str, str]]],
    taille_defaut: int,
    specs: Sequence[tuple[str, Any, Callable[[Any], pd.DataFrame]]],
    prealable: Callable[[Scope, Filtres], Any] | None = None,
) -> dict[str, TableParPage]:
    """The per-AF tables of a tab's cards, by table id: ``specs`` gives, for each, its id, its
    columns (passed to ``formater`` with a page's rows) and how its rows come out of the tab's
    cached data (``donnees(scope, filtres)``); ``prealable``: see :class:`TableParPage`."""

    def table(table_id: str, colonnes: Any, rows: Callable[[Any], pd.DataFrame]) -> TableParPage:
        return TableParPage(
            tab_id,
            table_id,
            lambda scope, filtres: rows(donnees(scope, filtres)),
            lambda frame: formater(frame, colonnes),
            taille_defaut,
            prealable=prealable,
        )

    return {table_id: table(table_id, colonnes, rows) for table_id, colonnes, rows in specs}

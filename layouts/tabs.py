"""The tabs of the dashboard, in display order. Adding a tab is one line in ``TABS`` (and its
``register`` in ``callbacks/__init__.py``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from dash import html

from layouts import annuel, cofinancement, detail_annuel, detail_mensuel, financeurs, mensuel


@dataclass(frozen=True)
class Onglet:
    tab_id: str
    label: str
    layout: Callable[[], html.Div]


TABS: list[Onglet] = [
    Onglet("mensuel", mensuel.LIBELLE, mensuel.layout),
    Onglet("detail-mensuel", detail_mensuel.LIBELLE, detail_mensuel.layout),
    Onglet("annuel", annuel.LIBELLE, annuel.layout),
    Onglet("detail-annuel", detail_annuel.LIBELLE, detail_annuel.layout),
    Onglet("financeurs", financeurs.LIBELLE, financeurs.layout),
    Onglet(cofinancement.TAB_ID, cofinancement.LIBELLE, cofinancement.layout),
]
DEFAUT = TABS[0].tab_id
#: Tabs in the funders' vocabulary (structures à suivre, crédits non consommés…): an SIAE, which
#: only sees its own structures, does not get them (issue 11, point 8).
FINANCEURS_SEULEMENT: frozenset[str] = frozenset({"financeurs"})


def onglets_pour(show_territoire: bool) -> list[Onglet]:
    """The tabs a user gets: all of them for a territorial scope (DDETS, CD, DREETS, DGEFP),
    without the funders' synthesis for an SIAE."""
    return [o for o in TABS if show_territoire or o.tab_id not in FINANCEURS_SEULEMENT]


APPLICATION = "Suivi ETP"


def titre_page(tab_id: str | None) -> str:
    """The browser tab's title for the open tab: "Effectif mensuel — Suivi ETP" (the unit of
    the tab label is dropped, a title must stay short); the application's name otherwise."""
    libelle = next((o.label for o in TABS if o.tab_id == tab_id), None)
    if libelle is None:
        return APPLICATION
    return f"{libelle.removesuffix(' (en ETP)')} — {APPLICATION}"


#: tab id -> browser title, for the clientside callback that sets ``document.title``.
TITRES_PAGE: dict[str, str] = {o.tab_id: titre_page(o.tab_id) for o in TABS}

"""Which tab's callbacks a change of filters or of tab fires: only the open tab's, in the browser.

Each tab's callbacks take the tab's selection store (``ids.selection_onglet``) as their input,
never the filter store itself. A clientside callback per tab copies the filter store into it
when the tab is open and its filters differ from the ones the tab last drew:

- a change of filters fires the open tab's callbacks only: the hidden tabs get theirs when
  they are opened (a request each that said « not this tab » cost 5-10 ms of a worker, and a
  change of year sent a dozen of them beside the one that computes);
- coming back to a tab whose filters did not change sends nothing: its content, its table
  pages and sorts are still there.

The server still trusts nothing of it: the store's ``etat`` is checked like the filter store
(``context.filtres_ou_none``) within the session's scope.
"""

from __future__ import annotations

import json

import dash
from dash import Input, Output, State

from layouts import ids, tabs

#: ``(tab, filters, tab open, selection drawn) -> new selection or no update``.
SELECTION_JS = (
    "function (onglet, etat, ouvert, montre) {\n"
    "    var rien = window.dash_clientside.no_update;\n"
    "    if (ouvert !== onglet) { return rien; }\n"
    "    var valeur = etat === undefined ? null : etat;\n"
    "    if (montre && JSON.stringify(montre.etat) === JSON.stringify(valeur)) { return rien; }\n"
    "    return {etat: valeur};\n"
    "}\n"
)


def selection_js(tab_id: str) -> str:
    """The clientside callback of ``tab_id``'s selection store (:data:`SELECTION_JS` bound to
    the tab)."""
    return (
        "function (etat, ouvert, montre) {\n"
        f"    return ({SELECTION_JS.strip()})({json.dumps(tab_id)}, etat, ouvert, montre);\n"
        "}\n"
    )


def register(app: dash.Dash) -> None:
    for onglet in tabs.TABS:
        store = ids.selection_onglet(onglet.tab_id)
        app.clientside_callback(
            selection_js(onglet.tab_id),
            Output(store, "data"),
            Input(ids.FILTRES_ETAT, "data"),
            Input(ids.ONGLETS, "active_tab"),
            State(store, "data"),
        )

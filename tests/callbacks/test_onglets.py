"""Only the open tab's callbacks run: each tab's selection store, written in the browser."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from callbacks import onglets
from layouts import ids, tabs

ETAT = {"annee": 2025, "departement": "35"}
AUTRE = {"annee": 2024, "departement": "35"}
RIEN = "pas de mise à jour"


def _selection(tab_id: str, etat, ouvert, montre):
    """What the browser's callback of ``tab_id`` returns (:data:`RIEN`: no update)."""
    script = (
        f"var window = {{dash_clientside: {{no_update: {json.dumps(RIEN)}}}}};\n"
        f"var f = {onglets.selection_js(tab_id)};\n"
        f"var r = f({json.dumps(etat)}, {json.dumps(ouvert)}, {json.dumps(montre)});\n"
        "process.stdout.write(JSON.stringify(r));\n"
    )
    sortie = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    return json.loads(sortie.stdout)


@pytest.mark.skipif(shutil.which("node") is None, reason="node is needed to run the JS")
def test_the_selection_follows_the_filters_only_on_the_open_tab():
    # a hidden tab: nothing, whatever the filters
    assert _selection("annuel", ETAT, "mensuel", None) == RIEN
    assert _selection("annuel", AUTRE, "mensuel", {"etat": ETAT}) == RIEN
    # the open tab, first drawn or with other filters: the filters
    assert _selection("annuel", ETAT, "annuel", None) == {"etat": ETAT}
    assert _selection("annuel", AUTRE, "annuel", {"etat": ETAT}) == {"etat": AUTRE}
    # back to a tab whose filters did not change: nothing (its content is still there)
    assert _selection("annuel", ETAT, "annuel", {"etat": dict(ETAT)}) == RIEN
    # no filters yet (no year in the data): the tab is drawn once, and asks for a year
    assert _selection("annuel", None, "annuel", None) == {"etat": None}
    assert _selection("annuel", None, "annuel", {"etat": None}) == RIEN


def test_each_tab_has_its_selection_store_and_its_browser_callback(app):
    magasins = {
        c.id
        for c in _composants(app.layout())
        if str(getattr(c, "id", "")).startswith("selection-")
    }
    assert magasins == {ids.selection_onglet(o.tab_id) for o in tabs.TABS}
    for onglet in tabs.TABS:
        store = ids.selection_onglet(onglet.tab_id)
        ecrit = [c for c in app._callback_list if c["output"] == f"{store}.data"]
        assert len(ecrit) == 1 and ecrit[0].get("clientside_function"), onglet.tab_id


def test_no_server_callback_runs_on_a_mere_change_of_tab_but_the_filter_bar(app):
    """The tabs' computations take their selection store, never the filter store or the
    active tab: a click on a tab sends the filter bar's request (the URL) and, when the
    tab's filters changed, the tab's own."""
    serveur = [c for c in app._callback_list if not c.get("clientside_function")]
    sur_onglet = [c["output"] for c in serveur if _entree(c, ids.ONGLETS, "active_tab")]
    assert len(sur_onglet) == 1 and f"{ids.URL}.search" in sur_onglet[0]
    for onglet in tabs.TABS:
        store = ids.selection_onglet(onglet.tab_id)
        siens = [c for c in serveur if _entree(c, store, "data")]
        assert siens, onglet.tab_id
        for c in siens:
            assert c["inputs"][0] == {"id": store, "property": "data"}
            assert not _entree(c, ids.FILTRES_ETAT, "data"), c["output"]


def _entree(callback: dict, comp_id: str, prop: str) -> bool:
    return {"id": comp_id, "property": prop} in callback["inputs"]


def _composants(page):
    """Every component of the page's layout (Dash's own walk)."""
    yield page
    yield from page._traverse()


def test_the_first_load_calls_no_tab_callback_and_inserted_tables_still_fill(app):
    """A tab's callback whose components are all in the page from the start is not called at
    the first load (its selection store is empty: it would draw « Choisissez une année » in a
    hidden tab); one whose table is inserted with a tab's content is called on insertion (that
    call fills the table)."""
    presents = {c.id for c in _composants(app.layout()) if isinstance(getattr(c, "id", None), str)}
    for c in app._callback_list:
        entrees = {i["id"] for i in c["inputs"]}
        if c.get("clientside_function") or not any(
            str(i).startswith("selection-") for i in entrees
        ):
            continue
        if entrees <= presents:
            assert c.get("prevent_initial_call"), c["output"]
        else:
            assert not c.get("prevent_initial_call"), c["output"]

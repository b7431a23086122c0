"""The browser tab's title says which tab is open ("Effectif mensuel — Suivi ETP")."""

from __future__ import annotations

import json
import shutil
import subprocess

import pytest

from callbacks import page
from layouts import ids, tabs


def test_title_of_each_tab():
    assert tabs.titre_page("mensuel") == "Effectif mensuel — Suivi ETP"
    assert tabs.titre_page("annuel") == "Effectif annuel — Suivi ETP"
    assert tabs.titre_page("detail-mensuel") == ("Détail de la consommation mensuelle — Suivi ETP")
    assert tabs.titre_page("financeurs") == "Synthèse financeur — Suivi ETP"
    assert tabs.titre_page("<script>") == tabs.titre_page(None) == "Suivi ETP"
    assert set(tabs.TITRES_PAGE) == {o.tab_id for o in tabs.TABS}


def test_title_follows_the_active_tab(app):
    """The clientside callback is registered on the active tab of this app."""
    entree = next(c for c in app._callback_list if c["output"] == f"{ids.TITRE_PAGE}.data")
    assert entree["inputs"] == [{"id": ids.ONGLETS, "property": "active_tab"}]
    assert entree.get("clientside_function")


@pytest.mark.skipif(shutil.which("node") is None, reason="node is needed to run the JS")
@pytest.mark.parametrize("onglet", [*tabs.TITRES_PAGE, "inconnu"])
def test_clientside_function_sets_document_title(onglet):
    script = (
        "var document = {title: 'avant'};\n"
        f"var f = {page.TITRE_JS};\n"
        f"var r = f({json.dumps(onglet)});\n"
        "process.stdout.write(JSON.stringify([r, document.title]));\n"
    )
    sortie = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    attendu = tabs.titre_page(onglet)
    assert json.loads(sortie.stdout) == [attendu, attendu]

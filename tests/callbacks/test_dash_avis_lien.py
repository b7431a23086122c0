"""The « Donner votre avis » link names the open tab and the view to come back to."""

from __future__ import annotations

import json
import subprocess
from urllib.parse import parse_qs, urlsplit

import pytest

from callbacks import page
from layouts import ids


def test_link_follows_tab_and_url(app):
    entree = next(c for c in app._callback_list if c["output"] == f"{ids.AVIS_LIEN}.href")
    assert entree["inputs"] == [
        {"id": ids.ONGLETS, "property": "active_tab"},
        {"id": ids.URL, "property": "search"},
    ]


@pytest.mark.parametrize(
    ("onglet", "search", "retour"),
    [
        ("annuel", "?annee=2026&departement=35", "/?annee=2026&departement=35"),
        ("financeurs", "", "/"),
        (None, None, "/"),
    ],
)
def test_clientside_function_builds_the_href(onglet, search, retour):
    script = (
        f"var f = {page.AVIS_JS};\n"
        f"process.stdout.write(f({json.dumps(onglet)}, {json.dumps(search)}));\n"
    )
    href = subprocess.run(["node", "-e", script], capture_output=True, text=True, check=True)
    parts = urlsplit(href.stdout)
    assert parts.path == "/avis"
    query = parse_qs(parts.query, keep_blank_values=True)
    assert query["onglet"] == [onglet or ""]
    assert query["retour"] == [retour]

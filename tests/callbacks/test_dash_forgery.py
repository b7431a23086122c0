"""Forged requests to every data callback: whatever the browser sends, nothing out of the
user's scope comes back (flaskr's ``test_author_required``, for Dash).

The requests are built by hand and posted to ``/_dash-update-component`` through the test
client after a real login; answers are decoded (Plotly may base64-encode arrays) before the
assertions.
"""

from __future__ import annotations

import json

import pytest
from outils_dash import dash_post, decode

from layouts import ids

# What belongs to structure 2 (Occitanie, 31) and structure 3 (35, not the SIAE's).
OCCITANIE = ("Chantier Occitan", "ACI031220002", "98765432100022", "41,50", "41.5", "43.25")
RENNAIS = ("Atelier Rennais", "ACI035220003", "11122233300033")

FORGES = [
    {"annee": 2022, "structure": 2},
    {"annee": 2022, "structure": "2"},
    {"annee": 2022, "af": "ACI031220002"},
    {"annee": 2022, "departement": "31"},
    {"annee": 2022, "region": "76"},
    {"annee": 2022, "region": "76", "departement": "31", "structure": 2, "type": "ACI"},
    {"annee": "2022 OR 1=1"},
    {"annee": 2022, "structure": "2 OR 1=1"},
    {"annee": 2022, "structure": {"$ne": 0}},
    {"annee": [2021, 2022]},
    {"annee": 2022, "af": "' OR ''='"},
]

TABS = {
    "mensuel": (ids.MENSUEL_CONTENU, {}),
    "annuel": (ids.ANNUEL_CONTENU, {}),
    "detail-mensuel": (ids.DETAIL_MENSUEL_TABLE, {"table": ids.DETAIL_MENSUEL_TABLE}),
    "detail-annuel": (ids.DETAIL_ANNUEL_TABLE, {"table": ids.DETAIL_ANNUEL_TABLE}),
}
# What a DDETS 35 does see for 2022 (EI Exemple + Atelier Rennais): the positive control.
TEMOINS = {
    "mensuel": "34,00",  # 28 + 6 ETP conventioned per month
    "annuel": "29,33",  # 23,33 + 6 annual conventioned
    # detail tables name a structure as a markdown link to its page
    "detail-mensuel": "[EI Exemple - 12345678900011](/structure/1)",
    "detail-annuel": "[Atelier Rennais - 11122233300033](/structure/3)",
}
# What the SIAE of structure 1 sees for 2022 (the worked example only): its control.
TEMOINS_SIAE = {
    "mensuel": "17,17",  # the worked example's monthly average, 103 / 6
    "annuel": "23,33",  # 28 × 10 / 12
    "detail-mensuel": "EI Exemple - 12345678900011",
    "detail-annuel": "EI Exemple - 12345678900011",
}


def _inputs(tab: str, etat) -> dict:
    _, extra = TABS[tab]
    values = {(ids.selection_onglet(tab), "data"): {"etat": etat}}
    if "table" in extra:
        table = extra["table"]
        values.update(
            {
                (table, "page_current"): 0,
                (table, "page_size"): 200,
                (table, "sort_by"): [],
                (table, "filter_query"): "",
            }
        )
    return values


def _answer(client, app, tab: str, etat) -> str:
    response = dash_post(client, app, TABS[tab][0], _inputs(tab, etat))
    assert response.status_code == 200, response.text
    return json.dumps(decode(response.get_json()), ensure_ascii=False)


@pytest.fixture
def ddets_client(app, client, monde, make_user, login):
    make_user("ddets@test.fr", "ddets", departement="35")
    assert login(client, "ddets@test.fr").status_code == 302
    return client


@pytest.fixture
def siae_client(app, client, monde, make_user, login):
    make_user("siae@test.fr", "siae", structures=[1])
    assert login(client, "siae@test.fr").status_code == 302
    return client


@pytest.mark.parametrize("tab", list(TABS))
def test_ddets_forgeries_return_nothing_of_another_departement(app, ddets_client, tab):
    own = _answer(ddets_client, app, tab, {"annee": 2022})
    assert TEMOINS[tab] in own  # the control: the same request serves own data
    for etat in FORGES:
        answer = _answer(ddets_client, app, tab, etat)
        leaked = [s for s in OCCITANIE if s in answer]
        assert not leaked, (etat, leaked)


@pytest.mark.parametrize("tab", list(TABS))
def test_siae_forgeries_return_nothing_of_other_structures(app, siae_client, tab):
    own = _answer(siae_client, app, tab, {"annee": 2022, "structure": 1})
    assert TEMOINS_SIAE[tab] in own  # the control: the same request serves its own data
    assert not [s for s in OCCITANIE + RENNAIS if s in own]
    for etat in [*FORGES, {"annee": 2022, "structure": 3}, {"annee": 2022, "departement": "35"}]:
        answer = _answer(siae_client, app, tab, etat)
        leaked = [s for s in OCCITANIE + RENNAIS if s in answer]
        assert not leaked, (etat, leaked)


def test_anonymous_dash_request_is_refused(app, client, monde):
    response = dash_post(client, app, ids.ANNUEL_CONTENU, _inputs("annuel", {"annee": 2022}))
    assert response.status_code == 401
    assert "Chantier" not in response.text and "EI Exemple" not in response.text

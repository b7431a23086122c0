"""Requests no page can send get a 4xx, never a 500 or a stalled worker, and no stack trace
in the logs: unknown or clientside outputs, wrong shapes, deep nesting, oversized bodies and
values out of their type or range (issue 10)."""

from __future__ import annotations

import json
import logging

import pytest
from outils_dash import _outputs, dash_post

from callbacks import filters, tables
from callbacks.bornes import MAX_FILTRE, RequeteInvalide
from layouts import ids

URL = "/_dash-update-component"
QUARANTE_CHIFFRES = 10**39 + 7


@pytest.fixture
def ddets(app, client, monde, make_user, login):
    make_user("ddets@test.fr", "ddets", departement="35")
    assert login(client, "ddets@test.fr").status_code == 302
    return client


def _table_inputs(etat, **valeurs):
    table = ids.DETAIL_ANNUEL_TABLE
    values = {
        (ids.selection_onglet("detail-annuel"), "data"): {"etat": etat},
        (table, "page_current"): 0,
        (table, "page_size"): 25,
        (table, "sort_by"): [],
        (table, "filter_query"): "",
    }
    values.update({(table, k): v for k, v in valeurs.items()})
    return values


def _filtres_post(client, app, search):
    """A hand-built POST of the filter bar's callback with ``search`` as ``page-url.search``."""
    key = next(k for k in app.callback_map if f"{ids.URL}.search" in k)
    spec = app.callback_map[key]
    inputs = []
    for inp in spec["inputs"]:
        value = search if (inp["id"], inp["property"]) == (ids.URL, "search") else None
        if inp["property"] == "active_tab":
            value = "mensuel"
        inputs.append({"id": inp["id"], "property": inp["property"], "value": value})
    payload = {
        "output": key,
        "outputs": _outputs(key),
        "inputs": inputs,
        "changedPropIds": [f"{ids.URL}.search"],
        # the search fields' texts (States), empty as on a page just opened
        "state": [
            {"id": s["id"], "property": s["property"], "value": None} for s in spec.get("state", [])
        ],
    }
    return client.post(URL, json=payload)


def _sans_trace(caplog) -> None:
    erreurs = [r for r in caplog.records if r.levelno >= logging.ERROR or r.exc_info]
    assert not erreurs, [r.getMessage() for r in erreurs]


def test_the_control_request_is_served(app, ddets):
    response = dash_post(ddets, app, ids.DETAIL_ANNUEL_TABLE, _table_inputs({"annee": 2022}))
    assert response.status_code == 200


@pytest.mark.parametrize(
    "valeurs",
    [
        {"filter_query": "{" * 90_000},  # body over 64 KB: refused before it is read as JSON
        {"filter_query": "{structure} scontains " + "x" * MAX_FILTRE},
        {"sort_by": [{"column_id": "ecart_etp", "direction": "asc"}] * 10_000},
        {"sort_by": [{"column_id": "ecart_etp", "direction": "asc"}] * 21},
        {"page_current": "1"},
        {"page_size": 10**30},
    ],
    ids=["filtre-90-ko", "filtre-long", "tri-10000", "tri-21", "page-texte", "taille-enorme"],
)
def test_oversized_or_mistyped_table_inputs_get_a_4xx(app, ddets, caplog, valeurs):
    inputs = _table_inputs({"annee": 2022}, **valeurs)
    response = dash_post(ddets, app, ids.DETAIL_ANNUEL_TABLE, inputs)
    assert response.status_code in (400, 413), response.status_code
    _sans_trace(caplog)


@pytest.mark.parametrize("structure", [QUARANTE_CHIFFRES, str(QUARANTE_CHIFFRES), 2**31])
def test_an_id_out_of_the_integer_range_gets_a_400(app, ddets, caplog, structure):
    inputs = _table_inputs({"annee": 2022, "structure": structure})
    response = dash_post(ddets, app, ids.DETAIL_ANNUEL_TABLE, inputs)
    assert response.status_code == 400
    response = dash_post(
        ddets,
        app,
        ids.ANNUEL_CONTENU,
        {
            (ids.selection_onglet("annuel"), "data"): {
                "etat": {"annee": 2022, "structure": structure}
            },
        },
    )
    assert response.status_code == 400
    _sans_trace(caplog)


@pytest.mark.parametrize("search", [["?annee=2022"], {"annee": 2022}, 12, "?" + "a" * 5000])
def test_url_search_of_the_wrong_type_gets_a_400(app, ddets, caplog, search):
    assert _filtres_post(ddets, app, search).status_code == 400
    _sans_trace(caplog)


def test_a_shared_link_with_a_40_digit_id_keeps_the_filter_bar_working(app, ddets):
    """Not a forged request but a link someone may open: the id is dropped with the usual
    message, the year stays."""
    response = _filtres_post(ddets, app, f"?annee=2022&structure={QUARANTE_CHIFFRES}")
    assert response.status_code == 200
    texte = json.dumps(response.get_json(), ensure_ascii=False)
    assert "ont été retirés" in texte and "Dénomination structure" in texte


def test_the_url_search_list_is_refused_in_a_plain_call_too(users, en_tant_que):
    with en_tant_que(users["ddets"]), pytest.raises(RequeteInvalide):
        filters.synchroniser(["?annee=2022"], None, "mensuel", *[""] * len(filters.CHAMPS_IDS))


def _brut(client, corps, content_type="application/json"):
    data = corps if isinstance(corps, str | bytes) else json.dumps(corps)
    return client.post(URL, data=data, content_type=content_type)


def test_malformed_dash_requests_get_a_400_without_a_stack_trace(app, ddets, caplog):
    key = next(k for k in app.callback_map if k.startswith(f"..{ids.DETAIL_ANNUEL_TABLE}."))
    spec = app.callback_map[key]
    bons = [{"id": i["id"], "property": i["property"], "value": None} for i in spec["inputs"]]
    titre = next(k for k in app.callback_map if k.startswith(f"{ids.TITRE_PAGE}."))
    png = next(
        k for k, v in app.callback_map.items() if '"png"' in v["inputs"][0]["id"] and "@" in k
    )
    corps = {
        "clientside": {
            "output": titre,
            "outputs": {"id": ids.TITRE_PAGE, "property": "data"},
            "inputs": [{"id": ids.ONGLETS, "property": "active_tab", "value": "annuel"}],
        },
        "clientside-pattern": {
            "output": png,
            "outputs": {"id": {"type": "download", "card": "x"}, "property": "data"},
            "inputs": [
                {
                    "id": {"type": "export", "card": "x", "format": "png"},
                    "property": "n_clicks",
                    "value": 1,
                }
            ],
        },
        "inconnue": {"output": "nulle-part.children", "outputs": {}, "inputs": []},
        "multi-a-deux-points": {
            "output": key.replace("...", ".."),
            "outputs": _outputs(key),
            "inputs": bons,
        },
        "sorties-trop-courtes": {"output": key, "outputs": _outputs(key)[:2], "inputs": bons},
        "sortie-simple-pour-multi": {"output": key, "outputs": _outputs(key)[0], "inputs": bons},
        "entrees-manquantes": {"output": key, "outputs": _outputs(key), "inputs": bons[:2]},
        "entree-etrangere": {
            "output": key,
            "outputs": _outputs(key),
            "inputs": [{"id": "pirate", "property": "x", "value": 1}, *bons[1:]],
        },
        "entree-non-objet": {"output": key, "outputs": _outputs(key), "inputs": [1] * len(bons)},
        "changed-non-texte": {
            "output": key,
            "outputs": _outputs(key),
            "inputs": bons,
            "changedPropIds": [{"a": 1}],
        },
        "pas-un-objet": [1, 2, 3],
    }
    statuts = {nom: _brut(ddets, c).status_code for nom, c in corps.items()}
    statuts["imbrique"] = _brut(ddets, "[" * 20_000 + "]" * 20_000).status_code
    statuts["json-invalide"] = _brut(ddets, "{'output': ").status_code
    statuts["texte-brut"] = _brut(ddets, json.dumps(corps["inconnue"]), "text/plain").status_code
    statuts["octets"] = _brut(ddets, b"\xff\xfe{}").status_code
    assert statuts == dict.fromkeys(statuts, 400)
    _sans_trace(caplog)


def test_the_filter_parser_is_bounded_and_linear():
    """The clause reader reads each character a bounded number of times: a query of the
    maximum length made of the pattern that made the old regex quadratic parses at once,
    and a longer one is refused."""
    pire = "{" * MAX_FILTRE
    assert tables.parse_filter_query(pire) == []
    assert tables.parse_filter_query("{a} > 1 && " * 100)[:1] == [("a", ">", "1")]
    with pytest.raises(RequeteInvalide):
        tables.parse_filter_query("{" * (MAX_FILTRE + 1))
    with pytest.raises(RequeteInvalide):
        tables.tris([{"column_id": "a"}] * (tables.MAX_TRIS + 1))


@pytest.mark.parametrize(
    ("query", "attendu"),
    [
        ('{structure} scontains "EI Ex"', [("structure", "contains", "EI Ex")]),
        (
            "{etp} ge 20 && {statut} icontains sous",
            [("etp", ">=", "20"), ("statut", "contains", "sous")],
        ),
        ("{mois} datestartswith 2022-03", [("mois", "datestartswith", "2022-03")]),
        ('{nom} = "a \\"b\\" c"', [("nom", "=", 'a "b" c')]),
        ("{nom} eq 'x y'", [("nom", "=", "x y")]),
        ("{nom} pirate 3", []),
        ("{} > 3", []),
        ("{a}> 3", []),
        ("{a} >", []),
    ],
)
def test_the_filter_parser_reads_what_the_table_writes(query, attendu):
    assert tables.parse_filter_query(query) == attendu

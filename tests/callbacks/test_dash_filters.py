"""The filter bar callback: defaults, scope-only options, cascade, URL round trip, refusals."""

from __future__ import annotations

import json

import dash
from outils_dash import dash_post, textes

from callbacks import filters
from layouts import ids
from layouts.filters import CLES

N = len(CLES)


def _sync(search: str | None = "", **valeurs):
    """Plain call of the filter callback; returns (options, values, search, message, etat)."""
    args = [valeurs.get(cle, "") for cle in CLES]
    out = filters.synchroniser(search, None, "mensuel", *args)
    options = dict(zip(CLES, out[:N], strict=True))
    values = dict(zip(CLES, out[N : 2 * N], strict=True))
    return options, values, out[2 * N], out[2 * N + 1], out[2 * N + 2]


def test_active_tab_round_trips_through_the_url(users, en_tant_que):
    with en_tant_que(users["siae"]):
        out = filters.synchroniser("?annee=2021&structure=1&onglet=annuel", None, None, *[""] * N)
        assert out[-1] == "annuel" and out[2 * N] is dash.no_update
        assert filters.synchroniser("?annee=2021&onglet=pirate", None, None, *[""] * N)[-1] == (
            "mensuel"
        )
    assert filters.avec_onglet("?annee=2022", "detail-annuel") == (
        "?annee=2022&onglet=detail-annuel"
    )
    assert filters.avec_onglet("?annee=2022", "mensuel") == "?annee=2022"


def _labels(opts) -> list[str]:
    return [o["label"] for o in opts]


def test_siae_defaults_latest_year_and_its_structure(users, en_tant_que):
    with en_tant_que(users["siae"]):
        options, values, search, message, etat = _sync("")
    assert etat == {"annee": 2022, "structure": 1}
    assert values["annee"] == "2022" and values["structure"] == "1"
    assert _labels(options["annee"]) == ["2022", "2021"]
    assert _labels(options["structure"]) == ["EI Exemple - 12345678900011"]  # no "Toutes"
    assert options["region"] == [] and options["departement"] == []
    assert search == "?annee=2022&structure=1" and message is None


def test_dreets_sees_only_occitanie(users, en_tant_que):
    with en_tant_que(users["dreets"]):
        options, _, _, _, etat = _sync("")
    assert etat == {"annee": 2022}
    assert _labels(options["region"]) == ["Toutes les régions", "Occitanie"]
    assert _labels(options["departement"]) == ["Tous les départements", "31 - Haute-Garonne"]
    assert [o["label"] for o in options["structure"]][1:] == ["Chantier Occitan - 98765432100022"]


def test_out_of_scope_url_values_are_dropped_with_a_message(users, en_tant_que):
    forged = "?annee=2022&structure=2&departement=31&region=76&af=ACI031220002"
    with en_tant_que(users["ddets"]):
        options, values, search, message, etat = _sync(forged)
    assert etat == {"annee": 2022}
    assert search == "?annee=2022"
    dump = json.dumps(options, ensure_ascii=False)
    assert "Chantier Occitan" not in dump and "ACI031220002" not in dump and "Occitanie" not in dump
    texte = " ".join(textes(message))
    assert "ont été retirés" in texte
    for nom in ("Dénomination structure", "Département", "Région", "Numéro d'annexe"):
        assert nom in texte
    assert values["structure"] == ""


def test_unknown_year_falls_back_to_latest(users, en_tant_que):
    with en_tant_que(users["siae"]):
        _, _, _, message, etat = _sync("?annee=1999")
    assert etat["annee"] == 2022 and "Année" in " ".join(textes(message))


def test_valid_url_round_trip_is_kept(users, en_tant_que):
    with en_tant_que(users["siae"]):
        _, values, search, message, etat = _sync("?annee=2021&structure=1")
    assert etat == {"annee": 2021, "structure": 1} and values["annee"] == "2021"
    assert search is dash.no_update and message is None


def test_cascade_drops_a_child_that_no_longer_matches(users, en_tant_que):
    with en_tant_que(users["ddets"]):
        options, _, _, _, etat = _sync("?annee=2022&type=EI&structure=3")
    assert etat == {"annee": 2022, "type": "EI"}  # Atelier Rennais is an ACI
    assert _labels(options["structure"])[1:] == ["EI Exemple - 12345678900011"]
    assert _labels(options["af"])[1:] == ["EI035220001"]


def test_siae_cannot_use_territory_filters(users, en_tant_que):
    with en_tant_que(users["siae"]):
        _, _, _, message, etat = _sync("?annee=2022&departement=35")
    assert "departement" not in etat and message is not None


def test_forged_filter_request_over_http(app, client, monde, make_user, login):
    make_user("ddets@test.fr", "ddets", departement="35")
    login(client, "ddets@test.fr")
    inputs = {
        (ids.ONGLETS, "active_tab"): "mensuel",
        (ids.URL, "search"): "?annee=2022&structure=2",
        (ids.FILTRES_REINITIALISER, "n_clicks"): None,
    }
    inputs.update(
        {
            (comp, "value"): ""
            for comp in (
                ids.FILTRES_ANNEE,
                ids.FILTRES_STRUCTURE,
                ids.FILTRES_AF,
                ids.FILTRES_TYPE,
                ids.FILTRES_REGION,
                ids.FILTRES_DEPARTEMENT,
            )
        }
    )
    response = dash_post(client, app, ids.FILTRES_ETAT, inputs)
    assert response.status_code == 200
    body = response.get_json()["response"]
    assert body[ids.FILTRES_ETAT]["data"] == {"annee": 2022}
    assert "Chantier Occitan" not in response.text
    assert "EI Exemple" in response.text  # own structures are offered

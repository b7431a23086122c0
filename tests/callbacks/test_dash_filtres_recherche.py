"""Searchable structure and AF filters (issue 12, item 4): at national scope the filter bar
sends at most ``LIMITE`` options per select, a search asks the server for the matching ones,
values are still checked against the whole scope, and forged searches get a 400 or nothing
outside the scope."""

from __future__ import annotations

import json
from datetime import date

import pytest
from builders import H_ACI, annexe_financiere, inserer
from outils_dash import _outputs

from callbacks import filters
from callbacks.options_recherche import LIMITE, VALEUR_PLUS
from etp import queries
from etp.filters import Filtres
from etp.schema import Structure
from etp.scope import Scope
from layouts import filters as filter_layout
from layouts import ids
from layouts.filters import CLES

N = len(CLES)
#: Structures of the « France » below: many times the limit, over several départements.
NB_STRUCTURES = 1_200
DEPARTEMENTS = ("35", "31", "75", "13", "2A", "971")
PREMIER_ID = 100


def _nom(i: int) -> str:
    """Accented names, so that a search without accents has something to prove."""
    return f"Régie de Quartier Saint-Étienne {i:04d}" if i % 4 == 0 else f"Atelier Cœur {i:04d}"


def _siret(i: int) -> str:
    return f"{90_000_000_000_000 + i}"


@pytest.fixture
def france(monde, engine) -> list[int]:
    """The three structures of ``monde`` plus :data:`NB_STRUCTURES` structures with one 2022
    AF each, spread over :data:`DEPARTEMENTS`; returns the new structure ids."""
    sids = list(range(PREMIER_ID, PREMIER_ID + NB_STRUCTURES))
    lignes: list[object] = [Structure(id=i, denomination=_nom(i), siret=_siret(i)) for i in sids]
    lignes += [
        annexe_financiere(
            10_000 + i,
            numero=f"ACI{DEPARTEMENTS[i % len(DEPARTEMENTS)]:0>3}22{i:04d}",
            structure_id=i,
            debut=date(2022, 1, 1),
            fin=date(2022, 12, 31),
            c=5.0,
            h=H_ACI,
            aide=22_000.0,
            type_structure="ACI",
            departement=DEPARTEMENTS[i % len(DEPARTEMENTS)],
        )
        for i in sids
    ]
    inserer(engine, lignes)
    return sids


def _sync(search: str = "", *recherches: str):
    """Plain call of the filter bar's callback; returns (options, values, etat)."""
    out = filters.synchroniser(search, None, "mensuel", *[""] * N, *recherches)
    options = dict(zip(CLES, out[:N], strict=True))
    values = dict(zip(CLES, out[N : 2 * N], strict=True))
    return options, values, out[2 * N + 2]


def _valeurs(options) -> list[str]:
    """Values of the real options (neither « Toutes les … » nor the disabled one)."""
    return [o["value"] for o in options if o["value"] and not o.get("disabled")]


def _complet(engine, scope: Scope, cle: str) -> list[dict]:
    """What the select held before the search fields: every option of the scope."""
    opts = queries.options_filtres(engine, scope, Filtres(annee=2022))
    return filter_layout.options(opts[dict(filters.CASCADE)[cle]], filters.TOUS_LIBELLES[cle])


def test_national_filter_bar_sends_at_most_the_limit(france, users, engine, en_tant_que):
    with en_tant_que(users["dgefp"]):
        options, _, etat = _sync("?annee=2022")
    assert etat == {"annee": 2022}
    for cle in ("structure", "af"):
        complet = _complet(engine, Scope.everything(), cle)
        assert len(complet) > NB_STRUCTURES  # the whole of France, as before
        assert len(options[cle]) <= LIMITE + 2
        assert options[cle][0]["value"] == "" and options[cle][-1]["disabled"] is True
        # the first ones of the full list, in its order
        assert _valeurs(options[cle]) == [o["value"] for o in complet[1 : LIMITE + 1]]
        restantes = len(complet) - 1 - LIMITE
        assert options[cle][-1]["value"] == VALEUR_PLUS
        assert f"{restantes:,}".replace(",", "\u202f") in options[cle][-1]["label"]
        taille = len(json.dumps(options[cle], ensure_ascii=False))
        assert taille * 5 < len(json.dumps(complet, ensure_ascii=False))
    # other selects are not trimmed (a handful of options)
    assert len(options["departement"]) == len(DEPARTEMENTS) + 1


def test_national_response_over_http_is_small(app, client, engine, france, make_user, login):
    make_user("national@test.fr", "dgefp")
    login(client, "national@test.fr")
    key = next(k for k in app.callback_map if f"{ids.FILTRES_ETAT}.data" in k)
    spec = app.callback_map[key]
    valeurs = {(ids.URL, "search"): "?annee=2022", (ids.ONGLETS, "active_tab"): "mensuel"}
    payload = {
        "output": key,
        "outputs": _outputs(key),
        "inputs": [
            {
                "id": i["id"],
                "property": i["property"],
                "value": valeurs.get((i["id"], i["property"])),
            }
            for i in spec["inputs"]
        ],
        "changedPropIds": [f"{ids.URL}.search"],
        "state": [{"id": s["id"], "property": s["property"], "value": None} for s in spec["state"]],
    }
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code == 200
    corps = response.get_json()["response"]
    assert len(corps[ids.FILTRES_STRUCTURE]["options"]) <= LIMITE + 2
    assert len(corps[ids.FILTRES_AF]["options"]) <= LIMITE + 2
    # what the two lists weighed in full, against the whole answer now
    complet = sum(
        len(json.dumps(_complet(engine, Scope.everything(), c))) for c in ("structure", "af")
    )
    assert complet > 60_000
    assert len(response.data) * 4 < complet, (len(response.data), complet)
    assert len(response.data) < 25_000


def test_a_value_beyond_the_limit_is_still_valid_and_shown(france, users, engine, en_tant_que):
    complet = _complet(engine, Scope.everything(), "structure")
    derniere = complet[-1]["value"]  # far beyond the first LIMITE
    with en_tant_que(users["dgefp"]):
        options, values, etat = _sync(f"?annee=2022&structure={derniere}")
    assert etat == {"annee": 2022, "structure": int(derniere)}
    assert values["structure"] == derniere
    assert derniere in _valeurs(options["structure"])
    assert len(options["structure"]) <= LIMITE + 2
    # its AF list is short: shown whole, without the « more » option
    assert not any(o.get("disabled") for o in options["af"])


def test_the_synchroniser_keeps_the_search(france, users, en_tant_que):
    with en_tant_que(users["dgefp"]):
        options, _, _ = _sync("?annee=2022&departement=35", "saint-etienne", "")
    attendus = sorted(
        str(i) for i in france if i % 4 == 0 and DEPARTEMENTS[i % len(DEPARTEMENTS)] == "35"
    )
    assert sorted(_valeurs(options["structure"])) == attendus
    assert not any(o.get("disabled") for o in options["structure"])


def test_search_finds_a_structure_by_part_of_its_name_without_accents(france, users, en_tant_que):
    cible = next(i for i in france if i % 4 == 0)
    with en_tant_que(users["dgefp"]):
        options = filters.rechercher_structures(f"saint-etienne {cible:04d}", {"annee": 2022})
    assert options[0] == {"label": "Toutes les structures", "value": ""}
    assert _valeurs(options) == [str(cible)]
    assert options[1]["label"] == f"{_nom(cible)} - {_siret(cible)}"


def test_search_finds_a_structure_by_siret_and_an_af_by_its_number(france, users, en_tant_que):
    cible = france[57]
    with en_tant_que(users["dgefp"]):
        par_siret = filters.rechercher_structures(_siret(cible), {"annee": 2022})
        annexes = filters.rechercher_annexes(f"22{cible:04d}".lower(), {"annee": "2022"})
    assert _valeurs(par_siret) == [str(cible)]
    numero = f"ACI{DEPARTEMENTS[cible % len(DEPARTEMENTS)]:0>3}22{cible:04d}"
    assert _valeurs(annexes) == [numero]


def test_search_stays_within_the_store_filters_and_the_scope(france, users, en_tant_que):
    with en_tant_que(users["dgefp"]):
        dans_35 = filters.rechercher_structures("atelier", {"annee": 2022, "departement": "35"})
    attendus = {str(i) for i in france if i % 4 and DEPARTEMENTS[i % len(DEPARTEMENTS)] == "35"}
    attendus.add("3")  # Atelier Rennais (35) of ``monde``
    assert len(attendus) > LIMITE
    assert set(_valeurs(dans_35)) <= attendus and len(_valeurs(dans_35)) == LIMITE
    assert f"… et {len(attendus) - LIMITE} autre" in dans_35[-1]["label"]
    with en_tant_que(users["dgefp"]):  # the national lists, now in the cache
        assert _valeurs(filters.rechercher_structures("occitan", {"annee": 2022})) == ["2"]
        assert _valeurs(filters.rechercher_annexes("aci031220002", {"annee": 2022})) == [
            "ACI031220002"
        ]
    with en_tant_que(users["ddets"]):  # DDETS 35: whatever the store says, only the 35
        forge = filters.rechercher_structures("", {"annee": 2022, "departement": "31"})
        occitan = filters.rechercher_structures("occitan", {"annee": 2022})
        annexe = filters.rechercher_annexes("aci031220002", {"annee": 2022})
    assert _valeurs(forge) == [] and _valeurs(annexe) == []
    assert _valeurs(occitan) == [] and "Chantier Occitan" not in json.dumps(occitan)


def test_an_invalid_store_changes_nothing(users, en_tant_que):
    import dash

    with en_tant_que(users["dgefp"]):
        assert filters.rechercher_structures("ei", None) is dash.no_update
        assert filters.rechercher_annexes("ei", {"structure": 1}) is dash.no_update
        assert filters.rechercher_structures("ei", {"annee": "deux mille"}) is dash.no_update


@pytest.mark.parametrize("texte", ["a", "e", "", "exemple", "0"])
def test_an_siae_never_gets_other_structures(france, users, en_tant_que, texte):
    etats = [
        {"annee": 2022},
        {"annee": 2022, "structure": 2},
        {"annee": 2022, "departement": "31"},
        {"annee": 2022, "region": "76", "structure": PREMIER_ID},
    ]
    with en_tant_que(users["siae"]):
        for etat in etats:
            options = filters.rechercher_structures(texte, etat)
            assert set(_valeurs(options)) <= {"1"}, (texte, etat)
            assert not any(o["value"] == "" for o in options)  # no « Toutes » for an SIAE
            texte_json = json.dumps(options, ensure_ascii=False)
            assert "Occitan" not in texte_json and "Rennais" not in texte_json
            assert "Atelier Cœur" not in texte_json and "Saint-Étienne" not in texte_json
        annexes = filters.rechercher_annexes(texte, {"annee": 2022, "structure": 2})
        assert _valeurs(annexes) == []
    # the search finds its structure when it matches
    with en_tant_que(users["siae"]):
        assert _valeurs(filters.rechercher_structures("exemple", {"annee": 2022})) == ["1"]


def _recherche_post(client, app, cible: str, texte, etat):
    """A hand-built POST of the search callback of the select ``cible``."""
    key = next(k for k in app.callback_map if k.startswith(f"{cible}.options@"))
    spec = app.callback_map[key]
    (entree,) = spec["inputs"]
    (etat_spec,) = spec["state"]
    payload = {
        "output": key,
        "outputs": {"id": cible, "property": key.split(".", 1)[1]},
        "inputs": [{"id": entree["id"], "property": "value", "value": texte}],
        "changedPropIds": [f"{entree['id']}.value"],
        "state": [{"id": etat_spec["id"], "property": "data", "value": etat}],
    }
    return client.post("/_dash-update-component", json=payload)


def test_search_over_http_and_forged_values(app, client, monde, make_user, login):
    make_user("ddets@test.fr", "ddets", departement="35")
    login(client, "ddets@test.fr")
    ok = _recherche_post(client, app, ids.FILTRES_STRUCTURE, "rennais", {"annee": 2022})
    assert ok.status_code == 200
    options = ok.get_json()["response"][ids.FILTRES_STRUCTURE]["options"]
    assert _valeurs(options) == ["3"]
    af = _recherche_post(client, app, ids.FILTRES_AF, "aci", {"annee": 2022})
    assert _valeurs(af.get_json()["response"][ids.FILTRES_AF]["options"]) == ["ACI035220003"]
    trop_long = "a" * (filter_layout.MAX_RECHERCHE_OPTIONS + 1)
    for forge in (["rennais"], {"$regex": "."}, 42, True, "x" * 10_000, trop_long):
        for cible in (ids.FILTRES_STRUCTURE, ids.FILTRES_AF):
            response = _recherche_post(client, app, cible, forge, {"annee": 2022})
            assert response.status_code == 400, (forge, cible, response.status_code)
    # the limit itself is accepted
    juste = _recherche_post(client, app, ids.FILTRES_STRUCTURE, trop_long[1:], {"annee": 2022})
    assert juste.status_code == 200
    # anonymous: refused like every callback
    anonyme = app.server.test_client()
    assert _recherche_post(
        anonyme, app, ids.FILTRES_STRUCTURE, "a", {"annee": 2022}
    ).status_code == (401)


def test_forged_search_states_of_the_synchroniser(users, en_tant_que):
    from callbacks.bornes import RequeteInvalide

    with en_tant_que(users["ddets"]):
        for forge in (["a"], {"a": 1}, 3, "y" * (filter_layout.MAX_RECHERCHE_OPTIONS + 1)):
            with pytest.raises(RequeteInvalide):
                filters.synchroniser("?annee=2022", None, "mensuel", *[""] * N, forge, "")
            with pytest.raises(RequeteInvalide):
                filters.synchroniser("?annee=2022", None, "mensuel", *[""] * N, "", forge)
        # None (a page without search fields, an SIAE's) is no search
        options, _, _ = _sync("?annee=2022", None, None)
    assert sorted(_valeurs(options["structure"])) == ["1", "3"]

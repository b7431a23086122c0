"""Forged requests to every route of the bourse blueprint (SQLite and PostgreSQL): anonymous,
wrong role, other structure, other département. The list of routes is checked against the
application's, so a new route of /bourse without its case here fails."""

from __future__ import annotations

import pytest

from auth.testing import csrf_token_in
from etp import demandes, scenarios
from etp.scope import Scope

#: (method, rule) of every route of the blueprint, and who may use it.
ROUTES = {
    ("GET", "/bourse/demande"): "siae",
    ("POST", "/bourse/demande"): "siae",
    ("GET", "/bourse/demande/<int:demande_id>/document"): "les deux",
    ("GET", "/bourse/demande/<int:demande_id>/document.pdf"): "les deux",
    ("GET", "/bourse/simulation"): "financeur",
    ("POST", "/bourse/simulation"): "financeur",
    ("POST", "/bourse/simulation/calcul"): "financeur",
    ("POST", "/bourse/scenarios/<int:scenario_id>/dupliquer"): "financeur",
    ("POST", "/bourse/scenarios/<int:scenario_id>/supprimer"): "financeur",
    ("GET", "/bourse/scenarios/<int:scenario_id>/export.xlsx"): "financeur",
    ("POST", "/bourse/demandes/<int:demande_id>/reponse"): "financeur",
}


@pytest.fixture
def objets(monde, engine):
    """A request of siae1 on AF 1 and a scenario of ddets35, with their ids."""
    client = monde["siae1"]
    token = csrf_token_in(client.get("/bourse/demande?annee=2022").text)
    client.post(
        "/bourse/demande?annee=2022&af=1",
        data={"csrf_token": token, "delta": "2", "mois": "11", "justification": "Embauches"},
    )
    (d,) = demandes.lister(engine, Scope.of_departements(["35"]))
    ddets = monde["ddets35"]
    token = csrf_token_in(ddets.get("/bourse/simulation?annee=2022").text)
    sauve = ddets.post(
        "/bourse/simulation",
        data={
            "csrf_token": token,
            "annee": "2022",
            "action": "enregistrer",
            "nom": "S",
            "delta_3": "-1",
            "mois_3": "11",
        },
    )
    assert sauve.status_code == 302
    (sc,) = scenarios.lister(engine, range(1, 20))
    return {"demande_id": d.id, "scenario_id": sc.id}


def _url(rule: str, objets: dict[str, int]) -> str:
    return rule.replace("<int:demande_id>", str(objets["demande_id"])).replace(
        "<int:scenario_id>", str(objets["scenario_id"])
    )


def _envoyer(client, methode: str, url: str, token: str | None = None, **data):
    if methode == "GET":
        return client.get(url)
    corps = {"decision": "accepter", "action": "enregistrer", "nom": "x", **data}
    if token:
        corps["csrf_token"] = token
    return client.post(url, data=corps)


def test_every_bourse_route_is_listed_here(app):
    regles = {
        (m, r.rule)
        for r in app.server.url_map.iter_rules()
        if r.endpoint.startswith("bourse.")
        for m in r.methods - {"HEAD", "OPTIONS"}
    }
    assert regles == set(ROUTES)


def test_anonymous_goes_to_login_everywhere(monde, objets):
    for (methode, regle), _ in ROUTES.items():
        reponse = _envoyer(monde["anonyme"], methode, _url(regle, objets))
        assert reponse.status_code == 302, (methode, regle)
        assert "/connexion" in reponse.headers["Location"], (methode, regle)


def test_wrong_role_is_forbidden(monde, objets):
    jeton_siae = csrf_token_in(monde["siae1"].get("/bourse/demande?annee=2022").text)
    jeton_ddets = csrf_token_in(monde["ddets35"].get("/bourse/simulation?annee=2022").text)
    for (methode, regle), qui in ROUTES.items():
        url = _url(regle, objets)
        if qui == "financeur":
            reponse = _envoyer(monde["siae1"], methode, url, jeton_siae)
            assert reponse.status_code == 403, (methode, regle)
        elif qui == "siae":
            reponse = _envoyer(monde["ddets35"], methode, url, jeton_ddets)
            assert reponse.status_code == 403, (methode, regle)


def test_other_structure_or_departement_gets_nothing(monde, objets, engine):
    jeton_31 = csrf_token_in(monde["ddets31"].get("/bourse/simulation?annee=2022").text)
    for (methode, regle), qui in ROUTES.items():
        if "<" not in regle:
            continue
        url = _url(regle, objets)
        autres = ["ddets31"] + (["siae3"] if qui == "les deux" else [])
        for autre in autres:
            reponse = _envoyer(monde[autre], methode, url, jeton_31)
            assert reponse.status_code == 404, (autre, methode, regle)
            assert b"Embauches" not in reponse.data and b"EI035220001" not in reponse.data
    # nothing changed: the request is still pending, the scenario is still there
    (d,) = demandes.lister(engine, Scope.of_departements(["35"]))
    assert d.etat == demandes.ENVOYEE
    assert [s.id for s in scenarios.lister(engine, range(1, 20))] == [objets["scenario_id"]]


def test_posts_without_csrf_token_change_nothing(monde, objets, engine):
    ddets = monde["ddets35"]
    for (methode, regle), qui in ROUTES.items():
        if methode != "POST" or qui != "financeur":
            continue
        reponse = _envoyer(ddets, methode, _url(regle, objets))
        assert reponse.status_code == 400 or "expiré" in reponse.get_data(as_text=True), regle
    sans = monde["siae1"].post(
        "/bourse/demande?af=1", data={"delta": "1", "mois": "11", "justification": "x"}
    )
    assert sans.status_code == 400
    (d,) = demandes.lister(engine, Scope.of_departements(["35"]))
    assert d.etat == demandes.ENVOYEE
    assert len(scenarios.lister(engine, range(1, 20))) == 1

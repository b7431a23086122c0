"""At login the server computes the default tab of the default filters for the user's scope,
so that the first callback finds it ready (``callbacks.prechargement``)."""

from __future__ import annotations

import json

import plotly

from app.extensions import cache
from app.local_cache import local_cache
from auth.scope import scope_for_user
from callbacks import mensuel, prechargement
from etp import queries
from etp.filters import Filtres


def _json(contenu) -> str:
    return json.dumps(contenu, cls=plotly.utils.PlotlyJSONEncoder, sort_keys=True)


def _compteur(monkeypatch, module=queries, nom: str = "indicateurs") -> list[tuple]:
    """The calls of ``module.nom`` from now on (their positional arguments)."""
    appels: list[tuple] = []
    original = getattr(module, nom)

    def compte(*args, **kwargs):
        appels.append(args)
        return original(*args, **kwargs)

    monkeypatch.setattr(module, nom, compte)
    return appels


ETAT_PAR_DEFAUT = {"annee": 2022}  # what the filter bar resolves for these accounts (data: 2022)


def test_the_first_tab_is_served_from_the_preload_without_computing(
    app, users, en_tant_que, monkeypatch
):
    appels = _compteur(monkeypatch)
    prechargee = prechargement.precharger(app.server, scope_for_user(users["ddets"])).result(60)
    assert len(appels) == 1  # the selection read once, in the background
    with en_tant_que(users["ddets"]):
        servie = mensuel.contenu(ETAT_PAR_DEFAUT)
    assert len(appels) == 1  # the callback computed nothing
    assert _json(servie) == _json(prechargee)
    with app.server.app_context():
        cache.clear()
        local_cache().clear()
    with en_tant_que(users["ddets"]):
        recalculee = mensuel.contenu(ETAT_PAR_DEFAUT)
    assert len(appels) == 2
    assert _json(recalculee) == _json(prechargee)  # what a cold cache computes


def test_each_scope_gets_its_own_first_view(app, users, en_tant_que):
    for compte in ("siae", "ddets", "dgefp"):
        prechargee = prechargement.precharger(app.server, scope_for_user(users[compte]))
        with en_tant_que(users[compte]):
            assert _json(mensuel.contenu(ETAT_PAR_DEFAUT)) == _json(prechargee.result(60))
    with app.server.app_context():
        siae = prechargement.premiere_vue(scope_for_user(users["siae"]))
        dgefp = prechargement.premiere_vue(scope_for_user(users["dgefp"]))
    assert _json(siae) != _json(dgefp)


def test_nothing_is_preloaded_for_an_account_without_scope(app, users):
    assert prechargement.precharger(app.server, scope_for_user(users["vide"])) is None


def test_a_login_starts_the_preload_with_the_users_scope(app, users, client, login, monkeypatch):
    app.server.config["PRECHARGER_A_LA_CONNEXION"] = True
    demandes = []
    monkeypatch.setattr(prechargement, "precharger", lambda server, s: demandes.append(s))
    login(client, "ddets@test.fr").close()  # the answer sent, as by the WSGI server
    assert demandes == [scope_for_user(users["ddets"])]


def test_the_preload_starts_once_the_login_has_answered(app, users, client, login, monkeypatch):
    """Not inside the login request: its computation would delay the login's own answer."""
    from flask import has_request_context

    app.server.config["PRECHARGER_A_LA_CONNEXION"] = True
    pendant_la_requete = []
    monkeypatch.setattr(
        prechargement,
        "precharger",
        lambda server, s: pendant_la_requete.append(has_request_context()),
    )
    reponse = login(client, "ddets@test.fr")
    reponse.close()  # what the WSGI server does once the answer is sent
    assert reponse.status_code == 302
    assert pendant_la_requete == [False]


def test_the_unit_tests_do_not_preload_unless_asked(app, users, client, login, monkeypatch):
    demandes = []
    monkeypatch.setattr(prechargement, "precharger", lambda server, s: demandes.append(s))
    login(client, "ddets@test.fr").close()
    assert demandes == []


def test_a_scope_already_queued_is_not_queued_again(app, users, monkeypatch):
    import threading

    libere = threading.Event()
    calculs = []

    def lente(scope, filtres=None):
        calculs.append(scope)
        libere.wait(10)

    monkeypatch.setattr(prechargement, "premiere_vue", lente)
    scope = scope_for_user(users["ddets"])
    premier = prechargement.precharger(app.server, scope)
    assert prechargement.precharger(app.server, scope) is None  # already on its way
    autre = prechargement.precharger(app.server, scope_for_user(users["siae"]))
    libere.set()
    premier.result(10)
    autre.result(10)
    assert calculs == [scope, scope_for_user(users["siae"])]
    assert prechargement.precharger(app.server, scope).result(10) is None  # done: queued again
    assert len(calculs) == 3


def _compteur_pilotage(monkeypatch) -> list[tuple]:
    from etp import pilotage

    return _compteur(monkeypatch, pilotage, "charger")


def _financeurs_tels_qu_ouverts(etat):
    from callbacks import financeurs
    from layouts import financeurs as vue

    cartes = financeurs.contenu(etat)
    suivi = financeurs.suivi(etat, list(vue.SUIVI_STATUTS_DEFAUT), vue.SUIVI_TRI_DEFAUT)
    pages = [t.reponse(etat) for t in financeurs.TABLES.values()]
    return cartes, suivi, pages


def test_a_funder_finds_the_funders_tab_ready_as_it_opens(app, users, en_tant_que, monkeypatch):
    appels = _compteur_pilotage(monkeypatch)
    prechargement.precharger(app.server, scope_for_user(users["ddets"])).result(60)
    assert len(appels) == 1  # the funders' data read once, in the background
    with en_tant_que(users["ddets"]):
        ouvert = _financeurs_tels_qu_ouverts(ETAT_PAR_DEFAUT)
    assert len(appels) == 1  # neither the cards nor any of the tab's tables computed anything
    _, suivi, pages = ouvert
    assert suivi[0] and any(rows for rows, _, _ in pages)  # rows to show: else proves nothing
    with app.server.app_context():
        cache.clear()
        local_cache().clear()
    with en_tant_que(users["ddets"]):
        recalcules = _financeurs_tels_qu_ouverts(ETAT_PAR_DEFAUT)
    assert len(appels) == 2
    assert _json(recalcules) == _json(ouvert)  # what a cold cache computes


def test_an_siae_login_does_not_compute_the_funders_tab(app, users, monkeypatch):
    appels = _compteur_pilotage(monkeypatch)
    prechargement.precharger(app.server, scope_for_user(users["siae"])).result(60)
    with app.server.app_context():
        siae = scope_for_user(users["siae"])
        assert prechargement.vue_des_financeurs(siae, Filtres(**ETAT_PAR_DEFAUT)) is None
    assert appels == []  # an SIAE has no funders' tab

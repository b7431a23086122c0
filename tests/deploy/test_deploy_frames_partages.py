"""With Redis shared by the workers: a selection's frames computed by one worker are written
there shortly after (callbacks.context, ``differe``: not inside the view that read them) and
the other worker reads them back instead of reading the database again; what derives from
them stays in each worker."""

from __future__ import annotations

import time

import pandas as pd
import redis

from callbacks import context
from etp import queries
from etp.filters import Filtres
from etp.scope import Scope


def _cles(redis_url: str) -> set[str]:
    client = redis.Redis.from_url(redis_url)
    try:
        return {k.decode().removeprefix("suivi-etp:cache:") for k in client.keys("*")}
    finally:
        client.close()


def _attendre(redis_url: str, cle: str, secondes: float = 10) -> None:
    fin = time.monotonic() + secondes
    while cle not in _cles(redis_url):
        assert time.monotonic() < fin, "les cadres ne sont jamais arrivés dans Redis"
        time.sleep(0.05)


def test_the_other_worker_reads_the_frames_back(make_app, redis_url, monkeypatch):
    calculs = []
    original = queries.indicateurs

    def compte(*args, **kwargs):
        calculs.append(args[2])
        return original(*args, **kwargs)

    monkeypatch.setattr(queries, "indicateurs", compte)
    monkeypatch.setattr(context, "DELAI_ECRITURE_S", 2.0)  # room to look before the write
    worker_1 = make_app(REDIS_URL=redis_url).server
    worker_2 = make_app(REDIS_URL=redis_url).server
    scope, filtres = Scope.everything(), Filtres(annee=2022)
    with worker_1.app_context():
        annuel_1, mensuel_1 = context.indicateurs(scope, filtres)
        cle = context.cache_key("indicateurs", scope, filtres)
    # not written by the request that read them: a moment later, by a background thread
    assert cle not in _cles(redis_url)
    _attendre(redis_url, cle)
    with worker_2.app_context():
        annuel_2, mensuel_2 = context.indicateurs(scope, filtres)
        assert context.indicateurs(scope, filtres)[0] is annuel_2  # then from its own memory
    assert len(calculs) == 1  # read from the database once, by the first worker
    pd.testing.assert_frame_equal(annuel_1, annuel_2)
    pd.testing.assert_frame_equal(mensuel_1, mensuel_2)


def test_derived_data_is_not_put_in_redis(make_app, redis_url):
    server = make_app(REDIS_URL=redis_url).server
    scope, filtres = Scope.everything(), Filtres(annee=2022)
    with server.app_context():
        context.pilotage(scope, filtres)
        context.vue("essai", scope, filtres, lambda: ["rendu"])
        cadres = context.cache_key("indicateurs", scope, filtres)
        pilotage = context.cache_key("pilotage", scope, filtres)
        vue = context.cache_key("vue:essai", scope, filtres)
    _attendre(redis_url, cadres)
    presentes = _cles(redis_url)
    assert vue in presentes
    assert pilotage not in presentes


def test_a_cache_outage_during_the_late_write_breaks_nothing(make_app, monkeypatch):
    """Redis gone when the background thread writes: the frames stay in the worker."""
    server = make_app(REDIS_URL="redis://127.0.0.1:1/0").server  # nothing listens there
    scope, filtres = Scope.everything(), Filtres(annee=2022)
    monkeypatch.setattr(context, "DELAI_ECRITURE_S", 0)
    with server.app_context():
        premier = context.indicateurs(scope, filtres)
        time.sleep(0.3)
        assert context.indicateurs(scope, filtres)[0] is premier[0]

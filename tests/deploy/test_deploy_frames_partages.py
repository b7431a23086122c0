"""With Redis shared by the workers, what is shared is the rendered views; a selection's frames
(and what derives from them) stay in each worker: reading them again (the months packed per AF,
etp.etats_annee) costs less than pickling them into Redis and back."""

from __future__ import annotations

import pandas as pd

from callbacks import context
from etp import queries
from etp.filters import Filtres
from etp.scope import Scope


def test_each_worker_reads_the_frames_once(make_app, redis_url, monkeypatch):
    calculs = []
    original = queries.indicateurs

    def compte(*args, **kwargs):
        calculs.append(args[2])
        return original(*args, **kwargs)

    monkeypatch.setattr(queries, "indicateurs", compte)
    worker_1 = make_app(REDIS_URL=redis_url).server
    worker_2 = make_app(REDIS_URL=redis_url).server
    scope, filtres = Scope.everything(), Filtres(annee=2022)
    with worker_1.app_context():
        annuel_1, mensuel_1 = context.indicateurs(scope, filtres)
    with worker_2.app_context():
        annuel_2, mensuel_2 = context.indicateurs(scope, filtres)
        assert context.indicateurs(scope, filtres)[0] is annuel_2  # then from its own memory
    assert len(calculs) == 2  # once per worker
    pd.testing.assert_frame_equal(annuel_1, annuel_2)
    pd.testing.assert_frame_equal(mensuel_1, mensuel_2)


def test_only_rendered_views_are_put_in_redis(make_app, redis_url):
    import redis

    server = make_app(REDIS_URL=redis_url).server
    scope, filtres = Scope.everything(), Filtres(annee=2022)
    with server.app_context():
        context.pilotage(scope, filtres)
        context.vue("essai", scope, filtres, lambda: ["rendu"])
        cadres = context.cache_key("indicateurs", scope, filtres)
        pilotage = context.cache_key("pilotage", scope, filtres)
        vue = context.cache_key("vue:essai", scope, filtres)
    client = redis.Redis.from_url(redis_url)
    presentes = {k.decode().removeprefix("suivi-etp:cache:") for k in client.keys("*")}
    client.close()
    assert vue in presentes
    assert cadres not in presentes and pilotage not in presentes

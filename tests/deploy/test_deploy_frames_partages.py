"""With Redis shared by the workers, a selection's frames computed by one worker are read back
by the other instead of being computed again; what derives from them stays in each worker."""

from __future__ import annotations

import pandas as pd

from callbacks import context
from etp import queries
from etp.filters import Filtres
from etp.scope import Scope


def test_the_other_worker_reads_the_frames_back(make_app, redis_url, monkeypatch):
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
        autre = context.indicateurs(Scope.of_departements(["35"]), filtres)
    assert len(calculs) == 2  # the national frames once, the other scope's once
    pd.testing.assert_frame_equal(annuel_1, annuel_2)
    pd.testing.assert_frame_equal(mensuel_1, mensuel_2)
    assert autre[0] is not annuel_2


def test_derived_data_is_not_put_in_redis(make_app, redis_url):
    import redis

    server = make_app(REDIS_URL=redis_url).server
    scope, filtres = Scope.everything(), Filtres(annee=2022)
    with server.app_context():
        context.pilotage(scope, filtres)
        cadres = context.cache_key("indicateurs", scope, filtres)
        pilotage = context.cache_key("pilotage", scope, filtres)
    client = redis.Redis.from_url(redis_url)
    presentes = {k.decode().removeprefix("suivi-etp:cache:") for k in client.keys("*")}
    client.close()
    assert cadres in presentes
    assert pilotage not in presentes

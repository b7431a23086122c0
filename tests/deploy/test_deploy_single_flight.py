"""Two gunicorn workers (two apps, one Redis) asked for the same uncached figures: one computes,
the other waits for its result instead of computing it again (``app.single_flight``)."""

from __future__ import annotations

import time

from calcul_bloque import CalculBloque, deux_demandes

from callbacks import context
from etp.filters import Filtres
from etp.scope import Scope


def test_two_processes_compute_one_key_once(make_app, redis_url):
    worker_1 = make_app(REDIS_URL=redis_url).server
    worker_2 = make_app(REDIS_URL=redis_url).server
    scope, filtres = Scope.everything(), Filtres(annee=2022)
    calcul = CalculBloque(["vue", 1])
    with worker_2.app_context():
        cle = context.cache_key("vue:essai-redis", scope, filtres)
    verrous_2, _ = worker_2.extensions["single_flight"]

    def second_attend() -> None:
        fin = time.monotonic() + 20
        while cle not in verrous_2._locks:  # the second worker is at the shared lock
            assert time.monotonic() < fin
            time.sleep(0.01)
        time.sleep(0.2)
        assert calcul.calculs == ["premier"]

    servers = (worker_1, worker_2)
    resultats = deux_demandes(servers, "essai-redis", scope, filtres, calcul, second_attend)
    assert calcul.calculs == ["premier"]
    assert resultats == {"premier": ["vue", 1], "second": ["vue", 1]}


def test_without_redis_reachable_a_callback_still_answers(make_app):
    server = make_app(REDIS_URL="redis://127.0.0.1:1/0").server  # nothing listens there
    with server.app_context():
        valeur = context.vue("sans-redis", Scope.everything(), Filtres(annee=2022), lambda: 7)
    assert valeur == 7

"""Two gunicorn workers (two apps, one Redis) asked for the same uncached figures: one computes,
the other waits for its result instead of computing it again (``app.single_flight``)."""

from __future__ import annotations

import threading
import time

from callbacks import context
from etp.filters import Filtres
from etp.scope import Scope


def test_two_processes_compute_one_key_once(make_app, redis_url):
    worker_1 = make_app(REDIS_URL=redis_url).server
    worker_2 = make_app(REDIS_URL=redis_url).server
    scope, filtres = Scope.everything(), Filtres(annee=2022)
    calculs: list[str] = []
    commence, libere = threading.Event(), threading.Event()
    resultats: dict[str, object] = {}

    def calcul():
        calculs.append(threading.current_thread().name)
        commence.set()
        assert libere.wait(20)
        return ["vue", 1]

    def demande(server, nom: str) -> None:
        with server.app_context():
            resultats[nom] = context.vue("essai-redis", scope, filtres, calcul)

    premier = threading.Thread(target=demande, args=(worker_1, "premier"), name="premier")
    premier.start()
    assert commence.wait(20)
    second = threading.Thread(target=demande, args=(worker_2, "second"), name="second")
    second.start()
    with worker_2.app_context():
        cle = context.cache_key("vue:essai-redis", scope, filtres)
    verrous_2, _ = worker_2.extensions["single_flight"]
    fin = time.monotonic() + 20
    while cle not in verrous_2._locks:  # the second worker is at the shared lock
        assert time.monotonic() < fin
        time.sleep(0.01)
    time.sleep(0.2)
    assert calculs == ["premier"]
    libere.set()
    premier.join(20)
    second.join(20)
    assert calculs == ["premier"]
    assert resultats == {"premier": ["vue", 1], "second": ["vue", 1]}


def test_without_redis_reachable_a_callback_still_answers(make_app):
    server = make_app(REDIS_URL="redis://127.0.0.1:1/0").server  # nothing listens there
    with server.app_context():
        valeur = context.vue("sans-redis", Scope.everything(), Filtres(annee=2022), lambda: 7)
    assert valeur == 7

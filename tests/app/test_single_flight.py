"""Callbacks sent together for the same figures compute them once: the others wait for the
first one's result (``app.single_flight`` under ``callbacks.context``)."""

from __future__ import annotations

import threading
import time

import pytest
from calcul_bloque import CalculBloque, deux_demandes

from app import single_flight
from callbacks import context
from etp.filters import Filtres
from etp.scope import Scope


def _attendre(condition, secondes: float = 10.0) -> None:
    fin = time.monotonic() + secondes
    while not condition():
        assert time.monotonic() < fin, "la condition n'est jamais devenue vraie"
        time.sleep(0.01)


def test_parallel_requests_for_one_key_compute_once(app):
    server = app.server
    scope, filtres = Scope.everything(), Filtres(annee=2022)
    calcul = CalculBloque({"valeur": 42})
    with server.app_context():
        cle = context.cache_key("vue:essai", scope, filtres)
    verrous, _ = server.extensions["single_flight"]

    def second_attend() -> None:
        _attendre(lambda: verrous._locks.get(cle, [None, 0])[1] == 2)

    resultats = deux_demandes((server, server), "essai", scope, filtres, calcul, second_attend)
    assert calcul.calculs == ["premier"]
    assert resultats == {"premier": {"valeur": 42}, "second": {"valeur": 42}}
    assert len(verrous) == 0  # nothing kept once nobody holds the key


def test_different_keys_do_not_wait_for_each_other(app):
    server = app.server
    libere = threading.Event()
    dans_a = threading.Event()

    def tenir_a() -> None:
        with server.app_context(), single_flight.hold("a"):
            dans_a.set()
            libere.wait(10)

    t = threading.Thread(target=tenir_a)
    t.start()
    assert dans_a.wait(10)
    with server.app_context(), single_flight.hold("b"):
        pass  # would block forever if keys shared a lock
    libere.set()
    t.join(10)
    assert not t.is_alive()


def test_a_failed_computation_frees_the_key_and_the_next_caller_computes(app):
    server = app.server
    scope, filtres = Scope.everything(), Filtres(annee=2022)

    def en_panne():
        raise RuntimeError("base indisponible")

    with server.app_context():
        with pytest.raises(RuntimeError):
            context.vue("panne", scope, filtres, en_panne)
        assert context.vue("panne", scope, filtres, lambda: "calculé") == "calculé"
    assert len(server.extensions["single_flight"][0]) == 0


def test_a_redis_waiter_tries_again_every_hundredth_of_a_second(app):
    """redis-py's default waiter sleeps 0.1 s between tries: a callback would wait that long
    after the value it waits for is ready."""
    demandes: list[dict] = []

    class Verrou:
        def acquire(self) -> bool:
            return True

        def release(self) -> None:
            pass

    class Client:
        def lock(self, name: str, **options) -> Verrou:
            demandes.append({"name": name, **options})
            return Verrou()

    with app.server.app_context():
        locales, _ = app.server.extensions["single_flight"]
        app.server.extensions["single_flight"] = (locales, Client())
        with single_flight.hold("cle"):
            pass
    assert demandes == [
        {
            "name": "suivi-etp:calcul:cle",
            "timeout": single_flight.DUREE_MAX,
            "sleep": single_flight.INTERVALLE,
            "blocking_timeout": single_flight.ATTENTE_MAX,
        }
    ]
    assert single_flight.INTERVALLE <= 0.01

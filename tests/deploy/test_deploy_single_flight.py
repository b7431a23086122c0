"""Two gunicorn workers (two apps, one Redis) asked for the same uncached figures: one computes,
the other waits for its result instead of computing it again (``app.single_flight``)."""

from __future__ import annotations

import threading
import time

import pytest
from builders import Donnees
from calcul_bloque import CalculBloque, deux_demandes
from cas_cofinancement import tous_les_fichiers

from callbacks import cofinancement as cb_cofinancement
from callbacks import context
from callbacks import financeurs as cb_financeurs
from etp import cofinancement as etp_cofinancement
from etp import pilotage as etp_pilotage
from etp.filters import Filtres
from etp.fluxiae import import_paths
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


def _compte_les_lectures(monkeypatch, module, nom: str) -> list[int]:
    appels: list[int] = []
    original = getattr(module, nom)

    def compte(*args, **kwargs):
        appels.append(1)
        time.sleep(0.3)  # long enough for the other worker to ask meanwhile
        return original(*args, **kwargs)

    monkeypatch.setattr(module, nom, compte)
    return appels


def _en_parallele(*appels) -> list:
    resultats: list = [None] * len(appels)
    erreurs: list[BaseException] = []

    def lance(i: int, server, fonction) -> None:
        try:
            with server.app_context():
                resultats[i] = fonction()
        except BaseException as exc:  # reported in the test's thread
            erreurs.append(exc)

    fils = [
        threading.Thread(target=lance, args=(i, server, fonction))
        for i, (server, fonction) in enumerate(appels)
    ]
    for fil in fils:
        fil.start()
    for fil in fils:
        fil.join(60)
    assert not erreurs, erreurs
    return resultats


@pytest.mark.parametrize("onglet", ["financeurs", "cofinancement"])
def test_a_tab_opened_on_two_workers_reads_its_data_once(
    make_app, engine, redis_url, monkeypatch, tmp_path, onglet
):
    """The tab's cards on one worker, one of its tables on the other, asked together (as the
    browser does): the tab's data is read and its views computed once, by one of them."""
    if onglet == "financeurs":
        module, lecture = cb_financeurs, etp_pilotage
        Donnees(engine).trois_structures(af_ids=(1000, 1002, 1003), af_2021_id=1001)
    else:
        module, lecture = cb_cofinancement, etp_cofinancement
        import_paths(engine, list(tous_les_fichiers(tmp_path / "f").values()))
    appels = _compte_les_lectures(monkeypatch, lecture, "charger")
    worker_1 = make_app(REDIS_URL=redis_url).server
    worker_2 = make_app(REDIS_URL=redis_url).server
    scope, filtres = Scope.everything(), Filtres(annee=2022)
    # a table with rows for this data (the first of each tab has some)
    table = next(iter(module.TABLES.values()))

    def cartes():
        module.ouvrir(scope, filtres)
        return module.rendu(scope, filtres)

    servies, lignes = _en_parallele(
        (worker_1, cartes), (worker_2, lambda: table.lignes(scope, filtres))
    )
    assert len(appels) == 1
    assert servies and len(lignes)  # something was served: else this proves nothing
    with worker_2.app_context():  # the cards were computed with the table: worker 2 has them
        assert module.rendu(scope, filtres) is not None
    assert len(appels) == 1

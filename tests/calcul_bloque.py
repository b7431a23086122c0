"""Two callbacks asking for the same uncached view at once (tests of ``app.single_flight``)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from callbacks import context
from etp.filters import Filtres
from etp.scope import Scope


class CalculBloque:
    """A computation that records the thread running it, then waits to be released."""

    def __init__(self, valeur: Any) -> None:
        self.valeur = valeur
        self.calculs: list[str] = []
        self.commence = threading.Event()
        self.libere = threading.Event()

    def __call__(self) -> Any:
        self.calculs.append(threading.current_thread().name)
        self.commence.set()
        assert self.libere.wait(20)
        return self.valeur


def deux_demandes(
    servers: tuple[Any, Any],
    kind: str,
    scope: Scope,
    filtres: Filtres,
    calcul: CalculBloque,
    second_attend: Callable[[], None],
) -> dict[str, Any]:
    """``context.vue(kind, …)`` asked by a first thread (on ``servers[0]``), then, once the first
    computes, by a second (on ``servers[1]``); ``second_attend`` returns when the second one
    waits; then the computation is released. The views each thread got, by thread name."""
    resultats: dict[str, Any] = {}

    def demande(server: Any, nom: str) -> None:
        with server.app_context():
            resultats[nom] = context.vue(kind, scope, filtres, calcul)

    premier = threading.Thread(target=demande, args=(servers[0], "premier"), name="premier")
    premier.start()
    assert calcul.commence.wait(20)
    second = threading.Thread(target=demande, args=(servers[1], "second"), name="second")
    second.start()
    second_attend()
    calcul.libere.set()
    premier.join(20)
    second.join(20)
    return resultats

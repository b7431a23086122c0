"""The last few selections' frames, kept as they are in this process's memory.

Every tab of a selection needs its frames; a national selection's weigh about 20 MB once
pickled. Read back from the shared cache (where ``callbacks.context`` also puts them when Redis
is shared by the workers) they cost ~30 ms to unpickle; kept here, unpickled, nothing. What is
derived from them quickly (the funders' data, a detail table's rows) stays here only. Keys
carry the data version, so an entry is never stale: the oldest ones simply make room
(:data:`MAX_ENTREES` per process).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Any

from flask import Flask, current_app

#: Entries kept per process (a national selection's frames: some 40 MB in memory).
MAX_ENTREES = 6


class LocalCache:
    """A thread-safe least-recently-used mapping of at most ``max_entrees`` values."""

    def __init__(self, max_entrees: int = MAX_ENTREES) -> None:
        self.max_entrees = max_entrees
        self._valeurs: OrderedDict[str, Any] = OrderedDict()
        self._verrou = threading.Lock()

    def get(self, key: str) -> Any:
        with self._verrou:
            valeur = self._valeurs.get(key)
            if valeur is not None:
                self._valeurs.move_to_end(key)
            return valeur

    def set(self, key: str, valeur: Any) -> None:
        with self._verrou:
            self._valeurs[key] = valeur
            self._valeurs.move_to_end(key)
            while len(self._valeurs) > self.max_entrees:
                self._valeurs.popitem(last=False)

    def clear(self) -> None:
        with self._verrou:
            self._valeurs.clear()

    def __len__(self) -> int:
        return len(self._valeurs)


def install(server: Flask) -> None:
    server.extensions["local_cache"] = LocalCache(
        int(server.config.get("LOCAL_CACHE_ENTREES", MAX_ENTREES))
    )


def local_cache() -> LocalCache:
    """The current app's local cache."""
    return current_app.extensions["local_cache"]

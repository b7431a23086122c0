"""One computation per cache key at a time: the others wait for its result.

When a funder opens a tab, the browser sends its callbacks together (the tab's content and
each of its tables); all of them need the same selection's figures, and none is cached yet.
Without coordination every callback computes them, on the same two cores, and each answers
as late as the slowest. :func:`hold` serialises the computations of one key: the first caller
computes, the next ones find the value in the cache once they get the lock.

Inside a process a lock per key (threads of a gunicorn worker); across processes (several
workers, several machines) a Redis lock when ``REDIS_URL`` is set. Keys nest in one order only
(a view holds its key while it reads the selection's figures, never the reverse), so locks
cannot deadlock; a Redis lock also gives up after :data:`ATTENTE_MAX` seconds (the caller then
computes by itself) and expires after :data:`DUREE_MAX` seconds (a killed worker frees it).
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

from flask import Flask, current_app

#: Seconds a caller waits for another one's computation before computing by itself.
ATTENTE_MAX = 30
#: Seconds after which a Redis lock frees itself (a worker killed while computing).
DUREE_MAX = 60
#: Seconds between two tries of a waiter for a Redis lock (redis-py's default, 0.1 s, made a
#: callback wait up to a tenth of a second after the value it waited for was ready).
INTERVALLE = 0.01


class LocalLocks:
    """A lock per key, created on first use and forgotten when nobody holds or awaits it."""

    def __init__(self) -> None:
        self._mutex = threading.Lock()
        self._locks: dict[str, list[Any]] = {}  # key -> [lock, holders and waiters]

    @contextlib.contextmanager
    def hold(self, key: str) -> Iterator[None]:
        with self._mutex:
            entry = self._locks.setdefault(key, [threading.Lock(), 0])
            entry[1] += 1
        try:
            with entry[0]:
                yield
        finally:
            with self._mutex:
                entry[1] -= 1
                if entry[1] == 0:
                    del self._locks[key]

    def __len__(self) -> int:
        return len(self._locks)


def install(server: Flask) -> None:
    """The locks of ``server``: this process's, plus Redis's when ``REDIS_URL`` is set."""
    client = None
    url = server.config.get("REDIS_URL")
    if url:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=5, socket_connect_timeout=2)
    server.extensions["single_flight"] = (LocalLocks(), client)


@contextlib.contextmanager
def hold(key: str, partage: bool = True) -> Iterator[None]:
    """Hold ``key``'s lock (this process's, then the shared one) for the block. ``partage``
    false: this process's only, for a value that stays in this process (app.local_cache)."""
    locales, client = current_app.extensions["single_flight"]
    with locales.hold(key):
        if client is None or not partage:
            yield
            return
        with _redis_lock(client, key):
            yield


@contextlib.contextmanager
def _redis_lock(client: Any, key: str) -> Iterator[None]:
    import redis

    lock = client.lock(
        "suivi-etp:calcul:" + key,
        timeout=DUREE_MAX,
        sleep=INTERVALLE,
        blocking_timeout=ATTENTE_MAX,
    )
    try:
        acquired = lock.acquire()
    except redis.RedisError:  # Redis down: compute without waiting, the page must answer
        acquired = False
    try:
        yield
    finally:
        if acquired:
            with contextlib.suppress(redis.RedisError):
                lock.release()

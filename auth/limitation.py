"""Per-account login throttling: after a few failed attempts on one e-mail, the next attempt
must wait, longer after each further failure (15 s, 30 s, 1 min... up to 15 min).

Counted on failures only, reset by a success, and the same for unknown e-mails (an attacker
learns nothing about which accounts exist). While an account waits, its password is not even
checked. With ``REDIS_URL`` the counters live in Redis, shared by every gunicorn worker; without
it, in the process (``make run``). A Redis outage never blocks a login: it only stops counting.

The per-address limit (``LOGIN_RATE_LIMIT``, Flask-Limiter) complements it: it also counts
failures only, so an office behind one address is not locked out by its own colleagues'
successful logins.
"""

from __future__ import annotations

import contextlib
import hashlib
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from flask import Flask, current_app

ECHECS_AVANT_DELAI = 5
DELAI_INITIAL = 15  # seconds after the ECHECS_AVANT_DELAI-th failure, doubled at each further one
DELAI_MAX = 15 * 60
OUBLI = 24 * 3600  # a counter without a new failure for a day is forgotten
PREFIXE = "suivi-etp:echecs:"


def delai(echecs: int, avant: int = ECHECS_AVANT_DELAI, initial: int = DELAI_INITIAL) -> int:
    """Seconds to wait after ``echecs`` consecutive failures."""
    if echecs < avant:
        return 0
    return min(initial * 2 ** (echecs - avant), DELAI_MAX)


def _cle(email: str) -> str:
    normal = (email or "").strip().lower()
    return PREFIXE + hashlib.sha256(normal.encode()).hexdigest()


@dataclass
class Memoire:
    """Counters of one process."""

    echecs: dict[str, tuple[int, float, float]] = field(default_factory=dict)
    verrou: threading.Lock = field(default_factory=threading.Lock)

    def attente(self, cle: str, maintenant: float) -> float:
        with self.verrou:
            _, jusqua, _ = self.echecs.get(cle, (0, 0.0, 0.0))
        return max(0.0, jusqua - maintenant)

    def echec(self, cle: str, maintenant: float, regle: tuple[int, int]) -> int:
        with self.verrou:
            n, _, vu = self.echecs.get(cle, (0, 0.0, 0.0))
            n = 1 if maintenant - vu > OUBLI else n + 1
            self.echecs[cle] = (n, maintenant + delai(n, *regle), maintenant)
            return n

    def succes(self, cle: str) -> None:
        with self.verrou:
            self.echecs.pop(cle, None)


@dataclass
class Redis:
    """Counters in Redis: ``<key>`` holds the failure count, ``<key>:jusqua`` the time until
    which the account waits (both expire by themselves)."""

    client: Any

    def attente(self, cle: str, maintenant: float) -> float:
        import redis

        try:
            jusqua = self.client.get(cle + ":jusqua")
        except redis.RedisError:
            return 0.0
        return max(0.0, float(jusqua) - maintenant) if jusqua else 0.0

    def echec(self, cle: str, maintenant: float, regle: tuple[int, int]) -> int:
        import redis

        try:
            pipe = self.client.pipeline()
            pipe.incr(cle)
            pipe.expire(cle, OUBLI)
            n = int(pipe.execute()[0])
            attente = delai(n, *regle)
            if attente:
                self.client.set(cle + ":jusqua", repr(maintenant + attente), ex=attente + 1)
            return n
        except redis.RedisError:
            return 0

    def succes(self, cle: str) -> None:
        import redis

        with contextlib.suppress(redis.RedisError):
            self.client.delete(cle, cle + ":jusqua")


def install(server: Flask) -> None:
    """The store of ``server``: Redis when ``REDIS_URL`` is set, else this process."""
    url = server.config.get("REDIS_URL")
    if url:
        import redis

        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        server.extensions["auth_echecs"] = Redis(client)
    else:
        server.extensions["auth_echecs"] = Memoire()


def _store() -> Memoire | Redis:
    return current_app.extensions["auth_echecs"]


def _regle() -> tuple[int, int]:
    config = current_app.config
    return (
        int(config.get("LOGIN_ECHECS_AVANT_DELAI", ECHECS_AVANT_DELAI)),
        int(config.get("LOGIN_DELAI_INITIAL", DELAI_INITIAL)),
    )


def attente(email: str, maintenant: float | None = None) -> int:
    """Seconds (rounded up) before ``email`` may try again; 0 when it may now."""
    reste = _store().attente(_cle(email), time.time() if maintenant is None else maintenant)
    return int(reste) + (1 if reste % 1 else 0)


def echec(email: str, maintenant: float | None = None) -> int:
    """Count a failed attempt; returns the number of consecutive failures."""
    return _store().echec(_cle(email), time.time() if maintenant is None else maintenant, _regle())


def succes(email: str) -> None:
    """A successful login forgets the failures."""
    _store().succes(_cle(email))


def en_clair(secondes: int) -> str:
    """``"45 secondes"``, ``"2 minutes"``."""
    if secondes < 60:
        return f"{secondes} seconde{'s' if secondes > 1 else ''}"
    minutes = -(-secondes // 60)
    return f"{minutes} minute{'s' if minutes > 1 else ''}"

"""The per-account login delay is shared through Redis: failures counted by one app (one
gunicorn worker) make the account wait in the other; without Redis each process counts alone.
"""

from __future__ import annotations

from auth import limitation
from auth.testing import TEST_PASSWORD

BLOQUE = "Trop de tentatives de connexion pour ce compte"


def _echecs(apps, login, n: int) -> list[int]:
    return [
        login(apps[i % len(apps)].server.test_client(), "a@x.test", "mauvais").status_code
        for i in range(n)
    ]


def test_an_account_waits_in_every_worker(make_app, make_user, login, redis_url):
    first = make_app(REDIS_URL=redis_url, RATELIMIT_ENABLED=False)
    second = make_app(REDIS_URL=redis_url, RATELIMIT_ENABLED=False)
    assert isinstance(first.server.extensions["auth_echecs"], limitation.Redis)
    make_user("a@x.test", "dgefp")
    assert (
        _echecs([first, second], login, limitation.ECHECS_AVANT_DELAI)
        == [200] * limitation.ECHECS_AVANT_DELAI
    )
    for app in (first, second):
        response = login(app.server.test_client(), "a@x.test", TEST_PASSWORD)
        assert response.status_code == 429 and BLOQUE in response.text


def test_without_redis_each_process_counts_alone(make_app, make_user, login, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    first = make_app(RATELIMIT_ENABLED=False)
    second = make_app(RATELIMIT_ENABLED=False)
    make_user("a@x.test", "dgefp")
    _echecs([first, second], login, limitation.ECHECS_AVANT_DELAI)  # 3 here, 2 there
    assert login(second.server.test_client(), "a@x.test", TEST_PASSWORD).status_code == 302

"""With ``REDIS_URL`` set, every app process shares one cache and one login rate-limit counter.

Two apps built by ``create_app`` stand for two gunicorn workers: each has its own Flask-Caching
backend and its own Flask-Limiter, so anything they share goes through Redis.
"""

from __future__ import annotations

import pandas as pd
from flask_caching.backends import RedisCache, SimpleCache

from app.extensions import cache
from etp.filters import Filtres
from etp.scope import Scope

LIMIT = 10  # auth.DEFAULT_LOGIN_RATE_LIMIT is "10 per minute"


def _backend(app):
    return app.server.extensions["cache"][cache]


def test_redis_url_selects_redis_for_cache_and_rate_limit(make_app, redis_url):
    app = make_app(REDIS_URL=redis_url)
    assert isinstance(_backend(app), RedisCache)
    assert app.server.config["RATELIMIT_STORAGE_URI"] == redis_url
    limiter = app.server.extensions["auth_limiter"]
    assert type(limiter.storage).__name__.startswith("Redis")


def test_without_redis_url_stores_are_per_process(make_app, monkeypatch):
    monkeypatch.delenv("REDIS_URL", raising=False)
    app = make_app()
    assert isinstance(_backend(app), SimpleCache)
    assert app.server.config["RATELIMIT_STORAGE_URI"] == "memory://"


def test_two_apps_share_a_cache_entry(make_app, redis_url):
    first, second = make_app(REDIS_URL=redis_url), make_app(REDIS_URL=redis_url)
    frame = pd.DataFrame({"numero": ["ACI035220001"], "etp": [12.345678901234]})
    with first.server.app_context():
        cache.set("partage", frame)
    with second.server.app_context():
        hit = cache.get("partage")
    pd.testing.assert_frame_equal(hit, frame)  # full precision through pickling


def test_a_dashboard_read_computed_by_one_app_is_served_by_the_other(make_app, redis_url):
    """The dashboard's cache keys are deterministic across processes (no ``hash()``): what one
    worker computed, another finds without touching the database again."""
    from callbacks import context

    first, second = make_app(REDIS_URL=redis_url), make_app(REDIS_URL=redis_url)
    scope, filtres = Scope.of_region("53"), Filtres(annee=2024)
    with first.server.test_request_context("/"):
        computed = context._cached("annuels", scope, filtres, lambda: {"etp": 1.5})

    def must_not_run():
        raise AssertionError("computed again: the cache entry was not shared")

    with second.server.test_request_context("/"):
        assert context._cached("annuels", scope, filtres, must_not_run) == computed
        # another scope is another entry
        other = context._cached("annuels", Scope.of_region("76"), filtres, lambda: {"etp": 9.0})
    assert other == {"etp": 9.0}


def _failed_logins(apps, count, login):
    """``count`` failed logins from one address, each on another e-mail: the per-address limit
    alone is at work (the per-account delay would answer first on a single account)."""
    clients = [a.server.test_client() for a in apps]
    return [
        login(clients[i % len(clients)], f"inconnu{i}@x.test", "mauvais").status_code
        for i in range(count)
    ]


def test_login_rate_limit_is_shared_between_apps(make_app, make_user, login, redis_url):
    first, second = make_app(REDIS_URL=redis_url), make_app(REDIS_URL=redis_url)
    make_user("a@x.test", "dgefp")
    codes = _failed_logins([first, second], LIMIT + 1, login)
    assert codes == [200] * LIMIT + [429]
    # the limit now holds in both apps, including for the right password
    assert login(first.server.test_client(), "a@x.test").status_code == 429
    assert login(second.server.test_client(), "a@x.test").status_code == 429


def test_without_redis_each_app_counts_alone(make_app, make_user, login, monkeypatch):
    """The control: per-process ``memory://`` counters let 2 × 10 attempts through."""
    monkeypatch.delenv("REDIS_URL", raising=False)
    first, second = make_app(), make_app()
    make_user("a@x.test", "dgefp")
    assert _failed_logins([first, second], LIMIT + 1, login) == [200] * (LIMIT + 1)

"""Fixtures of the deployment tests: a Redis test database and apps built like production.

``TEST_REDIS_URL`` (``redis://127.0.0.1:6379/15`` in CI) names a Redis database these tests may
empty: only that database number is flushed, before and after each test. Without it the tests
that need Redis are skipped, unless ``REQUIRE_REDIS=1`` (CI), which turns the skip into a failure.
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

REDIS_URL = os.environ.get("TEST_REDIS_URL")
REQUIRE_REDIS = os.environ.get("REQUIRE_REDIS") == "1"


def _empty_redis_database() -> str:
    """Flush the database of ``TEST_REDIS_URL`` (only that number) and return the URL; skip,
    or fail under ``REQUIRE_REDIS=1``, when it is not set or not reachable."""
    if not REDIS_URL:
        if REQUIRE_REDIS:
            pytest.fail("REQUIRE_REDIS=1 but TEST_REDIS_URL is not set")
        pytest.skip("TEST_REDIS_URL not set: Redis layer skipped")
    import redis

    client = redis.Redis.from_url(REDIS_URL, socket_timeout=5, socket_connect_timeout=5)
    try:
        client.flushdb()
    except redis.RedisError as exc:
        if REQUIRE_REDIS:
            pytest.fail(f"Redis unreachable at {REDIS_URL}: {exc}")
        pytest.skip(f"Redis unreachable: {exc}")
    finally:
        client.close()
    return REDIS_URL


@pytest.fixture
def redis_url() -> Iterator[str]:
    """The URL of an empty Redis database, flushed again after the test."""
    yield _empty_redis_database()
    _empty_redis_database()


@pytest.fixture(scope="module")
def redis_url_module() -> Iterator[str]:
    """The same, for a whole module (a server started once for several tests)."""
    yield _empty_redis_database()
    _empty_redis_database()


@pytest.fixture
def make_app(db_url: str, tmp_path):
    """``make_app(**config)``: an app on the test database with production-like settings
    (rate limit on, per-form CSRF on); ``config`` overrides them."""
    from app import create_app

    def _make(**config):
        settings = {
            "DATABASE_URL": db_url,
            "SECRET_KEY": "cle-de-test-partagee",
            "INSTANCE_DIR": str(tmp_path),
            "WTF_CSRF_ENABLED": True,
            "RATELIMIT_ENABLED": True,
        }
        settings.update(config)
        return create_app(settings)

    return _make

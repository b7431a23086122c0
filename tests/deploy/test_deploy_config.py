"""Production settings: shared stores from ``REDIS_URL``, HTTPS cookies, the reverse-proxy flag,
and a WSGI module that gunicorn can import in the master or in each worker."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from app.config import load_settings

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 10


def _clean_env(monkeypatch) -> None:
    for name in ("REDIS_URL", "SESSION_COOKIE_SECURE", "PROXY_FIX", "PROXY_FIX_HOPS"):
        monkeypatch.delenv(name, raising=False)


def test_redis_url_from_environment_or_overrides(monkeypatch, tmp_path):
    _clean_env(monkeypatch)
    base = {"SECRET_KEY": "k", "INSTANCE_DIR": str(tmp_path), "DATABASE_URL": "sqlite://"}
    local = load_settings(base)
    assert (local["CACHE_TYPE"], local["RATELIMIT_STORAGE_URI"]) == ("SimpleCache", "memory://")

    monkeypatch.setenv("REDIS_URL", "redis://cache.example:6379/2")
    from_env = load_settings(base)
    assert from_env["CACHE_TYPE"] == "RedisCache"
    assert from_env["CACHE_REDIS_URL"] == from_env["RATELIMIT_STORAGE_URI"]
    assert from_env["RATELIMIT_STORAGE_URI"] == "redis://cache.example:6379/2"

    overridden = load_settings({**base, "REDIS_URL": "redis://autre:6379/3"})
    assert overridden["RATELIMIT_STORAGE_URI"] == "redis://autre:6379/3"
    explicit = load_settings({**base, "RATELIMIT_STORAGE_URI": "memory://"})
    assert explicit["RATELIMIT_STORAGE_URI"] == "memory://"  # an explicit override wins


def test_https_cookies_and_proxy_flags(monkeypatch, tmp_path):
    _clean_env(monkeypatch)
    base = {"SECRET_KEY": "k", "INSTANCE_DIR": str(tmp_path), "DATABASE_URL": "sqlite://"}
    plain = load_settings(base)
    assert not plain["SESSION_COOKIE_SECURE"] and not plain["PROXY_FIX"]
    assert plain["SESSION_COOKIE_HTTPONLY"] and plain["SESSION_COOKIE_SAMESITE"] == "Lax"
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    monkeypatch.setenv("PROXY_FIX", "1")
    monkeypatch.setenv("PROXY_FIX_HOPS", "2")
    prod = load_settings(base)
    assert prod["SESSION_COOKIE_SECURE"] and prod["REMEMBER_COOKIE_SECURE"]
    assert prod["PROXY_FIX"] and prod["PROXY_FIX_HOPS"] == 2


def test_secure_session_cookie_after_login(make_app, make_user, login, monkeypatch):
    monkeypatch.setenv("SESSION_COOKIE_SECURE", "1")
    app = make_app()
    make_user("a@x.test", "dgefp")
    response = login(app.server.test_client(), "a@x.test")
    assert response.status_code == 302
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie


def _client(app, forwarded_for: str):
    client = app.server.test_client()
    client.environ_base["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return client


def test_proxy_fix_limits_each_client_behind_the_proxy(make_app, make_user, login, monkeypatch):
    """With ``PROXY_FIX`` the login limit counts the client of ``X-Forwarded-For``: one client
    exhausting it does not lock out another one behind the same proxy."""
    monkeypatch.delenv("REDIS_URL", raising=False)
    app = make_app(PROXY_FIX=True, PROXY_FIX_HOPS=1)
    make_user("a@x.test", "dgefp")
    attacker, other = _client(app, "203.0.113.7"), _client(app, "198.51.100.2")
    codes = [login(attacker, f"x{i}@x.test", "mauvais").status_code for i in range(LIMIT + 1)]
    assert codes == [200] * LIMIT + [429]
    assert login(other, "a@x.test").status_code == 302


def test_without_proxy_fix_a_forged_header_does_not_reset_the_limit(
    make_app, make_user, login, monkeypatch
):
    """Exposed directly, the app must not trust ``X-Forwarded-For``: changing it on every
    attempt would otherwise give each attempt a fresh counter."""
    monkeypatch.delenv("REDIS_URL", raising=False)
    monkeypatch.delenv("PROXY_FIX", raising=False)
    app = make_app()
    make_user("a@x.test", "dgefp")
    codes = [
        login(_client(app, f"203.0.113.{i}"), f"x{i}@x.test", "mauvais").status_code
        for i in range(LIMIT + 1)
    ]
    assert codes == [200] * LIMIT + [429]


def test_wsgi_module_opens_no_database_connection_at_import(tmp_path):
    """gunicorn imports ``app.wsgi`` once per worker (or once in the master with
    ``--preload``, then forks): building the app must not open a connection that forked
    workers would then share. One app object, no engine yet."""
    code = (
        "import json; from etp.db import get_engine; import app.wsgi as w; "
        "print(json.dumps({'engines': get_engine.cache_info().currsize, "
        "'same': w.server is w.application.server, 'kind': type(w.server).__name__}))"
    )
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}",
        "SECRET_KEY": "k",
        "SUIVI_ETP_INSTANCE": str(tmp_path),
    }
    env.pop("REDIS_URL", None)
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(out.stdout.strip().splitlines()[-1]) == {
        "engines": 0,
        "same": True,
        "kind": "Flask",
    }


def test_production_servers_are_runtime_dependencies():
    """``pip install .`` (without ``[dev]``) must be enough to run gunicorn with Redis."""
    import re
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    dependencies = project["dependencies"]
    names = {re.split(r"[<>=!~\[ ;]", dep, maxsplit=1)[0].lower() for dep in dependencies}
    assert {"gunicorn", "redis", "psycopg", "flask-limiter", "flask-caching"} <= names


def test_the_login_preload_is_on_when_serving_and_can_be_turned_off(monkeypatch, tmp_path):
    monkeypatch.delenv("PRECHARGER_A_LA_CONNEXION", raising=False)
    assert load_settings({"INSTANCE_DIR": str(tmp_path)})["PRECHARGER_A_LA_CONNEXION"] is True
    testing = {"INSTANCE_DIR": str(tmp_path), "TESTING": True}
    assert load_settings(testing)["PRECHARGER_A_LA_CONNEXION"] is False
    monkeypatch.setenv("PRECHARGER_A_LA_CONNEXION", "0")
    assert load_settings({"INSTANCE_DIR": str(tmp_path)})["PRECHARGER_A_LA_CONNEXION"] is False
    monkeypatch.setenv("PRECHARGER_A_LA_CONNEXION", "1")
    assert load_settings(testing)["PRECHARGER_A_LA_CONNEXION"] is True

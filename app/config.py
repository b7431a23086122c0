"""Settings read from the environment (12-factor), with safe defaults for ``make run``."""

from __future__ import annotations

import contextlib
import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from etp.db import INSTANCE_DIR, default_database_url


def _secret_key(instance_dir: Path) -> str:
    """``SECRET_KEY`` from the environment, else one generated once into ``instance/`` so that
    every gunicorn worker (and every restart) shares it.

    The key is written to a private temporary file (mode 0600 from creation) and published with
    ``os.link``, which fails if the file exists: two workers starting at once both end up reading
    the same, complete key."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    instance_dir.mkdir(parents=True, exist_ok=True)
    path = instance_dir / "secret_key"
    if not path.exists():
        tmp = instance_dir / f".secret_key.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(secrets.token_hex(32))
            with contextlib.suppress(FileExistsError):  # another worker published first
                os.link(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    return path.read_text(encoding="utf-8").strip()


def _flag(name: str) -> bool:
    return os.environ.get(name, "0").strip().lower() in {"1", "true", "oui", "yes"}


def shared_store_settings(redis_url: str | None) -> dict[str, Any]:
    """Cache and rate-limit storage for ``redis_url``.

    With several gunicorn workers (or several machines) a per-process ``SimpleCache`` and
    ``memory://`` rate limit would give each worker its own counter: ten failed logins per
    worker instead of ten in all. Redis makes both shared; without it they stay per process,
    which is right for ``make run`` (one process).
    """
    if redis_url:
        return {
            "REDIS_URL": redis_url,
            "CACHE_TYPE": "RedisCache",
            "CACHE_REDIS_URL": redis_url,
            "CACHE_KEY_PREFIX": "suivi-etp:cache:",
            "RATELIMIT_STORAGE_URI": redis_url,
            "RATELIMIT_KEY_PREFIX": "suivi-etp",
        }
    return {
        "REDIS_URL": None,
        "CACHE_TYPE": "SimpleCache",
        "CACHE_REDIS_URL": None,
        "RATELIMIT_STORAGE_URI": "memory://",
    }


def load_settings(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The Flask config of the app: environment first, then ``overrides`` (tests).

    ``REDIS_URL`` given in ``overrides`` selects the shared stores exactly as the environment
    variable does; an explicit ``CACHE_TYPE`` or ``RATELIMIT_STORAGE_URI`` override still wins.
    """
    overrides = dict(overrides or {})
    instance_dir = Path(overrides.get("INSTANCE_DIR", INSTANCE_DIR))
    redis_url = overrides.get("REDIS_URL", os.environ.get("REDIS_URL")) or None
    settings: dict[str, Any] = {
        "DATABASE_URL": overrides.get("DATABASE_URL") or default_database_url(),
        "SECRET_KEY": overrides.get("SECRET_KEY") or _secret_key(instance_dir),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE"),
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "REMEMBER_COOKIE_SECURE": _flag("SESSION_COOKIE_SECURE"),
        "PERMANENT_SESSION_LIFETIME": timedelta(
            hours=int(os.environ.get("SESSION_LIFETIME_HOURS", "8"))
        ),
        # A CSRF token lives as long as the session it belongs to: a page left open for an
        # hour must still log out (Flask-WTF's default would expire it after 3,600 s).
        "WTF_CSRF_TIME_LIMIT": None,
        "CACHE_DEFAULT_TIMEOUT": int(os.environ.get("CACHE_TIMEOUT", "300")),
        # Behind a reverse proxy (nginx, Traefik...): trust its X-Forwarded-* headers, so that
        # the rate limit counts per client (not per proxy) and redirects keep https.
        "PROXY_FIX": _flag("PROXY_FIX"),
        "PROXY_FIX_HOPS": int(os.environ.get("PROXY_FIX_HOPS", "1")),
        "INSTANCE_DIR": str(instance_dir),
        # No form or upload of this app comes near it; Dash requests have their own, lower
        # bound (app.requetes_dash.MAX_CORPS).
        "MAX_CONTENT_LENGTH": 1024 * 1024,
        # Audit log lines older than this are deleted (0 keeps everything).
        "JOURNAL_RETENTION_JOURS": int(os.environ.get("JOURNAL_RETENTION_JOURS", "365")),
    }
    settings.update(shared_store_settings(redis_url))
    settings.update(overrides)
    # At login, compute the first view in the background (callbacks.prechargement); off in
    # unit tests unless asked (a background thread must not outlive a test's database).
    if "PRECHARGER_A_LA_CONNEXION" in os.environ:
        settings.setdefault("PRECHARGER_A_LA_CONNEXION", _flag("PRECHARGER_A_LA_CONNEXION"))
    settings.setdefault("PRECHARGER_A_LA_CONNEXION", not settings.get("TESTING", False))
    return settings

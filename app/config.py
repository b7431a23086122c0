"""Settings read from the environment (12-factor), with safe defaults for ``make run``."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from typing import Any

from etp.db import INSTANCE_DIR, default_database_url


def _secret_key(instance_dir: Path) -> str:
    """``SECRET_KEY`` from the environment, else one generated once into ``instance/`` so that
    every gunicorn worker (and every restart) shares it."""
    key = os.environ.get("SECRET_KEY")
    if key:
        return key
    instance_dir.mkdir(parents=True, exist_ok=True)
    path = instance_dir / "secret_key"
    if not path.exists():
        path.write_text(secrets.token_hex(32), encoding="utf-8")
        path.chmod(0o600)
    return path.read_text(encoding="utf-8").strip()


def load_settings(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """The Flask config of the app: environment first, then ``overrides`` (tests)."""
    overrides = dict(overrides or {})
    instance_dir = Path(overrides.get("INSTANCE_DIR", INSTANCE_DIR))
    settings: dict[str, Any] = {
        "DATABASE_URL": overrides.get("DATABASE_URL") or default_database_url(),
        "SECRET_KEY": overrides.get("SECRET_KEY") or _secret_key(instance_dir),
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": os.environ.get("SESSION_COOKIE_SECURE", "0") == "1",
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SAMESITE": "Lax",
        "PERMANENT_SESSION_LIFETIME": timedelta(
            hours=int(os.environ.get("SESSION_LIFETIME_HOURS", "8"))
        ),
        # Shared stores across gunicorn workers when REDIS_URL is set; per-process otherwise.
        "REDIS_URL": os.environ.get("REDIS_URL"),
        "CACHE_TYPE": "RedisCache" if os.environ.get("REDIS_URL") else "SimpleCache",
        "CACHE_REDIS_URL": os.environ.get("REDIS_URL"),
        "CACHE_DEFAULT_TIMEOUT": int(os.environ.get("CACHE_TIMEOUT", "300")),
        "RATELIMIT_STORAGE_URI": os.environ.get("REDIS_URL") or "memory://",
        "INSTANCE_DIR": str(instance_dir),
    }
    settings.update(overrides)
    return settings

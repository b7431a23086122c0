"""Engine creation and database initialisation (SQLite embedded, PostgreSQL in production)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event

if TYPE_CHECKING:
    from etp.migrations import Resultat

PROJECT_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("SUIVI_ETP_INSTANCE", PROJECT_ROOT / "instance"))


def default_database_url() -> str:
    """``DATABASE_URL`` from the environment, else a SQLite file under ``instance/``."""
    url = os.environ.get("DATABASE_URL")
    if url:
        return url
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{INSTANCE_DIR / 'suivi-etp.db'}"


def normalize_url(url: str) -> str:
    """Let ``postgresql://`` URLs work as written: we ship psycopg 3, not psycopg2."""
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: str | None = None) -> Engine:
    """A new engine for ``url`` (default: :func:`default_database_url`)."""
    url = normalize_url(url or default_database_url())
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - driver hook
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


@lru_cache(maxsize=8)
def get_engine(url: str | None = None) -> Engine:
    """One shared engine per URL and process."""
    return make_engine(url)


def init_db(engine: Engine) -> Resultat:
    """Bring the schema to the last migration (``etp.migrations.upgrade``: builds a new
    database, upgrades an older one without losing data, recognises one made by ``create_all``
    before migrations) and load the référentiel. Idempotent.

    ``etp`` knows nothing of accounts: the migrations create the account tables whatever is
    imported, but the application layer imports ``auth.models`` first (see
    ``app/commands/__init__.py``) so that the check of a pre-migration database sees the
    whole metadata."""
    from etp import migrations, referentiel

    resultat = migrations.upgrade(engine)
    referentiel.load(engine)
    return resultat

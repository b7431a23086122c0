"""Engine creation and database initialisation (SQLite embedded, PostgreSQL in production)."""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

from sqlalchemy import Engine, create_engine, event

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


def init_db(engine: Engine) -> None:
    """Create every table registered on ``Base`` (idempotent) and load the référentiel.

    ``etp`` knows nothing of accounts: the application layer imports ``auth.models`` first (see
    ``app/commands/__init__.py``) so that the account tables are created too."""
    from etp import referentiel
    from etp.schema import Base

    Base.metadata.create_all(engine)
    _colonnes_ajoutees(engine)
    referentiel.load(engine)


#: Columns added to existing tables after their creation (``create_all`` adds tables only):
#: table -> [(column, SQL type)]. Existing rows get null until their file is imported again.
COLONNES_AJOUTEES: dict[str, list[tuple[str, str]]] = {
    "annexe_financiere": [("id_financeur_code", "VARCHAR(60)"), ("indic_cofinancement", "BOOLEAN")],
}


def _colonnes_ajoutees(engine: Engine) -> None:
    from sqlalchemy import inspect, text

    inspecteur = inspect(engine)
    for table, colonnes in COLONNES_AJOUTEES.items():
        presentes = {c["name"] for c in inspecteur.get_columns(table)}
        manquantes = [(nom, type_) for nom, type_ in colonnes if nom not in presentes]
        if not manquantes:
            continue
        with engine.begin() as conn:
            for nom, type_ in manquantes:
                conn.execute(text(f"ALTER TABLE {table} ADD COLUMN {nom} {type_}"))

"""Empty databases for the migration tests, on SQLite and PostgreSQL (private schema)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from urllib.parse import quote

import pytest
from sqlalchemy import Engine, create_engine, text

from etp.db import make_engine, normalize_url


def schema_prive(base_url: str) -> tuple[str, str]:
    """A new schema in the PostgreSQL test database: ``(name, URL whose search_path is it)``."""
    schema = f"t_mig_{uuid.uuid4().hex[:10]}"
    admin = create_engine(normalize_url(base_url))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    admin.dispose()
    sep = "&" if "?" in base_url else "?"
    return schema, normalize_url(base_url) + sep + "options=" + quote(f"-csearch_path={schema}")


def supprimer_schema(base_url: str, schema: str) -> None:
    admin = create_engine(normalize_url(base_url))
    with admin.begin() as conn:
        conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture
def base_vide_url(db_url: str, tmp_path) -> Iterator[str]:
    """URL of an EMPTY database (no table at all) on ``db_url``'s backend, so that each test
    runs on SQLite and on PostgreSQL like every database test: a new file, or a new private
    schema (``search_path`` in the URL) dropped afterwards."""
    if db_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'vide.db'}"
        return
    base = os.environ["TEST_DATABASE_URL"]
    schema, url = schema_prive(base)
    yield url
    supprimer_schema(base, schema)


@pytest.fixture
def base_vide(base_vide_url: str) -> Iterator[Engine]:
    engine = make_engine(base_vide_url)
    yield engine
    engine.dispose()

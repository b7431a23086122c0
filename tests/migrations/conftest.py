"""Empty databases for the migration tests, on SQLite and PostgreSQL (private schema)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from schemas_migration import schema_prive, supprimer_schema
from sqlalchemy import Engine

from etp.db import make_engine


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

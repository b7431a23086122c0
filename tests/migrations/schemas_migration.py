"""Private PostgreSQL schemas for the migration tests (as tests/conftest.py makes its own)."""

from __future__ import annotations

import uuid
from urllib.parse import quote

from sqlalchemy import create_engine, text

from etp.db import normalize_url


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

"""Helpers of the first two revisions only: databases made by ``create_all`` before migrations.

Such a database may stand at any point of the schema's history before revision 0002 (each
``init_db`` created the tables its code knew, and added the two co-financing columns by
``ALTER TABLE``). Revisions 0001 and 0002 therefore create a table only when it is missing and
add a column only when it is missing; later revisions run on versioned databases only and need
none of this.
"""

from __future__ import annotations

from alembic import op
from sqlalchemy import inspect


def missing_table(name: str) -> bool:
    """True when the database has no table ``name`` (in the current schema)."""
    return not inspect(op.get_bind()).has_table(name)


def missing_columns(table: str, names: list[str]) -> list[str]:
    """The columns of ``names`` that ``table`` lacks, in the order given."""
    present = {c["name"] for c in inspect(op.get_bind()).get_columns(table)}
    return [name for name in names if name not in present]

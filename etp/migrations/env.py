"""Alembic environment: the application's metadata and database.

Run through :mod:`etp.migrations` (``suivi-etp db …``, ``init_db``), which hands over an open
connection in ``config.attributes["connection"]`` (one transaction for the check of the current
revision and the upgrade) and the full metadata in ``config.attributes["target_metadata"]``.
Without them (the ``alembic`` command line), the database is ``DATABASE_URL`` (SQLite under
``instance/`` by default) and the metadata is ``etp.schema.Base``'s.

``render_as_batch``: SQLite cannot alter most of a table in place; Alembic's batch mode copies it
(data included) when it must, and uses the plain ``ALTER TABLE`` otherwise.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from etp.db import default_database_url, make_engine
from etp.schema import Base

config = context.config


def _configure_and_run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=config.attributes.get("target_metadata", Base.metadata),
        render_as_batch=True,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _configure_and_run(connection)
        return
    engine = make_engine(config.get_main_option("sqlalchemy.url") or default_database_url())
    try:
        with engine.begin() as conn:
            _configure_and_run(conn)
    finally:
        engine.dispose()


if context.is_offline_mode():
    # The first two revisions look at the database (tables made before migrations): they cannot
    # be written out as a SQL script.
    raise SystemExit("Les migrations s'exécutent sur une base connectée (pas de --sql).")
run_online()

"""``suivi-etp init-db``."""

from __future__ import annotations

import click

from etp.db import default_database_url, make_engine
from etp.db import init_db as _init_db


@click.command("init-db", help="Crée les tables et charge le référentiel (idempotent).")
@click.option("--database-url", envvar="DATABASE_URL", default=None, help="URL SQLAlchemy.")
def init_db(database_url: str | None) -> None:
    url = database_url or default_database_url()
    engine = make_engine(url)
    _init_db(engine)
    click.echo(f"Base initialisée : {engine.url.render_as_string(hide_password=True)}")

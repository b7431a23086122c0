"""``suivi-etp init-db`` and ``suivi-etp db …`` (schema migrations, see ``etp.migrations``)."""

from __future__ import annotations

import click

from etp import migrations
from etp.db import default_database_url, make_engine
from etp.db import init_db as _init_db

_URL = click.option("--database-url", envvar="DATABASE_URL", default=None, help="URL SQLAlchemy.")


def _engine(database_url: str | None):
    return make_engine(database_url or default_database_url())


def _nom(engine) -> str:
    return engine.url.render_as_string(hide_password=True)


@click.command(
    "init-db",
    help="Met le schéma à la dernière révision (crée les tables d'une base neuve, met à jour "
    "une base existante sans perte de données) et charge le référentiel. Idempotent.",
)
@_URL
def init_db(database_url: str | None) -> None:
    engine = _engine(database_url)
    try:
        resultat = _init_db(engine)
    except RuntimeError as exc:  # a revision this version does not know, several heads
        raise click.ClickException(str(exc)) from exc
    finally:
        engine.dispose()
    click.echo(f"Base initialisée : {_nom(engine)} ; {resultat.message()}")


@click.group("db", help="Migrations du schéma de la base (Alembic).")
def db() -> None:
    """``suivi-etp db upgrade|current|downgrade|history|revision``."""


@db.command("upgrade", help="Met le schéma à jour jusqu'à REVISION (par défaut : la dernière).")
@click.argument("revision", default="head")
@_URL
def upgrade(revision: str, database_url: str | None) -> None:
    engine = _engine(database_url)
    try:
        resultat = migrations.upgrade(engine, revision)
    except RuntimeError as exc:
        raise click.ClickException(str(exc)) from exc
    finally:
        engine.dispose()
    click.echo(f"{_nom(engine)} : {resultat.message()}")


@db.command("current", help="Affiche la révision de la base et la dernière révision connue.")
@_URL
def current(database_url: str | None) -> None:
    engine = _engine(database_url)
    try:
        revision = migrations.current(engine)
    finally:
        engine.dispose()
    derniere = migrations.head()
    if revision is None:
        etat = "aucune révision (base vide ou créée avant les migrations : lancez init-db)"
    elif revision == derniere:
        etat = f"{revision} (à jour)"
    else:
        etat = f"{revision} (la dernière est {derniere} : lancez init-db ou db upgrade)"
    click.echo(f"{_nom(engine)} : {etat}")


@db.command(
    "downgrade",
    help="Ramène le schéma à REVISION (-1, un numéro comme 0001, ou base) : supprime les tables "
    "et colonnes ajoutées depuis, avec leurs données.",
    context_settings={"ignore_unknown_options": True},
)
@click.argument("revision")
@click.option("--yes", is_flag=True, help="Ne pas demander de confirmation.")
@_URL
def downgrade(revision: str, yes: bool, database_url: str | None) -> None:
    engine = _engine(database_url)
    try:
        if not yes:
            click.confirm(
                f"Revenir à la révision {revision} sur {_nom(engine)} ? Les tables et colonnes "
                "ajoutées depuis seront supprimées avec leurs données",
                abort=True,
            )
        resultat = migrations.downgrade(engine, revision)
    finally:
        engine.dispose()
    click.echo(f"{_nom(engine)} : {resultat.message()}")


@db.command("history", help="Liste les révisions, de la plus ancienne à la dernière.")
def history() -> None:
    for revision, precedente, titre in migrations.history():
        click.echo(f"{revision}  (après {precedente or '—'})  {titre}")


@db.command(
    "revision",
    help="Pour les développeurs : écrit une nouvelle révision avec ce que les modèles ont de "
    "plus que la dernière (tables, colonnes, index), à relire avant de la valider.",
)
@click.option("-m", "--message", required=True, help="Ce que change la révision.")
def revision(message: str) -> None:
    chemin = migrations.new_revision(message)
    if chemin is None:
        click.echo("Les modèles sont identiques à la dernière révision : rien à écrire.")
        return
    click.echo(f"Révision écrite : {chemin}")

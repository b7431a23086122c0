"""Schema migrations with Alembic: the revisions in ``versions/`` build the schema.

``init_db`` (``suivi-etp init-db``, ``make run``) calls :func:`upgrade`, which brings any
database to the last revision (``head``) in one transaction:

- a new, empty database is built revision by revision;
- a database already at ``head`` is left alone (one ``SELECT``);
- a database made by ``create_all`` before migrations existed (tables but no ``alembic_version``)
  is recognised: when its tables already equal the models, it is only stamped ``head``;
  otherwise it goes through the revisions, the first two of which create only what it lacks
  (tables, and the two co-financing columns the former ``ALTER TABLE`` added), so nothing is
  lost, and the later ones as usual.

On PostgreSQL a transaction-level advisory lock (per schema) keeps two processes from migrating
the same database at once.

A developer who adds a table or a column writes a revision: ``suivi-etp db revision -m "…"``
compares the models with a scratch database at ``head`` and writes the difference to
``versions/NNNN_….py`` (see README, « Base de données et migrations »).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, MetaData, inspect, text

DOSSIER = Path(__file__).resolve().parent
VERSIONS = DOSSIER / "versions"
#: The schema of the first deployed version (2026-11-29: référentiel, imports, accounts).
BASELINE = "0001"
VERSION_TABLE = "alembic_version"
#: First key of the PostgreSQL advisory lock (the second is the schema's hash).
_LOCK_CLASS = 0x45_54_50  # "ETP"


@dataclass(frozen=True)
class Resultat:
    """What :func:`upgrade` did: revision before (``None``: unversioned) and after, and how."""

    avant: str | None
    apres: str | None
    #: ``a_jour`` (nothing to do), ``creee`` (empty database built), ``migree`` (revisions run),
    #: ``reprise`` (made by ``create_all``, brought to head through the revisions),
    #: ``estampillee`` (made by ``create_all`` and already equal to the models: stamped),
    #: ``retour`` (downgrade)
    action: str

    def message(self) -> str:
        """One line in French for the command line."""
        return {
            "a_jour": f"schéma à jour (révision {self.apres})",
            "creee": f"schéma créé (révision {self.apres})",
            "migree": f"schéma mis à jour : révision {self.avant} → {self.apres}",
            "reprise": (
                "base créée avant les migrations : tables et colonnes manquantes ajoutées, "
                f"données conservées (révision {self.apres})"
            ),
            "estampillee": (
                "base créée avant les migrations, déjà conforme : "
                f"révision {self.apres} enregistrée"
            ),
            "retour": (
                f"schéma ramené à la révision {self.apres} (depuis {self.avant})"
                if self.apres
                else f"tables supprimées, base sans révision (depuis {self.avant})"
            ),
        }[self.action]


def config(connection: Connection | None = None, metadata: MetaData | None = None) -> Config:
    """The Alembic configuration, without an ``alembic.ini``."""
    cfg = Config()
    cfg.set_main_option("script_location", str(DOSSIER))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", str(versions_dir()))
    cfg.set_main_option("file_template", "%%(rev)s_%%(slug)s")
    cfg.set_main_option("truncate_slug_length", "40")
    if connection is not None:
        cfg.attributes["connection"] = connection
    if metadata is not None:
        cfg.attributes["target_metadata"] = metadata
    return cfg


def versions_dir() -> Path:
    """Where the revisions are (a module attribute, so that a test can write elsewhere)."""
    return VERSIONS


@cache
def _script() -> ScriptDirectory:
    return ScriptDirectory.from_config(config())


def heads() -> tuple[str, ...]:
    """The last revision(s) of ``versions/``: one, unless two branches each added a revision
    after the same one."""
    return tuple(sorted(_script().get_heads()))


def head() -> str:
    """The last revision; fails when ``versions/`` has several heads."""
    tetes = heads()
    if len(tetes) != 1:
        raise RuntimeError(
            f"Plusieurs dernières révisions dans {VERSIONS} : {', '.join(tetes)}. "
            "Faites partir la plus récente de l'autre (down_revision)."
        )
    return tetes[0]


def history() -> list[tuple[str, str | None, str]]:
    """``(revision, previous revision, first line of its docstring)``, oldest first."""
    lignes = [
        (s.revision, s.down_revision, (s.doc or "").strip().splitlines()[0] if s.doc else "")
        for s in _script().walk_revisions()
    ]
    return list(reversed(lignes))


def _metadata(metadata: MetaData | None) -> MetaData:
    if metadata is not None:
        return metadata
    from etp.schema import Base

    return Base.metadata


@contextmanager
def _transaction(engine: Engine) -> Iterator[Connection]:
    """One transaction; on PostgreSQL, the only one migrating this schema until it ends."""
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(
                text("SELECT pg_advisory_xact_lock(:classe, hashtext(current_schema()))"),
                {"classe": _LOCK_CLASS},
            )
        yield conn


def _revision_courante(conn: Connection) -> str | None:
    revisions = MigrationContext.configure(conn).get_current_heads()
    return ",".join(sorted(revisions)) if revisions else None


def schema_differences(conn: Connection, metadata: MetaData | None = None) -> list:
    """Alembic's differences between the database and the models (empty: they are equal)."""
    context = MigrationContext.configure(conn, opts={"compare_type": True})
    return compare_metadata(context, _metadata(metadata))


def _tables_existantes(conn: Connection) -> set[str]:
    return set(inspect(conn).get_table_names()) - {VERSION_TABLE}


def upgrade(
    engine: Engine, revision: str = "head", *, metadata: MetaData | None = None
) -> Resultat:
    """Bring ``engine``'s database to ``revision`` (``head``: the last one), see module doc.

    ``metadata`` (default ``etp.schema.Base.metadata``, whose account tables exist only once
    ``auth.models`` is imported) only serves to recognise a ``create_all`` database that is
    already complete."""
    with _transaction(engine) as conn:
        avant = _revision_courante(conn)
        cible = head() if revision == "head" else revision
        if avant == cible:
            return Resultat(avant, avant, "a_jour")
        connues = {s.revision for s in _script().walk_revisions()}
        if avant is not None and not set(avant.split(",")) <= connues:
            raise RuntimeError(
                f"La base est à la révision {avant}, que cette version de l'application ne "
                "connaît pas (base mise à jour par une version plus récente, ou créée sur une "
                "autre branche) : mettez l'application à jour, ou recréez la base de "
                "développement."
            )
        if avant is None and _tables_existantes(conn):
            if revision == "head" and not schema_differences(conn, metadata):
                command.stamp(config(conn), "head")
                return Resultat(None, cible, "estampillee")
            action = "reprise"
        else:
            action = "creee" if avant is None else "migree"
        command.upgrade(config(conn, _metadata(metadata)), revision)
        return Resultat(avant, _revision_courante(conn), action)


def downgrade(engine: Engine, revision: str) -> Resultat:
    """Take the schema back to ``revision`` (``-1``, ``0001``, ``base``): drops what later
    revisions added, their data included."""
    with _transaction(engine) as conn:
        avant = _revision_courante(conn)
        command.downgrade(config(conn), revision)
        return Resultat(avant, _revision_courante(conn), "retour")


def current(engine: Engine) -> str | None:
    """The database's revision (``None``: no ``alembic_version``, i.e. empty or made before
    migrations)."""
    with engine.connect() as conn:
        return _revision_courante(conn)


def _prochain_numero() -> str:
    numeros = [int(s.revision) for s in _script().walk_revisions() if s.revision.isdigit()]
    return f"{max(numeros, default=0) + 1:04d}"


def new_revision(message: str, *, metadata: MetaData | None = None) -> Path | None:
    """Write ``versions/NNNN_<message>.py`` with what the models have more than ``head``
    (compared on a scratch SQLite database built to ``head``); ``None`` when nothing differs.
    The file is formatted with ruff when it is installed; read it before committing."""
    from etp.db import make_engine

    metadata = _metadata(metadata)
    with tempfile.TemporaryDirectory() as dossier:
        engine = make_engine(f"sqlite:///{Path(dossier) / 'head.db'}")
        try:
            upgrade(engine)
            with engine.begin() as conn:
                if not schema_differences(conn, metadata):
                    return None
                script = command.revision(
                    config(conn, metadata),
                    message=message,
                    autogenerate=True,
                    rev_id=_prochain_numero(),
                )
        finally:
            engine.dispose()
    _script.cache_clear()
    chemin = Path(script.path)  # type: ignore[union-attr]
    _ruff(chemin)
    return chemin


def _ruff(chemin: Path) -> None:
    ruff = Path(sys.executable).with_name("ruff")
    executable = str(ruff) if ruff.exists() else shutil.which("ruff")
    if executable is None:
        return
    subprocess.run([executable, "check", "--fix", "--quiet", str(chemin)], check=False)
    subprocess.run([executable, "format", "--quiet", str(chemin)], check=False)

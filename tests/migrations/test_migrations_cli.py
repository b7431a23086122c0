"""``suivi-etp init-db`` and ``suivi-etp db …`` on SQLite and PostgreSQL; ``db revision`` (how a
developer adds a table); two processes migrating the same PostgreSQL schema at once."""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from click.testing import CliRunner
from schemas_migration import schema_prive, supprimer_schema
from sqlalchemy import Column, Integer, MetaData, String, Table, inspect, text

from app.cli import main
from etp import migrations
from etp.db import make_engine
from etp.schema import Base


def _lancer(*args: str) -> str:
    resultat = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert resultat.exit_code == 0, resultat.output
    return resultat.output


def test_init_db_en_ligne_de_commande_deux_fois(base_vide_url):
    premiere = _lancer("init-db", "--database-url", base_vide_url)
    assert f"schéma créé (révision {migrations.head()})" in premiere
    seconde = _lancer("init-db", "--database-url", base_vide_url)
    assert f"schéma à jour (révision {migrations.head()})" in seconde
    assert f"{migrations.head()} (à jour)" in _lancer(
        "db", "current", "--database-url", base_vide_url
    )


def test_db_upgrade_downgrade_current(base_vide_url):
    assert "aucune révision" in _lancer("db", "current", "--database-url", base_vide_url)
    assert "schéma créé (révision 0001)" in _lancer(
        "db", "upgrade", "0001", "--database-url", base_vide_url
    )
    assert "la dernière est" in _lancer("db", "current", "--database-url", base_vide_url)
    assert "révision 0001 → 0002" in _lancer(
        "db", "upgrade", "0002", "--database-url", base_vide_url
    )
    sortie = _lancer("db", "downgrade", "-1", "--yes", "--database-url", base_vide_url)
    assert "ramené à la révision 0001 (depuis 0002)" in sortie
    engine = make_engine(base_vide_url)
    try:
        assert "avis" not in inspect(engine).get_table_names()
        assert migrations.current(engine) == "0001"
    finally:
        engine.dispose()


def test_db_downgrade_demande_confirmation(base_vide_url):
    _lancer("db", "upgrade", "--database-url", base_vide_url)
    refus = CliRunner().invoke(
        main, ["db", "downgrade", "base", "--database-url", base_vide_url], input="n\n"
    )
    assert refus.exit_code == 1 and "supprimées avec leurs données" in refus.output
    engine = make_engine(base_vide_url)
    try:
        assert migrations.current(engine) == migrations.head()
    finally:
        engine.dispose()


def test_db_history_liste_les_revisions():
    sortie = _lancer("db", "history").splitlines()
    assert [ligne.split()[0] for ligne in sortie] == [r for r, _, _ in migrations.history()]
    assert sortie[0].startswith("0001") and sortie[-1].startswith(migrations.head())


@pytest.fixture
def versions_copiees(tmp_path, monkeypatch):
    """The revisions copied to a scratch folder that ``etp.migrations`` uses instead."""
    dossier = tmp_path / "versions"
    shutil.copytree(migrations.VERSIONS, dossier, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(migrations, "VERSIONS", dossier)
    migrations._script.cache_clear()
    yield dossier
    migrations._script.cache_clear()


def test_db_revision_ecrit_la_table_ajoutee_aux_modeles(versions_copiees, base_vide):
    """What a developer does after adding a model: ``suivi-etp db revision -m …`` writes the
    next numbered revision; the database then upgrades to a schema equal to the models."""
    modeles = MetaData()
    for table in Base.metadata.tables.values():
        table.to_metadata(modeles)
    Table(
        "table_essai_migration",
        modeles,
        Column("id", Integer, primary_key=True),
        Column("libelle", String(40), nullable=False, index=True),
    )
    assert migrations.new_revision("rien", metadata=Base.metadata) is None
    precedente = migrations.head()

    chemin = migrations.new_revision("table d'essai", metadata=modeles)

    suivante = f"{int(precedente) + 1:04d}"
    assert chemin is not None and chemin.parent == versions_copiees
    assert chemin.name == f"{suivante}_table_d_essai.py"
    source = chemin.read_text(encoding="utf-8")
    assert f'down_revision: str | None = "{precedente}"' in source
    assert "op.create_table(" in source and "table_essai_migration" in source
    assert migrations.heads() == (suivante,)

    resultat = migrations.upgrade(base_vide, metadata=modeles)
    assert (resultat.apres, resultat.action) == (suivante, "creee")
    with base_vide.connect() as conn:
        assert migrations.schema_differences(conn, modeles) == []
        # and the revision's downgrade takes it away
    migrations.downgrade(base_vide, precedente)
    assert "table_essai_migration" not in inspect(base_vide).get_table_names()


@pytest.fixture
def schema_postgresql():
    """A private, empty PostgreSQL schema (like every PostgreSQL test: skipped without
    TEST_DATABASE_URL, failed instead under REQUIRE_POSTGRES=1)."""
    base = os.environ.get("TEST_DATABASE_URL")
    if not base:
        if os.environ.get("REQUIRE_POSTGRES") == "1":
            pytest.fail("REQUIRE_POSTGRES=1 but TEST_DATABASE_URL is not set")
        pytest.skip("TEST_DATABASE_URL not set: PostgreSQL layer skipped")
    schema, url = schema_prive(base)
    yield url
    supprimer_schema(base, schema)


def test_deux_processus_migrent_la_meme_base_postgresql(schema_postgresql):
    """Several application servers started at once on a new database: the advisory lock lets
    one build the schema; the others find it at head."""
    resultats: list[str] = []
    erreurs: list[BaseException] = []
    depart = threading.Barrier(3)

    def migrer() -> None:
        engine = make_engine(schema_postgresql)
        try:
            depart.wait()
            resultats.append(migrations.upgrade(engine).action)
        except BaseException as exc:  # reported below
            erreurs.append(exc)
        finally:
            engine.dispose()

    fils = [threading.Thread(target=migrer) for _ in range(3)]
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=120)
    assert erreurs == []
    assert sorted(resultats) == ["a_jour", "a_jour", "creee"]
    engine = make_engine(schema_postgresql)
    try:
        with engine.connect() as conn:
            assert conn.scalar(text("SELECT count(*) FROM alembic_version")) == 1
    finally:
        engine.dispose()

from sqlalchemy import func, select

from etp.db import init_db, normalize_url
from etp.schema import Departement, Region


def test_referentiel_loaded_idempotently(engine):
    init_db(engine)  # a second time changes nothing
    with engine.connect() as conn:
        assert conn.scalar(select(func.count()).select_from(Region)) == 18
        deps = dict(conn.execute(select(Departement.code, Departement.region_code)).all())
    assert deps["35"] == "53" and deps["2A"] == "94" and deps["971"] == "01"
    assert deps["31"] == "76"
    assert len(deps) == 104


def test_postgresql_urls_work_as_written():
    assert normalize_url("postgresql://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalize_url("sqlite:///x.db") == "sqlite:///x.db"


def test_init_db_adds_the_cofinancing_columns_to_an_older_database(tmp_path):
    """A database created before issue 15 lacks two annexe_financiere columns: init_db adds
    them and keeps the rows."""
    from sqlalchemy import inspect, text

    from etp.db import init_db, make_engine

    engine = make_engine(f"sqlite:///{tmp_path / 'ancienne.db'}")
    init_db(engine)
    with engine.begin() as conn:
        conn.execute(text("ALTER TABLE annexe_financiere DROP COLUMN id_financeur_code"))
        conn.execute(text("ALTER TABLE annexe_financiere DROP COLUMN indic_cofinancement"))
    init_db(engine)
    init_db(engine)  # idempotent
    colonnes = {c["name"] for c in inspect(engine).get_columns("annexe_financiere")}
    assert {"id_financeur_code", "indic_cofinancement"} <= colonnes
    engine.dispose()

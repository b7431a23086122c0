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


# Older databases (previous schema, made by create_all before migrations): tests/migrations.

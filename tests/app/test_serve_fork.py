"""``suivi-etp run`` hands gunicorn no open database connection: the workers are forked from
the process that created the tables, and a pooled connection inherited by several workers is
one socket shared by several processes (PostgreSQL answered one worker's query to another)."""

from __future__ import annotations

from click.testing import CliRunner

from app.commands import serve
from etp.db import get_engine


def test_run_closes_the_pooled_connections_before_forking_workers(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'fork.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    au_demarrage = {}

    def demarrer(self):  # gunicorn forks its workers here: what would they inherit?
        au_demarrage["connexions"] = get_engine(url).pool.checkedin()

    monkeypatch.setattr(serve.GunicornServer, "run", demarrer)
    resultat = CliRunner().invoke(serve.run, ["--port", "8999"])
    assert resultat.exit_code == 0, resultat.output
    assert au_demarrage == {"connexions": 0}
    # the control: creating the tables does leave a pooled connection behind
    get_engine(url).connect().close()
    assert get_engine(url).pool.checkedin() == 1

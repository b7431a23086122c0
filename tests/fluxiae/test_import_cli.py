"""``suivi-etp import`` through click's CliRunner: summary, exit code and message."""

from __future__ import annotations

from click.testing import CliRunner
from fluxiae_helpers import SAMPLES, emi_row, snapshot, write
from sqlalchemy import func, select

from app.cli import main
from etp.schema import AnnexeFinanciere


def test_import_real_samples_prints_french_summary(engine, db_url):
    result = CliRunner().invoke(main, ["import", "--database-url", db_url, str(SAMPLES)])
    assert result.exit_code == 0, result.output
    assert "lus : 85 ; gardés : 35 ; écartés : 50" in result.stdout
    assert "écartés, mesure FDI exclue : 14" in result.stdout
    assert "Fichiers ignorés (2)" in result.stdout
    with engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(AnnexeFinanciere)).scalar_one() == 35


def test_refused_file_exit_1_with_location(engine, db_url, files):
    path = write(files, "EtatMensuelIndiv", [emi_row(1), emi_row(2, emi_afi_id="abc")])
    before = snapshot(engine)
    result = CliRunner().invoke(main, ["import", str(path)], env={"DATABASE_URL": db_url})
    assert result.exit_code == 1
    assert f"{path}:4: emi_afi_id: nombre entier attendu, trouvé 'abc'" in result.stderr
    assert "la base n'a pas été modifiée" in result.stderr
    assert snapshot(engine) == before


def test_emi_summary_shows_data_date(db_url, files):
    write(files, "EtatMensuelIndiv", [emi_row(1), emi_row(1)])
    result = CliRunner().invoke(main, ["import", "--database-url", db_url, str(files)])
    assert result.exit_code == 0, result.output
    assert "écartés, doublon emi_dsm_id : 1" in result.stdout
    assert "à vérifier, mois d'AF absentes de la base (gardés) : 1" in result.stdout
    assert "données à jour au 03/02/2022 09:15:00" in result.stdout

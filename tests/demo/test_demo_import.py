"""The demo files go through the real importer and give the figures the demo promises."""

from __future__ import annotations

from datetime import date

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from app.cli import main
from etp.demo import DEMO_SIAE_STRUCTURE_IDS
from etp.demo.loader import load_demo
from etp.filters import Filtres
from etp.queries import indicateurs_annuels
from etp.schema import AnnexeFinanciere, EtatMensuel, Structure
from etp.scope import Scope


def _snapshot(engine) -> tuple:
    with engine.connect() as conn:
        return (
            conn.execute(select(func.count()).select_from(Structure)).scalar_one(),
            conn.execute(
                select(func.count(), func.sum(AnnexeFinanciere.etp_postes_insertion))
            ).one(),
            conn.execute(
                select(func.count(), func.sum(EtatMensuel.heures), func.sum(EtatMensuel.nb_lignes))
            ).one(),
        )


def test_demo_imports_cleanly_and_shows_what_it_promises(engine, small_config, tmp_path):
    population, paths, report = load_demo(engine, small_config, tmp_path / "files")
    assert [p.exists() for p in paths] == [True] * 5  # + ContratMission, RefMontantIae
    by_vue = {f.vue: f for f in report.files}
    assert {f.status for f in report.files} == {"importe"}
    assert by_vue["Structure"].rows_kept == small_config.structures
    assert by_vue["EtatMensuelIndiv"].rows_kept == len(population.lignes)
    assert not by_vue["EtatMensuelIndiv"].skipped
    assert not by_vue["EtatMensuelIndiv"].anomalies  # one state per AF-month
    skipped = by_vue["AnnexeFinanciere"].skipped
    assert skipped["version remplacée"] > 0
    assert skipped["doublon exact"] > 0
    assert skipped["mesure FDI exclue"] > 0
    assert by_vue["EtatMensuelIndiv"].data_date == small_config.date_donnees

    with engine.connect() as conn:
        afs = conn.execute(select(AnnexeFinanciere).where(AnnexeFinanciere.compte)).all()
        regions = {a.region_code for a in afs}
        assert {"53", "76"} <= regions and len(regions) > 2
        assert {a.type_structure for a in afs} == {"ACI", "AI", "EI", "ETTI", "EITI"}
        assert any(a.milieu_penitentiaire for a in afs)
        assert any(a.numero_avenant_modification > 0 for a in afs)
        assert any(a.date_debut.month > 1 or a.date_fin.month < 12 for a in afs)
        year, month = small_config.dernier_mois
        last = conn.execute(
            select(EtatMensuel.etat).where(EtatMensuel.annee == year, EtatMensuel.mois == month)
        ).scalars()
        assert set(last) - {"VALIDE"}

    annuel = indicateurs_annuels(engine, Scope.everything(), Filtres(annee=2025))
    statuts = set(annuel["statut_consommation"].dropna())
    assert statuts == {"sur-consommation", "sous-consommation", "conforme"}
    demo = annuel.set_index("structure_id").loc[list(DEMO_SIAE_STRUCTURE_IDS)]
    assert list(demo["statut_consommation"]) == ["sous-consommation", "sur-consommation"]
    assert (demo["departement"] == "35").all()
    previous = indicateurs_annuels(engine, Scope.everything(), Filtres(annee=2024))
    assert (previous["nb_mois_valides"] == previous["nb_mois_conventionnes"]).mean() > 0.9


def test_demo_twice_changes_nothing(engine, small_config):
    load_demo(engine, small_config)
    before = _snapshot(engine)
    _, _, report = load_demo(engine, small_config)
    assert {f.status for f in report.files} == {"deja_importe"}
    assert _snapshot(engine) == before


@pytest.fixture
def instance_dir(tmp_path, monkeypatch):
    """Keep the demo password file out of the project's instance/ directory."""
    import auth.demo as auth_demo

    monkeypatch.setattr(auth_demo, "INSTANCE_DIR", tmp_path / "instance")
    return tmp_path / "instance"


def test_command_imports_creates_accounts_and_keeps_files(db_url, tmp_path, instance_dir):
    args = [
        "demo",
        "--database-url",
        db_url,
        "--today",
        "2025-03-10",
        "--structures",
        "12",
        "--password",
        "mot-de-passe-demo",
        "--keep-files",
        str(tmp_path / "files"),
    ]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, result.output
    assert "années 2023-2025" in result.output
    assert "mot-de-passe-demo" in result.output
    assert "siae@demo.test" in result.output and "dreets@demo.test" in result.output
    assert sorted(p.name for p in (tmp_path / "files").iterdir()) == [
        "fluxIAE_AnnexeFinanciere_05032025_073007.csv",
        "fluxIAE_ContratMission_05032025_073023.csv.gz",
        "fluxIAE_EtatMensuelIndiv_05032025_073019.csv.gz",
        "fluxIAE_RefMontantIae_05032025_073029.csv",
        "fluxIAE_Structure_05032025_073000.csv",
    ]
    again = CliRunner().invoke(main, args)
    assert again.exit_code == 0, again.output
    assert "déjà importé" in again.output


def test_command_rejects_a_bad_date(tmp_path):
    database = tmp_path / "jamais.db"
    result = CliRunner().invoke(
        main, ["demo", "--today", "15/10/2025", "--database-url", f"sqlite:///{database}"]
    )
    assert result.exit_code == 2  # a usage error, before anything is generated
    assert "Invalid value for '--today'" in result.output
    assert "'%Y-%m-%d'" in result.output  # says which format is expected
    assert not database.exists()


def test_january_has_no_current_year_months(engine):
    """In January the last data month is December of the previous year."""
    from etp.demo.model import DemoConfig

    config = DemoConfig(seed=3, today=date(2026, 1, 8), structures=12)
    population, _, _ = load_demo(engine, config)
    assert config.dernier_mois == (2025, 12)
    assert max((li.annee, li.mois) for li in population.lignes) == (2025, 12)
    with engine.connect() as conn:
        assert (
            conn.execute(
                select(func.count()).select_from(EtatMensuel).where(EtatMensuel.annee == 2026)
            ).scalar_one()
            == 0
        )

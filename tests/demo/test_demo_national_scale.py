"""``suivi-etp demo --scale national|region``: every département, streamed files, real import.

The national files are the default demo's building blocks at another size; these tests run the
same code on a small number of structures (still enough for one in every département).
"""

from __future__ import annotations

import gzip
from collections import Counter
from datetime import date
from itertools import islice

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from app.cli import main
from etp.demo.generator import emi_row
from etp.demo.loader import load_demo
from etp.demo.national import (
    ECHELLES,
    _ligne_texte,
    build_national,
    config_echelle,
    generate_national,
    lignes_emi,
    write_national_files,
)
from etp.fluxiae import COLUMNS, import_paths
from etp.fluxiae.writer import format_value
from etp.referentiel import departements
from etp.schema import AnnexeFinanciere, EtatMensuel

TODAY = date(2025, 10, 15)
#: every département with a région (101) plus the two structures of the demo SIAE account
PETITE = config_echelle("region", seed=11, today=TODAY, structures=106)


def _lignes(path) -> list[list[str]]:
    text = gzip.decompress(path.read_bytes()).decode("utf-8")
    return [line.split("|") for line in text.splitlines()]


@pytest.fixture(scope="module")
def fichiers(tmp_path_factory):
    directory = tmp_path_factory.mktemp("national")
    population = build_national(PETITE)
    paths, volumes = write_national_files(population, directory)
    return population, paths, volumes


def test_scales_and_population_without_rows_in_memory():
    assert ECHELLES["national"] > 10 * 450 and ECHELLES["region"] * 10 == ECHELLES["national"]
    assert config_echelle("national", today=TODAY).structures == ECHELLES["national"]
    with pytest.raises(ValueError):
        config_echelle("monde")
    population = build_national(config_echelle("region", today=TODAY, structures=20))
    assert population.lignes == []  # EMI rows are streamed, never listed


def test_same_config_gives_byte_identical_files(tmp_path):
    config = config_echelle("region", seed=3, today=TODAY, structures=14)
    _, first = generate_national(config, tmp_path / "a")
    _, second = generate_national(config, tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in second]
    for a, b in zip(first, second, strict=True):
        assert a.read_bytes() == b.read_bytes(), a.name


def test_fast_emi_lines_are_what_the_writer_writes():
    population = build_national(config_echelle("region", today=TODAY, structures=20))
    colonnes = list(COLUMNS["EtatMensuelIndiv"])
    memo: dict = {}
    for dsm, ligne in enumerate(islice(lignes_emi(population), 3000), start=1):
        row = emi_row(ligne, dsm)
        attendu = "|".join(format_value(row.get(c)) for c in colonnes)
        assert _ligne_texte(row, colonnes, memo) == attendu
    for value in (True, 1.0, 1, None, 1e-07, 12.5, "x", date(2025, 1, 1)):
        row = {"emi_nb_heures_travail": value}
        expected = format_value(value)
        assert _ligne_texte(row, ["emi_nb_heures_travail"], memo) == expected


def test_files_have_the_national_shape(fichiers):
    _population, paths, volumes = fichiers
    emi = _lignes(paths[2])
    header, rows, fin = emi[1], emi[2:-1], emi[-1]
    assert emi[0][0].startswith("DEBEtatMensuelIndiv")
    assert fin[0] == f"FIN{len(rows)}" and volumes.emi == len(rows)
    col = {name: i for i, name in enumerate(header)}
    par_annee = Counter(int(r[col["emi_sme_annee"]]) for r in rows)
    assert dict(par_annee) == volumes.emi_par_annee
    dsm = [r[col["emi_dsm_id"]] for r in rows]
    assert len(set(dsm)) == len(dsm)
    # about 32 people per AF and month, as nationally (150,000 people over 4,700 AFs)
    af_mois = {
        (r[col["emi_afi_id"]], r[col["emi_sme_annee"]], r[col["emi_sme_mois"]]) for r in rows
    }
    assert 25 <= len(rows) / len(af_mois) <= 40

    # the latest emi_date_creation is the data date
    def key(text: str) -> str:
        return text[6:10] + text[3:5] + text[0:2] + text[11:]

    latest = max((r[col["emi_date_creation"]] for r in rows), key=key)
    assert latest == f"{PETITE.date_donnees:%d/%m/%Y %H:%M:%S}"
    # one ContratMission row per contract of the EMI rows
    contrats = _lignes(paths[3])
    ccol = {name: i for i, name in enumerate(contrats[1])}
    ctr = [r[ccol["contrat_id_ctr"]] for r in contrats[2:-1]]
    assert len(ctr) == len(set(ctr)) == volumes.contrats
    assert set(ctr) == {r[col["emi_ctr_id"]] for r in rows}


def test_national_files_import_with_every_departement_and_type(engine, fichiers):
    _population, paths, volumes = fichiers
    report = import_paths(engine, paths)
    by_vue = {f.vue: f for f in report.files}
    assert {f.status for f in report.files} == {"importe"}
    emi = by_vue["EtatMensuelIndiv"]
    assert emi.rows_read == emi.rows_kept == volumes.emi
    assert not emi.skipped and not emi.anomalies
    assert emi.data_date == PETITE.date_donnees
    assert by_vue["AnnexeFinanciere"].skipped["version remplacée"] > 0  # amendments
    assert by_vue["ContratMission"].rows_kept == volumes.contrats

    attendus = {code for code, (_, region) in departements().items() if region}
    assert len(attendus) == 101
    with engine.connect() as conn:
        afs = conn.execute(select(AnnexeFinanciere).where(AnnexeFinanciere.compte)).all()
        assert {a.departement_code for a in afs} == attendus
        assert {a.type_structure for a in afs} == {"ACI", "AI", "EI", "ETTI", "EITI"}
        assert any(a.numero_avenant_modification > 0 for a in afs)  # amended AFs
        annees = Counter(a.numero for a in afs)
        assert max(annees.values()) == 3  # renewed every year under the same number
        assert any(a.numero_avenant_renouvellement > 0 for a in afs)
        # late declarations: the last two months are not all validated
        year, month = PETITE.dernier_mois
        recents = conn.execute(
            select(EtatMensuel.etat).where(
                EtatMensuel.annee == year, EtatMensuel.mois.in_([month - 1, month])
            )
        ).scalars()
        assert set(recents) - {"VALIDE"}
        # seasonality: August is quieter than June (a full year)
        heures = dict(
            conn.execute(
                select(EtatMensuel.mois, func.sum(EtatMensuel.heures))
                .where(EtatMensuel.annee == 2024)
                .group_by(EtatMensuel.mois)
            ).all()
        )
        assert heures[8] < 0.9 * heures[6]


def test_demo_command_with_a_scale(db_url, tmp_path):
    result = CliRunner().invoke(
        main,
        [
            "demo",
            "--scale",
            "region",
            "--structures",
            "14",
            "--today",
            "2025-10-15",
            "--database-url",
            db_url,
            "--keep-files",
            str(tmp_path / "files"),
        ],
    )
    assert result.exit_code == 0, result.output
    assert "échelle region" in result.output and "14 structures" in result.output
    assert len(list((tmp_path / "files").iterdir())) == 5


def test_load_demo_takes_the_national_generator(engine, tmp_path):
    config = config_echelle("region", today=TODAY, structures=14)
    population, _paths, report = load_demo(engine, config, None, generate_national)
    assert population.lignes == [] and {f.status for f in report.files} == {"importe"}

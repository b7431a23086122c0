"""AnnexeFinanciere rules (domain.md §3 rules 1-3), each on a small file, and the real sample."""

from __future__ import annotations

from datetime import datetime

import pytest
from fluxiae_helpers import SAMPLES, af_row, snapshot, write
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from etp.fluxiae import import_paths
from etp.fluxiae.annexes import departement_from_numero
from etp.schema import AnnexeFinanciere, ImportLog

AF = "AnnexeFinanciere"


def _afs(engine) -> list[AnnexeFinanciere]:
    with Session(engine) as session:
        return list(session.scalars(select(AnnexeFinanciere).order_by(AnnexeFinanciere.id)))


@pytest.mark.parametrize(
    ("numero", "expected"),
    [
        ("ACI054180019", "54"),
        ("EI02A190003", "2A"),
        ("AI02B200001", "2B"),
        ("ETTI971200004", "971"),
        ("ACI001190001", "01"),
        ("EITI075210001", "75"),
        ("ACI099180001", None),  # no département 99
        ("ACI05", None),
    ],
)
def test_departement_from_numero(numero, expected):
    assert departement_from_numero(numero) == expected


def test_current_version_highest_modification_among_counted_states(engine, files):
    rows = [
        af_row(af_id_avenant_modification=1, af_numero_avenant_modification=0,
               af_etat_annexe_financiere_code="HISTORISE", af_etp_postes_insertion=10),
        af_row(af_id_avenant_modification=2, af_numero_avenant_modification=1,
               af_etat_annexe_financiere_code="VALIDE", af_etp_postes_insertion=11),
        af_row(af_id_avenant_modification=3, af_numero_avenant_modification=2,
               af_etat_annexe_financiere_code="SAISI", af_etp_postes_insertion=99),
    ]  # fmt: skip
    report = import_paths(engine, [write(files, AF, rows)]).files[0]
    (af,) = _afs(engine)
    assert (af.id_avenant_modification, af.etat, af.compte) == (2, "VALIDE", True)
    assert af.etp_postes_insertion == 11
    assert af.version == "A0M1"
    assert (report.rows_read, report.rows_kept, dict(report.skipped)) == (
        3, 1, {"version remplacée": 2},
    )  # fmt: skip


def test_tie_on_modification_number_takes_highest_avenant_id(engine, files):
    rows = [
        af_row(af_id_avenant_modification=8, af_etat_annexe_financiere_code="PROVISOIRE"),
        af_row(af_id_avenant_modification=9, af_etat_annexe_financiere_code="CLOTURE"),
        af_row(af_id_avenant_modification=7, af_etat_annexe_financiere_code="VALIDE"),
    ]
    import_paths(engine, [write(files, AF, rows)])
    (af,) = _afs(engine)
    assert (af.id_avenant_modification, af.etat, af.compte) == (9, "CLOTURE", True)


def test_af_without_counted_state_kept_with_latest_state(engine, files):
    rows = [
        af_row(af_id_avenant_modification=1, af_etat_annexe_financiere_code="HISTORISE"),
        af_row(af_id_avenant_modification=2, af_numero_avenant_modification=1,
               af_etat_annexe_financiere_code="ANNULE"),
    ]  # fmt: skip
    import_paths(engine, [write(files, AF, rows)])
    (af,) = _afs(engine)
    assert (af.id_avenant_modification, af.etat, af.compte) == (2, "ANNULE", False)


def test_exact_duplicates_dropped_and_counted(engine, files):
    rows = [af_row(), af_row(), af_row(af_id_annexe_financiere=1001, af_id_avenant_modification=1)]
    report = import_paths(engine, [write(files, AF, rows)]).files[0]
    assert [af.id for af in _afs(engine)] == [1000, 1001]
    assert report.skipped == {"doublon exact": 1}
    assert report.rows_read == report.rows_kept + report.rows_skipped == 3


def test_fdi_unknown_measure_unknown_departement_skipped_and_counted(engine, files):
    rows = [
        af_row(af_id_annexe_financiere=1, af_mesure_dispositif_code="FDI_DC",
               af_numero_annexe_financiere="FDI054200058"),
        af_row(af_id_annexe_financiere=2, af_mesure_dispositif_code="XYZ_DC"),
        af_row(af_id_annexe_financiere=3, af_numero_annexe_financiere="ACI099220001"),
        af_row(af_id_annexe_financiere=4),
    ]  # fmt: skip
    report = import_paths(engine, [write(files, AF, rows)]).files[0]
    assert [af.id for af in _afs(engine)] == [4]
    assert report.skipped == {
        "mesure FDI exclue": 1, "mesure inconnue": 1, "département inconnu": 1,
    }  # fmt: skip


def test_inverted_period_is_kept_and_reported_as_an_anomaly(engine, files):
    rows = [
        af_row(af_id_annexe_financiere=5, af_date_debut_effet="01/07/2022",
               af_date_fin_effet="31/03/2022"),
        af_row(af_id_annexe_financiere=6),
    ]  # fmt: skip
    report = import_paths(engine, [write(files, AF, rows)]).files[0]
    assert [af.id for af in _afs(engine)] == [5, 6]
    assert report.anomalies == {
        "date de fin antérieure à la date de début (aucun mois conventionné)": 1
    }


def test_type_prison_departement_region_and_years(engine, files):
    rows = [
        af_row(af_id_annexe_financiere=1, af_mesure_dispositif_code="EI_MP",
               af_numero_annexe_financiere="EI02A210007",
               af_date_debut_effet="01/07/2021", af_date_fin_effet="30/06/2022"),
        af_row(af_id_annexe_financiere=2, af_mesure_dispositif_code="ETTI_DC",
               af_numero_annexe_financiere="ETTI971220004"),
    ]  # fmt: skip
    import_paths(engine, [write(files, AF, rows)])
    corse, guadeloupe = _afs(engine)
    assert (corse.type_structure, corse.milieu_penitentiaire, corse.mesure_code) == (
        "EI", True, "EI_MP",
    )  # fmt: skip
    assert (corse.departement_code, corse.region_code) == ("2A", "94")
    assert (corse.annee_debut, corse.annee_fin) == (2021, 2022)
    assert (guadeloupe.type_structure, guadeloupe.milieu_penitentiaire) == ("ETTI", False)
    assert (guadeloupe.departement_code, guadeloupe.region_code) == ("971", "01")


def test_order_of_files_does_not_matter(engine, files, tmp_path):
    old = [af_row(af_id_avenant_modification=1, af_etp_postes_insertion=10)]
    new = [af_row(af_id_avenant_modification=2, af_numero_avenant_modification=1,
                  af_etp_postes_insertion=14)]  # fmt: skip
    (files / "a").mkdir()
    (files / "b").mkdir()
    older = write(files / "a", AF, old, extract_date=datetime(2022, 1, 1))
    newer = write(files / "b", AF, new, extract_date=datetime(2022, 2, 1))
    import_paths(engine, [newer])
    report = import_paths(engine, [older]).files[0]
    (af,) = _afs(engine)
    assert (af.id_avenant_modification, af.etp_postes_insertion) == (2, 14)
    assert report.skipped == {"version plus récente déjà en base": 1}
    after_new_then_old = snapshot(engine)["annexe_financiere"]
    # the other way round gives the same row (apart from import_id)
    with engine.begin() as conn:
        conn.execute(AnnexeFinanciere.__table__.delete())
        conn.execute(ImportLog.__table__.delete())  # forget the checksums
    import_paths(engine, [files / "a"])
    import_paths(engine, [files / "b"])
    assert [r[:-1] for r in snapshot(engine)["annexe_financiere"]] == [
        r[:-1] for r in after_new_then_old
    ]


@pytest.mark.parametrize("name", ["fluxIAE_AnnexeFinanciere_22022022_112211.csv",
                                  "fluxIAE_AnnexeFinanciere_22022022_112211.csv.gz"])  # fmt: skip
def test_real_sample_gives_35_counted_afs(engine, name):
    report = import_paths(engine, [SAMPLES / name]).files[0]
    assert report.status == "importe"
    assert report.rows_read == 85
    with engine.connect() as conn:
        counted = conn.execute(
            select(func.count()).select_from(AnnexeFinanciere).where(AnnexeFinanciere.compte)
        ).scalar_one()
        total = conn.execute(select(func.count()).select_from(AnnexeFinanciere)).scalar_one()
        mesures = set(conn.execute(select(AnnexeFinanciere.mesure_code)).scalars())
        aci = conn.execute(
            select(AnnexeFinanciere).where(AnnexeFinanciere.numero == "ACI972180024")
        ).one()
    assert counted == 35
    assert report.rows_kept == total
    assert "FDI_DC" not in mesures
    assert report.skipped["mesure FDI exclue"] == 14
    assert report.rows_read == report.rows_kept + report.rows_skipped
    assert (aci.departement_code, aci.region_code, aci.type_structure) == ("972", "02", "ACI")

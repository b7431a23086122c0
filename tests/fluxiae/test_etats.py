"""EtatMensuelIndiv rules (domain.md §3 rules 4-6), each on a small file."""

from __future__ import annotations

from datetime import datetime

import pytest
from fluxiae_helpers import af_row, emi_row, write
from sqlalchemy import select
from sqlalchemy.orm import Session

from etp.fluxiae import FluxIAEError, import_paths
from etp.schema import EtatMensuel

EMI = "EtatMensuelIndiv"


def _months(engine) -> dict[tuple[int, int, int], EtatMensuel]:
    with Session(engine) as session:
        return {(e.af_id, e.annee, e.mois): e for e in session.scalars(select(EtatMensuel))}


def test_aggregation_per_af_month(engine, files):
    rows = [
        emi_row(1, emi_pph_id=10, emi_nb_heures_travail=151.67),
        emi_row(2, emi_pph_id=10, emi_nb_heures_travail=20.5,  # same person, second contract
                emi_date_creation=datetime(2022, 2, 10, 8, 0, 0)),
        emi_row(3, emi_pph_id=11, emi_nb_heures_travail=0.1),
        emi_row(4, emi_pph_id=10, emi_sme_mois=2, emi_nb_heures_travail=35),
        emi_row(5, emi_afi_id=1001, emi_nb_heures_travail=None),
    ]  # fmt: skip
    report = import_paths(engine, [write(files, EMI, rows)]).files[0]
    months = _months(engine)
    assert set(months) == {(1000, 2022, 1), (1000, 2022, 2), (1001, 2022, 1)}
    jan = months[(1000, 2022, 1)]
    assert jan.heures == 172.27  # exact: hours are summed in thousandths
    assert (jan.nb_lignes, jan.nb_salaries, jan.etat, jan.etats_discordants) == (
        3, 2, "VALIDE", False,
    )  # fmt: skip
    assert jan.derniere_creation == datetime(2022, 2, 10, 8, 0, 0)
    assert months[(1001, 2022, 1)].heures == 0
    assert (report.rows_read, report.rows_kept) == (5, 5)
    assert report.data_date == datetime(2022, 2, 10, 8, 0, 0)


def test_sum_of_many_decimals_is_exact(engine, files):
    rows = [emi_row(i, emi_nb_heures_travail=0.1) for i in range(1, 11)]
    import_paths(engine, [write(files, EMI, rows)])
    assert _months(engine)[(1000, 2022, 1)].heures == 1.0  # 0.1 added ten times in floats ≠ 1.0


def test_state_is_least_advanced_and_anomaly_counted(engine, files):
    rows = [
        emi_row(1, emi_esm_etat_code="VALIDE"),
        emi_row(2, emi_esm_etat_code="DEBLOQUE"),
        emi_row(3, emi_esm_etat_code="VALIDE"),
        emi_row(4, emi_sme_mois=2, emi_esm_etat_code="SAISI"),
        emi_row(5, emi_sme_mois=2, emi_esm_etat_code="BROUILLON"),
        emi_row(6, emi_sme_mois=3, emi_esm_etat_code="SAISI"),
    ]
    report = import_paths(engine, [write(files, EMI, rows)]).files[0]
    months = _months(engine)
    assert (months[(1000, 2022, 1)].etat, months[(1000, 2022, 1)].etats_discordants) == (
        "DEBLOQUE", True,
    )  # fmt: skip
    assert (months[(1000, 2022, 2)].etat, months[(1000, 2022, 2)].etats_discordants) == (
        "BROUILLON", True,
    )  # fmt: skip
    assert (months[(1000, 2022, 3)].etat, months[(1000, 2022, 3)].etats_discordants) == (
        "SAISI", False,
    )  # fmt: skip
    assert report.anomalies == {"mois aux états discordants (compté au moins avancé)": 2,
                                "mois d'AF absentes de la base (gardés)": 3}  # fmt: skip


def test_duplicate_dsm_skipped_first_kept(engine, files):
    rows = [emi_row(1, emi_nb_heures_travail=10), emi_row(1, emi_nb_heures_travail=99),
            emi_row(2, emi_nb_heures_travail=5)]  # fmt: skip
    report = import_paths(engine, [write(files, EMI, rows)]).files[0]
    assert _months(engine)[(1000, 2022, 1)].heures == 15
    assert report.skipped == {"doublon emi_dsm_id": 1}
    assert (report.rows_read, report.rows_kept) == (3, 2)


def test_unknown_state_skipped_and_counted(engine, files):
    rows = [emi_row(1), emi_row(2, emi_esm_etat_code="ARCHIVE", emi_nb_heures_travail=99)]
    report = import_paths(engine, [write(files, EMI, rows)]).files[0]
    assert _months(engine)[(1000, 2022, 1)].heures == 151.67
    assert report.skipped == {"état inconnu": 1}


def test_months_in_a_file_replace_stored_ones_others_stay(engine, files):
    (files / "1").mkdir()
    (files / "2").mkdir()
    first = [emi_row(1, emi_esm_etat_code="SAISI"), emi_row(2, emi_sme_mois=2)]
    write(files / "1", EMI, first, extract_date=datetime(2022, 3, 1))
    second = [emi_row(3, emi_nb_heures_travail=100), emi_row(4, emi_nb_heures_travail=1)]
    write(files / "2", EMI, second, extract_date=datetime(2022, 4, 1))
    import_paths(engine, [files / "1"])
    import_paths(engine, [files / "2"])
    months = _months(engine)
    assert (months[(1000, 2022, 1)].heures, months[(1000, 2022, 1)].etat) == (101, "VALIDE")
    assert months[(1000, 2022, 1)].nb_lignes == 2
    assert months[(1000, 2022, 2)].heures == 151.67  # not in the second file: kept


def test_months_of_unknown_afs_kept_then_af_arrives(engine, files):
    write(files, EMI, [emi_row(1, emi_afi_id=4242)])
    report = import_paths(engine, [files]).files[0]
    assert report.anomalies == {"mois d'AF absentes de la base (gardés)": 1}
    assert (4242, 2022, 1) in _months(engine)
    (files / "af").mkdir()
    write(files / "af", "AnnexeFinanciere", [af_row(af_id_annexe_financiere=4242)])
    import_paths(engine, [files / "af"])
    assert (4242, 2022, 1) in _months(engine)


def test_af_and_emi_in_one_call_no_orphan_whatever_the_order(engine, files):
    emi = write(files, EMI, [emi_row(1)])
    af = write(files, "AnnexeFinanciere", [af_row()])
    report = import_paths(engine, [emi, af])  # AF processed first anyway
    assert [f.vue for f in report.files] == ["AnnexeFinanciere", EMI]
    assert report.files[1].anomalies == {}


def test_month_out_of_range_refused(engine, files):
    path = write(files, EMI, [emi_row(1, emi_sme_mois=13)])
    with pytest.raises(FluxIAEError, match=r":3: emi_sme_mois: mois 13 hors de 1 à 12"):
        import_paths(engine, [path])
    assert _months(engine) == {}

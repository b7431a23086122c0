"""One call = one transaction; idempotent; logged; structures without personal data."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from fluxiae_helpers import (
    SAMPLES,
    af_row,
    emi_row,
    import_logs,
    snapshot,
    structure_row,
    without_import_id,
    write,
)
from sqlalchemy import select

from etp.fluxiae import ETAT_MENSUEL_INDIV_COLUMNS, FluxIAEError, import_paths
from etp.schema import Structure


def _delivery(directory):
    write(directory, "Structure", [structure_row()])
    write(directory, "AnnexeFinanciere", [af_row(), af_row(af_id_avenant_modification=1)])
    rows = [emi_row(i, emi_sme_mois=1 + i % 12) for i in range(1, 40)] + [emi_row(1)]
    write(directory, "EtatMensuelIndiv", rows)
    return directory


def test_import_twice_changes_nothing(engine, files):
    _delivery(files)
    first = import_paths(engine, [files])
    assert [f.status for f in first.files] == ["importe"] * 3
    before = snapshot(engine)
    second = import_paths(engine, [files])
    assert [f.status for f in second.files] == ["deja_importe"] * 3
    assert snapshot(engine) == before
    assert len(import_logs(engine)) == 6


def test_upsert_is_idempotent_without_the_checksum_shortcut(engine, files, tmp_path):
    """Same rows, another column order (so another checksum): same data."""
    _delivery(files)
    import_paths(engine, [files])
    before = without_import_id(snapshot(engine))
    other = tmp_path / "other"
    other.mkdir()
    rows = [emi_row(i, emi_sme_mois=1 + i % 12) for i in range(1, 40)] + [emi_row(1)]
    write(other, "EtatMensuelIndiv", rows, columns=list(reversed(ETAT_MENSUEL_INDIV_COLUMNS)))
    write(other, "AnnexeFinanciere", [af_row(), af_row(af_id_avenant_modification=1)], fin=False)
    write(other, "Structure", [structure_row()], deb=False)
    report = import_paths(engine, [other])
    assert [f.status for f in report.files] == ["importe"] * 3
    assert without_import_id(snapshot(engine)) == before


def test_one_bad_file_rolls_back_the_whole_call(engine, files):
    _delivery(files)
    bad = files / "fluxIAE_EtatMensuelIndiv_02032022_063000.csv"
    write(files, "EtatMensuelIndiv", [emi_row(500, emi_sme_annee="deux mille")],
          extract_date=datetime(2022, 3, 2, 6, 30))  # fmt: skip
    before = snapshot(engine)
    with pytest.raises(FluxIAEError) as caught:
        import_paths(engine, [files])
    assert str(caught.value) == (
        f"{bad}:3: emi_sme_annee: nombre entier attendu, trouvé 'deux mille'"
    )
    assert snapshot(engine) == before  # Structure and AF files, valid, were rolled back too
    logs = import_logs(engine)
    assert [(log["fichier"], log["statut"]) for log in logs] == [(str(bad), "refuse")]


def test_import_log_records_counts_reasons_and_data_date(engine, files):
    _delivery(files)
    import_paths(engine, [files])
    logs = {log["vue"]: log for log in import_logs(engine)}
    emi = logs["EtatMensuelIndiv"]
    assert (emi["lignes_lues"], emi["lignes_gardees"], emi["lignes_rejetees"]) == (40, 39, 1)
    assert json.loads(emi["motifs"]) == {"doublon emi_dsm_id": 1}
    assert emi["date_donnees"] == datetime(2022, 2, 3, 9, 15)
    assert len(emi["checksum"]) == 64
    af = logs["AnnexeFinanciere"]
    assert (af["lignes_lues"], af["lignes_gardees"]) == (2, 1)
    assert json.loads(af["motifs"]) == {"version remplacée": 1}
    assert af["date_donnees"] is None


def test_real_structures_without_personal_data(engine):
    for name in ("fluxIAE_Structure_22022022_112211.csv",
                 "fluxIAE_Structure_22022022_112211.csv.gz"):  # fmt: skip
        import_paths(engine, [SAMPLES / name])
    with engine.connect() as conn:
        rows = conn.execute(select(Structure).order_by(Structure.id)).all()
    assert len(rows) == 6
    assert {c.name for c in Structure.__table__.columns} == {
        "id", "siret", "denomination", "code_insee", "commune", "date_modification", "import_id",
    }  # fmt: skip
    first = rows[0]
    assert (first.id, first.siret, first.denomination, first.code_insee, first.commune) == (
        112, "21540323900019", "COMMUNE DE LONGWY", "54323", "LONGWY",
    )  # fmt: skip


def test_personal_columns_are_never_read(engine, files):
    """Even a malformed phone number or e-mail cannot matter: those columns are not parsed."""
    row = structure_row(
        structure_adresse_admin_telephone="06 12 34 56 78",
        structure_adresse_mail_corresp_technique="jeanne.martin@example.org",
        structure_adresse_nom_corresp_technique="MARTIN",
        structure_adresse_prenom_corresp_technique="Jeanne",
    )
    write(files, "Structure", [row])
    import_paths(engine, [files])
    dumped = repr(snapshot(engine))
    for secret in ("06 12 34 56 78", "jeanne.martin", "MARTIN", "Jeanne"):
        assert secret not in dumped


def test_structure_upsert_keeps_latest_modification(engine, files, tmp_path):
    recent = structure_row(
        structure_denomination="NOUVEAU NOM", structure_date_modification=datetime(2021, 5, 1)
    )
    write(files, "Structure", [recent])
    import_paths(engine, [files])
    older = tmp_path / "older"
    older.mkdir()
    write(older, "Structure", [structure_row(structure_denomination="ANCIEN NOM")],
          extract_date=datetime(2021, 1, 1))  # fmt: skip
    report = import_paths(engine, [older]).files[0]
    assert report.skipped == {"version plus ancienne que celle en base": 1}
    with engine.connect() as conn:
        assert conn.execute(select(Structure.denomination)).scalar_one() == "NOUVEAU NOM"


def test_progress_reports_rows_and_fraction(engine, files):
    write(files, "EtatMensuelIndiv", [emi_row(i) for i in range(1, 25_001)])
    seen = []
    import_paths(engine, [files], progress=seen.append)
    assert [p.rows for p in seen] == [0, 20_000, 25_000]
    assert seen[-1].finished and seen[-1].fraction == 1.0
    assert 0 < seen[1].fraction < 1

"""Format facts of domain.md §2, each on a small file, and each malformed case refused cleanly."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

import pytest
from fluxiae_helpers import (
    WHEN,
    af_row,
    emi_row,
    import_logs,
    snapshot,
    structure_row,
    write,
)
from sqlalchemy import select

from etp.fluxiae import FluxIAEError, import_paths, render_vue
from etp.schema import AnnexeFinanciere, EtatMensuel, Structure

AF = "AnnexeFinanciere"
EMI = "EtatMensuelIndiv"


def _afs(engine):
    with engine.connect() as conn:
        return conn.execute(select(AnnexeFinanciere).order_by(AnnexeFinanciere.id)).all()


def test_bom_no_deb_no_fin(engine, files):
    content = render_vue(AF, [af_row()], deb=False, fin=False, extract_date=WHEN)
    path = files / "fluxIAE_AnnexeFinanciere_01032022_063000.csv"
    path.write_bytes(b"\xef\xbb\xbf" + content)
    report = import_paths(engine, [path])
    assert report.files[0].rows_kept == 1
    assert _afs(engine)[0].numero == "ACI054220001"


def test_bom_before_deb_line(engine, files):
    content = render_vue(AF, [af_row()], extract_date=WHEN)
    path = files / "fluxIAE_AnnexeFinanciere_01032022_063000.csv"
    path.write_bytes(b"\xef\xbb\xbf" + content)
    assert import_paths(engine, [path]).files[0].rows_kept == 1


def test_columns_by_name_any_order_unknown_ignored_quotes_plain(engine, files):
    columns = [
        "colonne_future",
        *reversed(list(af_row())),
        "af_nb_banques numeric",
    ]
    rows = [af_row(colonne_future='valeur "entre guillemets', **{"af_nb_banques numeric": 3})]
    write(files, AF, rows, columns=columns)
    import_paths(engine, [files])
    (af,) = _afs(engine)
    assert (af.id, af.etp_postes_insertion, af.duree_heure_annuel_etp) == (1000, 12.5, 1820.0)
    assert af.date_debut.isoformat() == "2022-01-01"


def test_quote_is_plain_text(engine, files):
    write(files, "Structure", [structure_row(structure_denomination='ASSOC "LE PONT')])
    import_paths(engine, [files])
    with engine.connect() as conn:
        assert conn.execute(select(Structure.denomination)).scalar_one() == 'ASSOC "LE PONT'


def test_empty_field_is_null(engine, files):
    write(files, AF, [af_row(af_mt_cofinance=None, af_etp_postes_insertion=None)])
    import_paths(engine, [files])
    (af,) = _afs(engine)
    assert af.mt_cofinance is None
    assert af.etp_postes_insertion is None


def test_timestamp_and_decimal(engine, files):
    write(files, EMI, [emi_row(1, emi_nb_heures_travail=0.5)])
    report = import_paths(engine, [files])
    with engine.connect() as conn:
        em = conn.execute(select(EtatMensuel)).one()
    assert em.heures == 0.5
    assert em.derniere_creation.isoformat() == "2022-02-03T09:15:00"
    assert report.files[0].data_date == em.derniere_creation


# --- malformed files: each names file, line and column, and changes no data ---------------


def _assert_refused(engine, path: Path, expected: str) -> None:
    import_paths(engine, [path.parent / "base"])  # some data to protect
    before = snapshot(engine)
    logs_before = len(import_logs(engine))
    with pytest.raises(FluxIAEError) as caught:
        import_paths(engine, [path])
    assert str(caught.value) == expected
    assert snapshot(engine) == before
    logs = import_logs(engine)
    assert len(logs) == logs_before + 1
    assert logs[-1]["statut"] == "refuse"
    assert logs[-1]["message"] == expected


@pytest.fixture
def base(files: Path) -> Path:
    """A valid AF + EMI + Structure delivery in files/base, imported before each bad file."""
    directory = files / "base"
    directory.mkdir()
    write(directory, AF, [af_row(af_id_annexe_financiere=1, af_id_avenant_modification=1)])
    write(directory, EMI, [emi_row(900, emi_afi_id=1)])
    write(directory, "Structure", [structure_row()])
    return directory


def _emi_file(files: Path, lines: list[str], deb: bool = True) -> Path:
    """An EMI file whose data lines are given raw (header from the writer)."""
    head = render_vue(EMI, [], fin=False, deb=deb, extract_date=WHEN).decode()
    path = files / "fluxIAE_EtatMensuelIndiv_02032022_063000.csv"
    path.write_text(head + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def _emi_line(dsm: int, **overrides) -> str:
    return (
        render_vue(EMI, [emi_row(dsm, **overrides)], deb=False, fin=False).decode().split("\n")[1]
    )


def test_wrong_field_count(engine, files, base):
    line = _emi_line(2)
    path = _emi_file(files, [_emi_line(1), line + "|extra"])
    _assert_refused(engine, path, f"{path}:4: emi_dsm_nb_mois: 32 champs au lieu de 31")


def test_too_few_fields(engine, files, base):
    line = "|".join(_emi_line(2).split("|")[:5])
    path = _emi_file(files, [line])
    _assert_refused(engine, path, f"{path}:3: emi_esm_etat_id: 5 champs au lieu de 31")


def test_bad_date(engine, files, base):
    path = _emi_file(files, [_emi_line(1), _emi_line(2).replace("03/02/2022", "2022-02-03")])
    _assert_refused(
        engine,
        path,
        f"{path}:4: emi_date_creation: horodatage invalide '2022-02-03 09:15:00' "
        "(attendu jj/mm/aaaa hh:mm:ss)",
    )


def test_impossible_date(engine, files, base):
    write(files, AF, [af_row(af_date_fin_effet="31/02/2022")])
    path = next(files.glob("fluxIAE_AnnexeFinanciere_*"))
    _assert_refused(engine, path, f"{path}:3: af_date_fin_effet: date inexistante '31/02/2022'")


def test_text_in_number(engine, files, base):
    path = _emi_file(files, [_emi_line(1, emi_nb_heures_travail="151,67")], deb=False)
    _assert_refused(
        engine,
        path,
        f"{path}:2: emi_nb_heures_travail: nombre décimal attendu (séparateur « . »), "
        "trouvé '151,67'",
    )


def test_missing_required_column(engine, files, base):
    row = af_row()
    del row["af_date_fin_effet"]
    path = write(files, AF, [row], columns=list(row))
    _assert_refused(
        engine, path, f"{path}:2: af_date_fin_effet: colonne obligatoire absente de l'en-tête"
    )


def test_missing_required_value(engine, files, base):
    path = write(files, EMI, [emi_row(1), emi_row(2, emi_dsm_id=None)])
    _assert_refused(engine, path, f"{path}:4: emi_dsm_id: valeur obligatoire manquante")


def test_fin_count_wrong(engine, files, base):
    path = write(files, EMI, [emi_row(1), emi_row(2)])
    content = path.read_text().replace("FIN2|", "FIN3|")
    path.write_text(content)
    _assert_refused(
        engine, path, f"{path}:5: FIN: la ligne FIN annonce 3 lignes, le fichier en contient 2"
    )


def test_line_after_fin(engine, files, base):
    path = write(files, EMI, [emi_row(1)])
    path.write_text(path.read_text() + _emi_line(2) + "\n")
    _assert_refused(engine, path, f"{path}:5: FIN: ligne après la ligne FIN")


def test_truncated_gzip(engine, files, base):
    path = write(files, EMI, [emi_row(i) for i in range(1, 2000)], compression="gzip")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    import_paths(engine, [base])
    before = snapshot(engine)
    with pytest.raises(FluxIAEError) as caught:
        import_paths(engine, [path])
    error = caught.value
    assert (error.path, error.column) == (str(path), "fichier")
    assert "tronqué" in error.message
    readable = zlib.decompressobj(wbits=31).decompress(data[: len(data) // 2])
    assert error.line == readable.count(b"\n") + 1  # the line where the data stops
    assert 1 < error.line < 2003
    assert snapshot(engine) == before


def test_invalid_utf8(engine, files, base):
    path = write(files, "Structure", [structure_row(), structure_row(structure_id_siae=113)])
    data = path.read_bytes().replace(b"|LONGWY|", b"|LONGW\xe9|", 1)
    path.write_bytes(data)
    _assert_refused(
        engine,
        path,
        f"{path}:3: structure_adresse_admin_commune: encodage invalide (UTF-8 attendu)",
    )


def test_latin1_file_is_refused(engine, files, base):
    content = render_vue("Structure", [structure_row(structure_denomination="ÉCOLE")])
    path = files / "fluxIAE_Structure_01032022_063000.csv"
    path.write_bytes(content.decode().encode("latin-1"))
    _assert_refused(
        engine, path, f"{path}:3: structure_denomination: encodage invalide (UTF-8 attendu)"
    )


def test_deb_of_another_vue(engine, files, base):
    path = write(files, EMI, [emi_row(1)])
    path.write_text(path.read_text().replace("DEBEtatMensuelIndiv", "DEBStructure"))
    _assert_refused(
        engine,
        path,
        f"{path}:1: DEB: la ligne DEB annonce la vue Structure, le nom du fichier "
        "la vue EtatMensuelIndiv",
    )


def test_gzip_content_matches_plain(engine, files):
    rows = [emi_row(1), emi_row(2, emi_sme_mois=2)]
    plain = write(files, EMI, rows)
    (files / "gz").mkdir()
    gz = write(files / "gz", EMI, rows, compression="gzip")
    assert gzip.decompress(gz.read_bytes()) == plain.read_bytes()
    report = import_paths(engine, [plain, gz])
    assert [f.status for f in report.files] == ["importe", "deja_importe"]

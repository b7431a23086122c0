"""Inputs: zip, tar.gz that is a zip, real tar.gz, directories, PKZIP .gz; ignored vues."""

from __future__ import annotations

import gzip
import io
import tarfile
import zipfile
from datetime import datetime

import pytest
from fluxiae_helpers import SAMPLES, af_row, emi_row, import_logs, structure_row, write
from sqlalchemy import func, select

from etp.fluxiae import FluxIAEError, import_paths, render_vue
from etp.schema import AnnexeFinanciere, EtatMensuel, Structure


def _counts(engine) -> tuple[int, int, int]:
    with engine.connect() as conn:
        return tuple(
            conn.execute(select(func.count()).select_from(model)).scalar_one()
            for model in (Structure, AnnexeFinanciere, EtatMensuel)
        )


def _delivery() -> dict[str, bytes]:
    when = datetime(2022, 3, 1, 6, 30)
    return {
        "fluxIAE_Structure_01032022_063000.csv": render_vue(
            "Structure", [structure_row()], extract_date=when
        ),
        "fluxIAE_AnnexeFinanciere_01032022_063000.csv": render_vue(
            "AnnexeFinanciere", [af_row()], extract_date=when
        ),
        "fluxIAE_EtatMensuelIndiv_01032022_063000.csv": render_vue(
            "EtatMensuelIndiv", [emi_row(1), emi_row(2, emi_sme_mois=2)], extract_date=when
        ),
        "fluxIAE_Salarie_01032022_063000.csv": b"salarie_id|salarie_annee_naissance\n1|1980\n",
    }


def test_itou_tar_gz_that_is_a_zip(engine, tmp_path):
    path = tmp_path / "fluxIAE_ITOU_01032022_063000.tar.gz"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in _delivery().items():
            archive.writestr(name, content)
    report = import_paths(engine, [path])
    assert _counts(engine) == (1, 1, 2)
    assert [(f.vue, f.status) for f in report.files] == [
        ("Structure", "importe"),
        ("AnnexeFinanciere", "importe"),
        ("EtatMensuelIndiv", "importe"),
        ("Salarie", "ignore"),
    ]
    assert report.files[2].path == f"{path}/fluxIAE_EtatMensuelIndiv_01032022_063000.csv"
    assert [f.path for f in report.ignored] == [f"{path}/fluxIAE_Salarie_01032022_063000.csv"]
    assert [log["statut"] for log in import_logs(engine)] == [
        "importe", "importe", "importe", "ignore",
    ]  # fmt: skip


def test_zip_of_gzipped_files(engine, tmp_path):
    path = tmp_path / "livraison.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, content in _delivery().items():
            archive.writestr(name + ".gz", gzip.compress(content))
    import_paths(engine, [path])
    assert _counts(engine) == (1, 1, 2)


def test_real_tar_gz(engine, tmp_path):
    path = tmp_path / "fluxIAE_ITOU_01032022_063000.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        for name, content in _delivery().items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
    report = import_paths(engine, [path])
    assert _counts(engine) == (1, 1, 2)
    assert len(report.ignored) == 1


def test_directory_recursive_and_unrecognised_files_listed(engine, files):
    (files / "sub").mkdir()
    write(files / "sub", "AnnexeFinanciere", [af_row()], compression="gzip")
    write(files, "EtatMensuelIndiv", [emi_row(1)], compression="pkzip")
    (files / "notes.txt").write_text("rien")
    report = import_paths(engine, [files])
    assert _counts(engine) == (0, 1, 1)
    assert [(f.path.rsplit("/", 1)[-1], f.message) for f in report.ignored] == [
        ("notes.txt", "nom de fichier non reconnu")
    ]


def test_pkzip_structure_sample_same_as_csv(engine):
    gz = SAMPLES / "fluxIAE_Structure_22022022_112211.csv.gz"
    assert gz.read_bytes()[:2] == b"PK"
    report = import_paths(engine, [gz])
    assert (report.files[0].status, report.files[0].rows_kept) == ("importe", 6)
    assert report.files[0].path == str(gz)
    again = import_paths(engine, [SAMPLES / "fluxIAE_Structure_22022022_112211.csv"])
    assert again.files[0].status == "deja_importe"  # same decompressed content


def test_broken_zip_refused(engine, tmp_path):
    path = tmp_path / "fluxIAE_ITOU_01032022_063000.tar.gz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("fluxIAE_Structure_01032022_063000.csv", b"x" * 1000)
    path.write_bytes(path.read_bytes()[:200])
    with pytest.raises(FluxIAEError, match=r"tar\.gz:1: fichier: archive zip illisible"):
        import_paths(engine, [path])
    assert import_logs(engine)[-1]["statut"] == "refuse"

"""The columnar fast path of the EMI import stages exactly what the exact reader stages, and
declines (the exact reader then decides, with its own messages) whenever a file is unusual."""

from __future__ import annotations

import gzip
from datetime import date, datetime

import pytest
from fluxiae_helpers import emi_row, write
from sqlalchemy import delete, select

from etp.fluxiae import FluxIAEError, etats, import_paths
from etp.fluxiae.columns import COLUMNS
from etp.schema import BrsaMensuel, EmiContrat, EtatMensuel, ImportLog

EMI = "EtatMensuelIndiv"


def _lignes_variees() -> list[dict]:
    return [
        emi_row(1, emi_nb_heures_travail=151.67),
        emi_row(2, emi_pph_id=70001, emi_nb_heures_travail=20.5),  # same person again
        emi_row(3, emi_nb_heures_travail=None),
        emi_row(4, emi_nb_heures_travail=0.0005),  # a half-thousandth: rounded to even
        emi_row(5, emi_nb_heures_travail=0.0015),
        emi_row(6, emi_nb_heures_travail=-3.25, emi_sme_mois=2),
        emi_row(7, emi_esm_etat_code="ANNULE"),  # unknown state: set aside
        emi_row(6, emi_nb_heures_travail=10),  # duplicate emi_dsm_id: the first kept
        emi_row(8, emi_date_creation=date(2022, 3, 9)),  # a bare date
        emi_row(9, emi_date_creation=datetime(2024, 2, 29, 23, 59, 59), emi_sme_annee=2024),
        emi_row(10, emi_date_creation=None, emi_pph_id=None, emi_ctr_id=None),
        emi_row(11, emi_pph_id=2**62, emi_ctr_id=2**62 + 1, emi_esm_etat_code="SAISI"),
        emi_row(12, emi_afi_id=1001, emi_esm_etat_code="BROUILLON", emi_sme_mois=12),
        emi_row(2**40, emi_afi_id=2_147_483_647, emi_esm_etat_code="DEBLOQUE"),
    ]


def _etat(engine, report) -> tuple:
    with engine.connect() as conn:
        mois = conn.execute(select(EtatMensuel).order_by(*EtatMensuel.__table__.primary_key)).all()
        contrats = conn.execute(select(EmiContrat.__table__)).all()
    rows = mois
    cles = [
        (m.af_id, m.annee, m.mois, m.heures, m.etat, m.nb_salaries, m.nb_lignes,
         m.etats_discordants, m.derniere_creation)
        for m in rows
    ]  # fmt: skip
    return (
        cles,
        sorted(tuple(c) for c in contrats),
        (report.rows_read, report.rows_kept, dict(report.skipped), dict(report.anomalies)),
        report.data_date,
    )


def _vider(engine) -> None:
    with engine.begin() as conn:
        for table in (BrsaMensuel, EmiContrat, EtatMensuel, ImportLog):
            conn.execute(delete(table))


@pytest.fixture
def espion(monkeypatch):
    """Counts the files the exact reader had to stage (the fast path declined)."""
    appels = []
    exact = etats._stage_rows

    def stage_rows(*args, **kwargs):
        appels.append(1)
        return exact(*args, **kwargs)

    monkeypatch.setattr(etats, "_stage_rows", stage_rows)
    return appels


def _deux_voies(engine, path, monkeypatch, espion) -> tuple[tuple, bool]:
    """Import with the fast path, then (after emptying) with the exact reader only: the two
    results, and whether the fast path declined."""
    monkeypatch.setattr(etats, "RAPIDE", True)
    rapide = _etat(engine, import_paths(engine, [path]).files[0])
    decline = bool(espion)
    _vider(engine)
    monkeypatch.setattr(etats, "RAPIDE", False)
    exacte = _etat(engine, import_paths(engine, [path]).files[0])
    assert rapide == exacte
    return rapide, decline


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"deb": False, "fin": False},
        {"compression": "gzip"},
        {"columns": [c for c in COLUMNS[EMI] if c != "emi_ctr_id"][::-1]},  # order, no ctr
    ],
)
def test_fast_path_stages_what_the_exact_reader_stages(engine, files, monkeypatch, espion, options):
    lignes = _lignes_variees()
    if "columns" in options:
        lignes = [{k: v for k, v in r.items() if k in options["columns"]} for r in lignes]
    path = write(files, EMI, lignes, **options)
    resultat, decline = _deux_voies(engine, path, monkeypatch, espion)
    assert not decline  # these files are the fast path's job
    cles, _contrats, compte, _date = resultat
    assert compte[0] == 14 and compte[2] == {"état inconnu": 1, "doublon emi_dsm_id": 1}
    heures = {(c[0], c[1], c[2]): c[3] for c in cles}
    janvier = [151.67, 20.5, 0.0005, 0.0015, 151.67, 151.67, 151.67]  # thousandths, rounded
    assert heures[(1000, 2022, 1)] == sum(round(h * 1000) for h in janvier) / 1000
    assert heures[(1000, 2022, 2)] == -3.25


def _ecrire_brut(files, corps: bytes, nom: str = "fluxIAE_EtatMensuelIndiv_01032022_063000.csv"):
    path = files / nom
    path.write_bytes(corps)
    return path


def _brut(lignes: list[dict], **options) -> bytes:
    from etp.fluxiae.writer import render_vue

    return render_vue(EMI, lignes, extract_date=datetime(2022, 3, 1, 6, 30), **options)


@pytest.mark.parametrize(
    "transforme",
    [
        lambda b: b.replace(b"\n", b"\r\n"),  # CRLF
        lambda b: b"\xef\xbb\xbf" + b,  # BOM: fast
        lambda b: b.replace(b"|151.67|", b"|151.|", 1),  # a decimal the fast regex leaves out
        lambda b: b.replace(b"|1000|1|2022|", b"|+1000|1|2022|", 1),  # a signed integer
        lambda b: b.rstrip(b"\n"),  # no newline at the end
        lambda b: b + b"\n\n",  # blank lines after the end
    ],
)
def test_unusual_but_valid_files_give_the_same_result(
    engine, files, monkeypatch, espion, transforme
):
    path = _ecrire_brut(files, transforme(_brut(_lignes_variees())))
    _deux_voies(engine, path, monkeypatch, espion)


def _erreur(engine, path, monkeypatch, rapide: bool) -> str:
    monkeypatch.setattr(etats, "RAPIDE", rapide)
    with pytest.raises(FluxIAEError) as info:
        import_paths(engine, [path])
    with engine.connect() as conn:
        assert conn.execute(select(EtatMensuel)).first() is None  # nothing changed
    return str(info.value)


@pytest.mark.parametrize(
    ("lignes", "transforme", "attendu"),
    [
        ([emi_row(1), emi_row(2, emi_sme_mois=13)], None, ":4: emi_sme_mois"),
        ([emi_row(1), emi_row(2, emi_dsm_id=None)], None, "emi_dsm_id"),
        ([emi_row(1, emi_nb_heures_travail=2_000_000)], None, "emi_nb_heures_travail"),
        ([emi_row(1), emi_row(2)], lambda b: b.replace(b"03/02/2022", b"31/02/2022", 1), "31/02"),
        ([emi_row(1), emi_row(2)], lambda b: b.replace(b"FIN2", b"FIN3"), "FIN"),
        (
            [emi_row(1), emi_row(2)],
            lambda b: b.replace(b"\n", b"\n\n", 3).replace(b"\n\n", b"\n", 2),
            "vide",
        ),
        ([emi_row(1), emi_row(2)], lambda b: b.replace(b"|1000|", b"|1000|x|", 1), "champs"),
        ([emi_row(1), emi_row(2)], lambda b: b.replace(b"VALIDE", b"\xff", 1), "UTF-8"),
    ],
)
def test_refused_files_get_the_exact_readers_message(
    engine, files, monkeypatch, lignes, transforme, attendu
):
    corps = _brut(lignes)
    path = _ecrire_brut(files, transforme(corps) if transforme else corps)
    exacte = _erreur(engine, path, monkeypatch, rapide=False)
    _vider(engine)
    rapide = _erreur(engine, path, monkeypatch, rapide=True)
    assert rapide == exacte
    assert attendu in exacte


def test_a_national_sized_block_boundary(engine, files, monkeypatch, espion):
    """Several blocks (block size made small): line numbers and counts follow across them."""
    from etp.fluxiae import etats_rapide

    monkeypatch.setattr(etats_rapide, "BLOC", 1000)
    lignes = [emi_row(i, emi_sme_mois=1 + i % 12, emi_afi_id=1000 + i % 7) for i in range(1, 400)]
    path = write(files, EMI, lignes, compression="gzip")
    assert len(gzip.decompress(path.read_bytes())) > 20 * 1000
    resultat, decline = _deux_voies(engine, path, monkeypatch, espion)
    assert not decline and resultat[2][:2] == (399, 399)

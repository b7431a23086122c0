"""The EMI import keeps ``etats_annee`` (the months packed for reading) equal to its
``etat_mensuel`` rows, in the import's transaction (etp.etats_annee.rafraichir)."""

from __future__ import annotations

from datetime import datetime

import pytest
from fluxiae_helpers import af_row, emi_row, write
from sqlalchemy import select

from etp import etats_annee
from etp.fluxiae import FluxIAEError, import_paths
from etp.schema import EtatsAnnee

EMI = "EtatMensuelIndiv"


def _lignes(engine) -> list[tuple]:
    with engine.connect() as conn:
        return sorted(tuple(r) for r in conn.execute(select(EtatsAnnee.__table__)))


def _reconstruites(engine) -> list[tuple]:
    """What a whole rebuild from ``etat_mensuel`` gives (rolled back)."""
    with engine.connect() as conn:
        transaction = conn.begin()
        etats_annee.reconstruire(conn)
        lignes = sorted(tuple(r) for r in conn.execute(select(EtatsAnnee.__table__)))
        transaction.rollback()
    return lignes


def _mois(engine, af_id: int, annee: int) -> list[str]:
    return next(r[2] for r in _lignes(engine) if r[:2] == (af_id, annee)).split("|")


def test_imports_successifs(engine, files):
    premier = write(
        files,
        EMI,
        [
            emi_row(1, emi_sme_mois=1),
            emi_row(2, emi_sme_mois=2, emi_esm_etat_code="SAISI"),
            emi_row(3, emi_afi_id=1001, emi_sme_mois=5),
            emi_row(4, emi_sme_annee=2021, emi_sme_mois=12),
        ],
        extract_date=datetime(2022, 3, 1, 6, 30),
    )
    import_paths(engine, [premier])
    assert _lignes(engine) == _reconstruites(engine) and len(_lignes(engine)) == 3
    assert _mois(engine, 1000, 2022)[:3] == ["VALIDE", "SAISI", ""]

    # a later extraction: February validated, March entered; January and AF 1001 untouched
    second = write(
        files,
        EMI,
        [
            emi_row(10, emi_sme_mois=2, emi_esm_etat_code="VALIDE"),
            emi_row(11, emi_sme_mois=3, emi_esm_etat_code="BROUILLON"),
        ],
        extract_date=datetime(2022, 4, 1, 6, 30),
    )
    import_paths(engine, [second])
    assert _lignes(engine) == _reconstruites(engine)
    assert _mois(engine, 1000, 2022)[:4] == ["VALIDE", "VALIDE", "BROUILLON", ""]
    assert _mois(engine, 1001, 2022)[4] == "VALIDE"


def test_un_fichier_refuse_ne_change_rien(engine, files):
    import_paths(engine, [write(files, EMI, [emi_row(1)], extract_date=datetime(2022, 3, 1))])
    avant = _lignes(engine)
    refuse = write(
        files,
        EMI,
        [emi_row(2, emi_sme_mois=4), emi_row(3, emi_sme_mois=13)],
        extract_date=datetime(2022, 5, 1),
    )
    with pytest.raises(FluxIAEError):
        import_paths(engine, [refuse])
    assert _lignes(engine) == avant


def test_un_fichier_d_annexes_seul_ne_touche_pas_les_mois(engine, files):
    import_paths(engine, [write(files, EMI, [emi_row(1)])])
    avant = _lignes(engine)
    import_paths(engine, [write(files, "AnnexeFinanciere", [af_row()])])
    assert _lignes(engine) == avant != []

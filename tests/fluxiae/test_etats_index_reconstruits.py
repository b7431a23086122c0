"""PostgreSQL: a file bringing at least as many employee × contract rows as ``emi_contrat`` keeps
of other months inserts them without the table's indexes and builds them again at the end
(``etats._reconstruire_les_index``): same rows as row-by-row maintenance, indexes back, and a
refused file leaves everything as it was. (The staged path; the direct path's own rebuild is
in test_etats_voie_directe.py.)"""

from __future__ import annotations

from datetime import timedelta

import pytest
from fluxiae_helpers import WHEN, emi_row, write
from sqlalchemy import inspect, select

from etp.fluxiae import FluxIAEError, etats, import_paths
from etp.schema import BrsaMensuel, EmiContrat, EtatMensuel

EMI = "EtatMensuelIndiv"


def _lignes() -> list[dict]:
    return [
        emi_row(1, emi_nb_heures_travail=151.67),
        emi_row(2, emi_pph_id=70001, emi_nb_heures_travail=20.5),
        emi_row(3, emi_pph_id=70001, emi_ctr_id=90002, emi_nb_heures_travail=4.5),  # same contract
        emi_row(4, emi_sme_mois=2, emi_nb_heures_travail=12.0),
        emi_row(4, emi_sme_mois=3, emi_nb_heures_travail=99.0),  # duplicate id: first kept
        emi_row(5, emi_pph_id=None, emi_ctr_id=None),
    ]


def _sans_import(modele) -> list:
    return [c for c in modele.__table__.columns if c.name != "import_id"]


def _contenu(engine) -> tuple:
    with engine.connect() as conn:
        return (
            sorted(tuple(r) for r in conn.execute(select(EmiContrat.__table__))),
            sorted(tuple(r) for r in conn.execute(select(*_sans_import(EtatMensuel)))),
            sorted(tuple(r) for r in conn.execute(select(BrsaMensuel.__table__))),
        )


def _index(engine) -> tuple:
    inspecteur = inspect(engine)
    return (
        inspecteur.get_pk_constraint("emi_contrat")["constrained_columns"],
        sorted(i["name"] for i in inspecteur.get_indexes("emi_contrat")),
    )


def test_rebuilt_indexes_give_the_same_rows(engine, files, monkeypatch):
    monkeypatch.setattr(etats, "DIRECT", False)
    path = write(files, EMI, _lignes())
    avant = _index(engine)
    reconstructions = []
    original = etats.index_reconstruits

    def espion(conn):
        reconstructions.append(conn.dialect.name)
        return original(conn)

    monkeypatch.setattr(etats, "index_reconstruits", espion)
    monkeypatch.setattr(etats, "SEUIL_RECONSTRUCTION", 0)
    import_paths(engine, [path])
    reconstruit = _contenu(engine)
    assert reconstructions == (["postgresql"] if engine.dialect.name == "postgresql" else [])
    assert _index(engine) == avant == (["af_id", "annee", "mois", "pph_id", "ctr_id"],
                                       ["ix_emi_contrat_ctr"])  # fmt: skip
    assert len(reconstruit[0]) == 3  # 70001's two rows summed; no person: not kept

    # the same file with the indexes maintained row by row
    with engine.begin() as conn:
        for table in (BrsaMensuel, EmiContrat, EtatMensuel):
            conn.execute(table.__table__.delete())
    monkeypatch.setattr(etats, "SEUIL_RECONSTRUCTION", 10**12)
    autre = write(files, EMI, _lignes(), extract_date=WHEN + timedelta(days=1))
    import_paths(engine, [autre])
    assert _contenu(engine) == reconstruit


def test_a_refused_file_leaves_the_indexes_and_rows_as_they_were(engine, files, monkeypatch):
    import_paths(engine, [write(files, EMI, _lignes())])
    avant, index = _contenu(engine), _index(engine)
    monkeypatch.setattr(etats, "SEUIL_RECONSTRUCTION", 0)

    def panne(conn, af_mois):
        raise FluxIAEError("fichier.csv", 3, "emi_ctr_id", "refus simulé après l'insertion")

    monkeypatch.setattr(etats.brsa, "recalculer", panne)
    plus_tard = WHEN + timedelta(days=1)
    nouvelles = [emi_row(9, emi_pph_id=80001, emi_ctr_id=90001, emi_nb_heures_travail=7.0)]
    with pytest.raises(FluxIAEError):
        import_paths(engine, [write(files, EMI, _lignes() + nouvelles, extract_date=plus_tard)])
    assert _contenu(engine) == avant
    assert _index(engine) == index

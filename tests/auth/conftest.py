"""Fixtures of the auth tests."""

from __future__ import annotations

from datetime import date

import pytest

from etp import referentiel
from etp.schema import AnnexeFinanciere


@pytest.fixture
def make_af():
    """``make_af(af_id, structure_id, departement) -> AnnexeFinanciere``: a counted 2024 ACI AF."""

    def _af(af_id: int, structure_id: int, dep: str) -> AnnexeFinanciere:
        return AnnexeFinanciere(
            id=af_id,
            id_avenant_modification=af_id * 10,
            numero=f"ACI0{dep}220001",
            numero_avenant_renouvellement=0,
            numero_avenant_modification=0,
            structure_id=structure_id,
            mesure_code="ACI_DC",
            type_structure="ACI",
            milieu_penitentiaire=False,
            etat="VALIDE",
            compte=True,
            date_debut=date(2024, 1, 1),
            date_fin=date(2024, 12, 31),
            annee_debut=2024,
            annee_fin=2024,
            etp_postes_insertion=10.0,
            duree_heure_annuel_etp=1820.0,
            departement_code=dep,
            region_code=referentiel.region_of(dep),
        )

    return _af

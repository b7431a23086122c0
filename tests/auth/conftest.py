"""Fixtures of the auth tests."""

from __future__ import annotations

from datetime import date

import pytest
from builders import annexe_financiere

from etp.schema import AnnexeFinanciere


@pytest.fixture
def make_af():
    """``make_af(af_id, structure_id, departement) -> AnnexeFinanciere``: a counted 2024 ACI AF."""

    def _af(af_id: int, structure_id: int, dep: str) -> AnnexeFinanciere:
        return annexe_financiere(
            af_id,
            numero=f"ACI0{dep}220001",
            structure_id=structure_id,
            debut=date(2024, 1, 1),
            fin=date(2024, 12, 31),
            c=10.0,
            h=1820.0,
            aide=None,
            type_structure="ACI",
            departement=dep,
            numero_avenant_modification=0,
        )

    return _af

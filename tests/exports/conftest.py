"""Known data for the export tests: the three-structure world of ``tests/builders.py`` (without
the 2021 AF) and one account per kind of organisation (``en_tant_que`` is in
tests/conftest.py)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from builders import Donnees
from sqlalchemy import Engine

DATE_DONNEES = datetime(2022, 10, 12, 9, 30)


@pytest.fixture
def donnees(engine: Engine) -> None:
    """1 ``EI Exemple`` (35): the worked example, AF 101; 2 ``Chantier Occitan`` (31):
    C = 41.5, AF 102; 3 ``Atelier Rennais`` (35): C = 6, AF 103. Data date 12/10/2022 09:30."""
    Donnees(engine).trois_structures(af_ids=(101, 102, 103), date_donnees=DATE_DONNEES)


@pytest.fixture
def users(donnees, make_user) -> dict[str, Any]:
    return {
        "siae": make_user("siae@test.fr", "siae", structures=[1]),
        "ddets": make_user("ddets@test.fr", "ddets", departement="35"),
        "dgefp": make_user("dgefp@test.fr", "dgefp"),
        "vide": make_user("personne@test.fr", None),
    }

"""Fixtures of the dashboard callback tests: the three-structure world of ``tests/builders.py``
and one account per kind of organisation (``en_tant_que`` is in tests/conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest
from builders import Donnees
from sqlalchemy import Engine


@pytest.fixture
def monde(engine: Engine) -> Donnees:
    """``Donnees.trois_structures`` with the 2021 AF of ``EI Exemple``; AF ids: worked example
    1000, its 2021 AF 1001, ``Chantier Occitan`` 1002, ``Atelier Rennais`` 1003.
    Data date: 12/10/2022."""
    d = Donnees(engine)
    d.trois_structures(af_ids=(1000, 1002, 1003), af_2021_id=1001)
    return d


@pytest.fixture
def users(monde, make_user) -> dict[str, Any]:
    return {
        "siae": make_user("siae@test.fr", "siae", structures=[1], nom="Directrice EI"),
        "ddets": make_user("ddets@test.fr", "ddets", departement="35"),
        "dreets": make_user("dreets@test.fr", "dreets", region="76"),
        "dgefp": make_user("dgefp@test.fr", "dgefp"),
        "vide": make_user("personne@test.fr", None),
    }


# --- the forged-request count, printed at the end of the run ------------------------------------

_FUZZ: list[tuple[str, Any]] = []


@pytest.fixture
def fuzz_rapport() -> list[tuple[str, Any]]:
    """Where the fuzzing test leaves (backend, counter) once every request has passed."""
    return _FUZZ


def pytest_terminal_summary(terminalreporter) -> None:
    for backend, compteur in _FUZZ:
        statuts = ", ".join(f"{code} : {n}" for code, n in sorted(compteur.statuts.items()))
        terminalreporter.write_line(
            f"Requêtes forgées ({backend}) : {compteur.requetes} envoyées, 0 fuite hors "
            f"périmètre, 0 erreur serveur ; statuts {statuts} ; "
            f"la plus lente {compteur.plus_lent:.2f} s"
        )

"""Fixtures of the funders' tests (``en_tant_que`` is in tests/conftest.py)."""

from __future__ import annotations

import pytest
from donnees_pilotage import ecrire
from sqlalchemy import Engine


@pytest.fixture
def scenario(engine: Engine) -> Engine:
    """The database described in ``donnees_pilotage``; returns its engine."""
    ecrire(engine)
    return engine


@pytest.fixture
def comptes(scenario, make_user) -> dict:
    """One user per kind of organisation, over the scenario's structures and départements."""
    return {
        "ddets": make_user("ddets54@test.fr", "ddets", departement="54"),
        "dreets": make_user("dreets44@test.fr", "dreets", region="44"),
        "siae": make_user("siae101@test.fr", "siae", structures=[101]),
        "dgefp": make_user("dgefp@test.fr", "dgefp"),
        "vide": make_user("personne@test.fr", None),
    }

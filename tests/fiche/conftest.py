"""Fixtures of the structure page's tests: the funders' scenario (tests/pilotage) and accounts.

Structures: 101 Alpha (EI 54, the guide's worked example in 2022, and 2021), 102 Bravo (ACI 54),
103 Charlie (AI 57, 2021 and 2022), 106 Foxtrot (ACI 35). Data date 5 October 2022, so the
page shows 2020, 2021 and 2022.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "pilotage"))

from donnees_pilotage import ecrire


@pytest.fixture
def scenario(engine: Engine) -> Engine:
    ecrire(engine)
    return engine


@pytest.fixture
def comptes(scenario, make_user) -> dict:
    return {
        "ddets": make_user("ddets54@test.fr", "ddets", departement="54", nom="Agent Meurthe"),
        "ddets_collegue": make_user("collegue54@test.fr", "ddets", departement="54"),
        "cd_autre": make_user("cd35@test.fr", "cd", departement="35"),
        "ddets_57": make_user("ddets57@test.fr", "ddets", departement="57"),
        "dreets": make_user("dreets44@test.fr", "dreets", region="44"),
        "siae": make_user("siae101@test.fr", "siae", structures=[101]),
        "dgefp": make_user("dgefp@test.fr", "dgefp"),
        "vide": make_user("personne@test.fr", None),
    }


@pytest.fixture
def connecte(app, login):
    """``connecte(user) -> client`` logged in as ``user`` (a fresh client each time)."""

    def _connecte(user):
        client = app.server.test_client()
        reponse = login(client, user.email)
        assert reponse.status_code == 302
        return client

    return _connecte

"""Fixtures of the bourse tests: the three-structure world with one client per account."""

from __future__ import annotations

import pytest
from builders import Donnees


@pytest.fixture
def monde(app, engine, make_user, login):
    """Data up to October 2022: EI Exemple (AF 1, 35), Chantier Occitan (AF 2, 31), Atelier
    Rennais (AF 3, 35); one client per account."""
    Donnees(engine).trois_structures(af_ids=(1, 2, 3))
    comptes = {
        "siae1": ("siae", {"structures": [1]}),
        "siae3": ("siae", {"structures": [3]}),
        "ddets35": ("ddets", {"departement": "35"}),
        "collegue35": ("ddets", {"departement": "35"}),
        "ddets31": ("ddets", {"departement": "31"}),
    }
    clients = {}
    for nom, (role, kw) in comptes.items():
        make_user(f"{nom}@x.test", role, **kw)
        clients[nom] = app.server.test_client()
        login(clients[nom], f"{nom}@x.test")
    clients["anonyme"] = app.server.test_client()
    return clients

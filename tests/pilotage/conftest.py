"""Fixtures of the funders' tests."""

from __future__ import annotations

import pytest
from donnees_pilotage import ecrire
from sqlalchemy import Engine


@pytest.fixture
def scenario(engine: Engine) -> Engine:
    """The database described in ``donnees_pilotage``; returns its engine."""
    ecrire(engine)
    return engine

"""Fixtures of the aggregation-layer tests: rows written through ``tests/builders.py``."""

from __future__ import annotations

import pytest
from builders import Donnees
from sqlalchemy import Engine


@pytest.fixture
def donnees(engine: Engine) -> Donnees:
    return Donnees(engine)

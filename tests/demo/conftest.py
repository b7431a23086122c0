"""A small demo configuration shared by the demo tests (fast, but with every feature)."""

from __future__ import annotations

from datetime import date

import pytest

from etp.demo.model import DemoConfig, Population, build_population

#: Reference date of the tests: mid-October, so the current year has nine months of EMI data.
TODAY = date(2025, 10, 15)
SMALL = DemoConfig(seed=7, today=TODAY, structures=30)


@pytest.fixture(scope="session")
def small_config() -> DemoConfig:
    return SMALL


@pytest.fixture(scope="session")
def small_population() -> Population:
    return build_population(SMALL)

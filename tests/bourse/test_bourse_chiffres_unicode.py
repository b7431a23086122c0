"""Numbers typed or forged with non-ASCII digits (« ² », « ³ ») are ignored, not a 500:
``str.isdigit`` accepts them and ``int`` refuses them (found by the forged-request fuzz)."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize(
    "query", ["annee=²⁰²²", "annee=2022&page=²", "annee=2022&page=³&af=¹", "annee=2022&af=²"]
)
def test_simulation_ignores_superscript_digits(monde, query):
    response = monde["ddets35"].get(f"/bourse/simulation?{query}")
    assert response.status_code == 200
    assert "Simulation" in response.text


def test_simulation_still_reads_ascii_pages(monde):
    assert monde["ddets35"].get("/bourse/simulation?annee=2022&page=1").status_code == 200

"""Select values forged as JSON lists or objects (a hand-built Dash request can send any JSON)
are refused like any value out of the options: no server error, nothing served."""

from __future__ import annotations

import pytest

from callbacks import filters
from etp.scope import Scope


@pytest.mark.parametrize("cle", ["region", "departement", "type", "structure", "af"])
@pytest.mark.parametrize("valeur", [["76"], {"$ne": ""}, ["EI035220001", "ACI031220002"]])
def test_list_or_object_filter_values_are_refused(monde, engine, cle, valeur):
    resolution = filters.resoudre(engine, Scope.everything(), {"annee": 2022, cle: valeur})
    assert cle not in resolution.etat
    assert cle in resolution.refuses
    assert resolution.etat["annee"] == 2022


@pytest.mark.parametrize("valeur", [["2022"], {"a": 1}, 2022.5])
def test_odd_year_values_fall_back_to_an_offered_year(monde, engine, valeur):
    resolution = filters.resoudre(engine, Scope.of_departements(["35"]), {"annee": valeur})
    assert resolution.etat["annee"] == 2022

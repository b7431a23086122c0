"""Display helpers of the screens: signed percentages of gaps and French agreement of counts."""

from __future__ import annotations

import math

import pytest

from layouts.components import nb_annexes
from layouts.tables import FORMATS_NOMBRES, fmt_pct_signe

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("valeur", "attendu"),
    [
        (0.12, "+12" + NBSP + "%"),
        (-0.3869, "-39" + NBSP + "%"),
        (1.5, "+150" + NBSP + "%"),
        (0.0, "0" + NBSP + "%"),
        (0.004, "0" + NBSP + "%"),  # rounds to 0: no "+0 %" that reads as an overrun
        (-0.004, "0" + NBSP + "%"),  # nor a "-0 %"
        (None, "–"),
        (math.nan, "–"),
    ],
)
def test_ecart_en_pourcentage_signe(valeur, attendu):
    assert fmt_pct_signe(valeur) == attendu


def test_les_tableaux_signent_les_ecarts_mais_pas_les_taux():
    assert FORMATS_NOMBRES["ecart_pct"](0.12) == "+12" + NBSP + "%"
    assert FORMATS_NOMBRES["pct"](0.12) == "12" + NBSP + "%"


@pytest.mark.parametrize(
    ("n", "attendu"),
    [(0, "0 annexe"), (1, "1 annexe"), (2, "2 annexes"), (1234, "1" + "\u202f" + "234 annexes")],
)
def test_accord_du_nombre_d_annexes(n, attendu):
    assert nb_annexes(n) == attendu

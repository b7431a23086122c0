"""Display helpers of the screens: signed percentages of gaps and French agreement of counts."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from layouts.components import SANS_PERIMETRE, invite_annee, nb_annexes
from layouts.figures import axe_pourcentages, figure_mensuelle
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


def test_axe_des_taux_en_pourcentages_francais():
    axe = axe_pourcentages([1.21, None, 0.8])
    assert axe["tickvals"] == [0.0, 0.25, 0.5, 0.75, 1.0, 1.25]  # up to just above 121 %
    assert axe["ticktext"][-1] == "125" + NBSP + "%"
    assert axe_pourcentages([None])["tickvals"][-1] == 1.0  # at least 100 %
    large = axe_pourcentages([4.1])["tickvals"]
    assert len(large) <= 9 and large[-1] >= 4.1


def test_survol_des_taux_en_pourcentages_francais():
    fig = figure_mensuelle(
        pd.DataFrame(
            {
                "mois": [1, 2],
                "etp_mensuel_conventionne": [10.0, 10.0],
                "etp_mensuel_realise": [11.2, math.nan],
                "taux_realisation_mensuel": [1.12, math.nan],
                "etp_mensuel_conventionne_non_valide": [0.0, 10.0],
                "a_venir": [False, False],
                "etat": ["Validé", "Saisi"],
                "nb_af_conventionnees": [1, 1],
                "nb_af_valides": [1, 0],
                "etp_mensuel_conventionne_valide": [10.0, 0.0],
            }
        ),
        2026,
    )
    figure = fig.to_plotly_json()
    taux = next(t for t in figure["data"] if t["name"] == "Taux de réalisation")
    assert list(taux["customdata"]) == ["112" + NBSP + "% (Annexe validée)", ""]
    assert figure["layout"]["yaxis2"]["ticktext"][-1] == "125" + NBSP + "%"


def test_invite_a_choisir_une_annee_ou_explique_l_absence_de_perimetre():
    def texte(alerte) -> str:
        return " ".join(str(c.children) for c in alerte.children)

    assert "Choisissez une année" in texte(invite_annee("le détail", perimetre_vide=False))
    sans = texte(invite_annee("le détail", perimetre_vide=True))
    assert "aucune organisation" in sans and "Choisissez" not in sans
    assert "administrateur" in SANS_PERIMETRE

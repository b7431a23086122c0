"""The co-financing tab's per-AF tables send at most ``MAX_LIGNES_ECRAN`` rows to the browser
(thousands at national scope weighed megabytes) and say so; under the cap, every row."""

from __future__ import annotations

import json

import pandas as pd
import plotly

from layouts import cofinancement as vue


def _frame(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "numero_annexe_financiere": [f"ACI035{i:06d}" for i in range(n)],
            "structure_denomination": [f"Structure {i}" for i in range(n)],
            "departement_libelle": ["35 - Ille-et-Vilaine"] * n,
            "financeur": ["CD ILLE ET VILAINE"] * n,
            "montant_cd": [1000.0 + i for i in range(n)],
        }
    )


def _table(composant):
    if getattr(composant, "data", None) is not None:
        return composant, None
    note, table = composant.children
    return table, note.children


def test_small_table_keeps_every_row_without_note():
    table, note = _table(vue.table_bornee("t", vue.COLONNES_SOUS_CIBLE, _frame(12)))
    assert note is None and len(table.data) == 12


def test_national_table_is_cut_and_says_so():
    n = vue.MAX_LIGNES_ECRAN * 20 + 7
    composant = vue.table_bornee("t", vue.COLONNES_SOUS_CIBLE, _frame(n))
    table, note = _table(composant)
    assert len(table.data) == vue.MAX_LIGNES_ECRAN
    assert table.data[0]["numero_annexe_financiere"] == "ACI035000000"
    assert f"Les {vue.MAX_LIGNES_ECRAN} premières annexes sur {n} sont affichées" in note
    taille = len(json.dumps(composant, cls=plotly.utils.PlotlyJSONEncoder))
    assert taille < 150_000, taille

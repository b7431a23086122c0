"""A detail table's order (callbacks.tables.ordre_de_tri) is the order of the whole frame
sorted key by key, though only the sorted columns are reordered on the way."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from callbacks import tables
from etp.collation import cle_fr
from layouts.tables import Colonne

COLONNES = [
    Colonne("structure", "Structure", "structure"),
    Colonne("etp", "ETP", "etp"),
    Colonne("mois", "Mois", "int"),
]
NOMS = ["Élan", "elan", "Zèbre", "Île", "Abri", "œuvre", None]


def _cadre(lignes: list[tuple]) -> pd.DataFrame:
    df = pd.DataFrame(lignes, columns=["structure", "etp", "mois"])
    df["structure"] = df["structure"].astype("string")
    df["autre"] = range(len(df))  # a column nobody sorts
    return df.set_axis([f"r{i}" for i in range(len(df))])  # an index that is not positions


def _tri_complet(df: pd.DataFrame, tris: list[dict]) -> list[int]:
    """The reference: the whole frame sorted, last key first, stable, missing values last, the
    text as shown (formatted) in French order."""
    vue = df.assign(_pos=range(len(df)))
    for tri in reversed(tris):
        key = tri["column_id"]
        cle = None
        if key == "structure":
            fmt = tables.formateur(COLONNES[0], 2022)
            textes = sorted({fmt(v) for v in df[key]}, key=cle_fr)
            rang = {t: i for i, t in enumerate(textes)}
            cle = lambda s, fmt=fmt, rang=rang: s.map(lambda x: rang[fmt(x)])  # noqa: E731
        vue = vue.sort_values(
            key, ascending=tri.get("direction") != "desc", kind="stable",
            na_position="last", key=cle,
        )  # fmt: skip
    return vue["_pos"].tolist()


LIGNE = st.tuples(
    st.sampled_from(NOMS),
    st.one_of(st.none(), st.floats(-5, 5, allow_nan=False)),
    st.integers(1, 12),
)
TRI = st.fixed_dictionaries(
    {"column_id": st.sampled_from(["structure", "etp", "mois", "inconnue"])},
    optional={"direction": st.sampled_from(["asc", "desc"])},
)


@settings(max_examples=150, deadline=None)
@given(st.lists(LIGNE, max_size=30), st.lists(TRI, max_size=3))
def test_l_ordre_est_celui_du_cadre_trie_en_entier(lignes, tris):
    df = _cadre(lignes)
    connus = [t for t in tris if t["column_id"] != "inconnue"]
    ordre = tables.ordre_de_tri(df, COLONNES, 2022, tris)
    assert ordre.dtype == np.int32
    assert ordre.tolist() == _tri_complet(df, connus)
    pd.testing.assert_frame_equal(
        tables.filtrer_trier(df, COLONNES, 2022, "", tris), df.iloc[ordre]
    )


def test_sans_tri_l_ordre_est_celui_des_lignes():
    df = _cadre([("Abri", 1.0, 1), ("Zèbre", 2.0, 2)])
    assert tables.ordre_de_tri(df, COLONNES, 2022, None).tolist() == [0, 1]
    assert tables.ordre_de_tri(df, COLONNES, 2022, [{"column_id": "autre"}]).tolist() == [0, 1]


def test_le_francais_d_abord_par_lettres_puis_par_accents():
    df = _cadre([("Zèbre", 1.0, 1), ("Île", 1.0, 1), ("Abri", 1.0, 1), (None, 1.0, 1)])
    ordre = tables.ordre_de_tri(df, COLONNES, 2022, [{"column_id": "structure"}])
    noms = df["structure"].iloc[ordre].tolist()
    assert [n for n in noms if not pd.isna(n)] == ["Abri", "Île", "Zèbre"]


@pytest.mark.parametrize("direction", ["asc", "desc"])
def test_les_manquants_en_dernier_dans_les_deux_sens(direction):
    df = _cadre([("A", None, 1), ("B", 2.0, 1), ("C", 1.0, 1)])
    ordre = tables.ordre_de_tri(df, COLONNES, 2022, [{"column_id": "etp", "direction": direction}])
    assert ordre[-1] == 0

"""Structures à suivre: the AFs ranked by their projected year-end gap.

The ranking key is the absolute projected gap in ETP (projection − annual conventioned): the
largest stakes first, over- and under-consumers mixed, the sign shown beside it. (With the
linear projection that gap is ``(monthly average − C) × d / 12``, so its sign is the status's.)
``tri="euros"`` ranks by the absolute gap in euros instead, which weighs an ACI post (≈ 22 k€)
above an AI post (≈ 1,5 k€). AFs without any validated month come last.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

import pandas as pd

from etp.pilotage import colonnes as col
from etp.pilotage.synthese import enrichir

COLONNES_SUIVI: tuple[str, ...] = (
    *col.IDENTITE_AF,
    "statut",
    col.C,
    col.MOYEN,
    col.ECART_MENSUEL,
    col.ECART_PCT,
    col.ANNUEL_CONV,
    col.MONTANT_CONV,
    col.ANNUEL_REAL,
    col.PROJECTION,
    "taux_projection",
    col.MONTANT_PROJ,
    "ecart_projection_etp",
    "ecart_projection_euros",
    col.NB_MOIS_CONV,
    col.NB_MOIS_VALIDES,
    col.DERNIER_MOIS_VALIDE,
    "mois_en_retard",
    "alerte_retard",
)


def structures_a_suivre(
    annuel: pd.DataFrame,
    retards: pd.DataFrame,
    *,
    statuts: Iterable[str] | None = None,
    types: Iterable[str] | None = None,
    departements: Iterable[str] | None = None,
    tri: Literal["etp", "euros"] = "etp",
) -> pd.DataFrame:
    """AFs ranked by |projected gap| with status, average vs conventioned, projection (ETP, %,
    euros), validated months and the lateness warning (``retards`` from
    :func:`etp.pilotage.remplissage.retards`). Optional filters keep the listed values only."""
    df = enrichir(annuel)
    df["taux_projection"] = df[col.PROJECTION] / df[col.ANNUEL_CONV].where(df[col.ANNUEL_CONV] != 0)
    df.loc[~df["projection_disponible"], [col.PROJECTION, "taux_projection", col.MONTANT_PROJ]] = (
        float("nan")
    )
    r = retards.set_index(col.ID) if not retards.empty else None
    df["mois_en_retard"] = (
        df[col.ID].map(r["mois_en_retard"]).fillna(0).astype(int) if r is not None else 0
    )
    df["alerte_retard"] = (
        df[col.ID].map(r["alerte_retard"]).fillna(False).astype(bool) if r is not None else False
    )
    if statuts:
        df = df[df["statut"].isin(list(statuts))]
    if types:
        df = df[df[col.TYPE].isin(list(types))]
    if departements:
        df = df[df[col.DEPARTEMENT].isin(list(departements))]
    cle = "ecart_projection_etp" if tri == "etp" else "ecart_projection_euros"
    df = df.assign(_sans=~df["projection_disponible"], _cle=-df[cle].abs())
    df = df.sort_values(["_sans", "_cle", col.NUMERO], kind="mergesort")
    colonnes = [c for c in COLONNES_SUIVI if c in df.columns]
    return df[colonnes].reset_index(drop=True)

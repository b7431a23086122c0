"""AFs shorter than 12 months in the year: the gap between the monthly "voilure" and the
annual envelope the money follows (domain.md §4: 28 ETP over 10 months are 23,33 annual ETP).

Per AF the difference is ``C − C × d / 12`` ETP and that × the aid per ETP in euros; its weight
is the sum of those differences over the annual conventioned envelope of the whole selection
(every AF, short or not).
"""

from __future__ import annotations

import pandas as pd

from etp.pilotage import colonnes as col

COLONNES_COURTES: tuple[str, ...] = (
    *col.IDENTITE_AF,
    col.NB_MOIS_CONV,
    col.C,
    col.ANNUEL_CONV,
    "difference_etp",
    col.AIDE,
    "difference_euros",
)


def afs_courtes(annuel: pd.DataFrame) -> pd.DataFrame:
    """The AFs with fewer than 12 conventioned months in the year, largest difference first."""
    df = annuel[annuel[col.NB_MOIS_CONV] < 12].copy()
    c = df[col.C].astype(float)
    df["difference_etp"] = c - c * df[col.NB_MOIS_CONV] / 12
    df["difference_euros"] = df["difference_etp"] * df[col.AIDE].astype(float)
    df = df.sort_values(["difference_euros", col.NUMERO], ascending=[False, True])
    return df[[c for c in COLONNES_COURTES if c in df.columns]].reset_index(drop=True)


def poids_afs_courtes(annuel: pd.DataFrame) -> dict[str, float | int]:
    """Totals of the short-AF effect: count, monthly conventioned, annual conventioned, the
    difference in ETP and euros, and its weight in the envelope (ETP and euros; NaN when the
    envelope is 0)."""
    courtes = afs_courtes(annuel)
    enveloppe_etp = float(annuel[col.ANNUEL_CONV].sum())
    enveloppe_euros = float(annuel[col.MONTANT_CONV].sum())
    diff_etp = float(courtes["difference_etp"].sum())
    diff_euros = float(courtes["difference_euros"].sum())
    return {
        "nb_af": len(annuel),
        "nb_af_courtes": len(courtes),
        "etp_mensuel_conventionne_courtes": float(courtes[col.C].sum()),
        "etp_annuel_conventionne_courtes": float(courtes[col.ANNUEL_CONV].sum()),
        "difference_etp": diff_etp,
        "difference_euros": diff_euros,
        "enveloppe_etp": enveloppe_etp,
        "enveloppe_euros": enveloppe_euros,
        "poids_etp": diff_etp / enveloppe_etp if enveloppe_etp else float("nan"),
        "poids_euros": diff_euros / enveloppe_euros if enveloppe_euros else float("nan"),
    }

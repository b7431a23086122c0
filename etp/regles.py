"""The two rules every figure shares, written once: the as-of cut-off and the ratio of sums.

- **As-of cut-off** (domain.md §4): months after the as-of month (year, month) never count as
  validated, whatever their stored state; a year that is over counts all its months, a year
  that has not started counts none. The per-AF reference (:mod:`etp.indicators`), the array
  version (:mod:`etp.indicators_tableau`) and every selection figure (:mod:`etp.selection`,
  :mod:`etp.pilotage`) read it from here.
- **Ratio**: a rate over several AFs is a ratio of sums, never a mean of rates; missing (not 0,
  not infinite) when the denominator is 0 or missing.
"""

from __future__ import annotations

import math
from typing import overload

import numpy as np
import pandas as pd

AsOf = tuple[int, int]

#: An AF is flagged late from this many conventioned months after its last validated one.
RETARD_ALERTE = 2
#: The seasonal projection is shown per AF when it differs from the linear one by more than this.
SEUIL_ECART_METHODES = 0.05


def dernier_mois_compte(annee: int, as_of: AsOf | None) -> int:
    """The last month of ``annee`` that may count as validated: 0 = none, 12 = all.

    ``as_of=None`` counts every month (no cut-off)."""
    if as_of is None:
        return 12
    annee_as_of, mois_as_of = int(as_of[0]), int(as_of[1])
    if annee_as_of > annee:
        return 12
    if annee_as_of < annee:
        return 0
    return mois_as_of


def mois_reference(annee: int, as_of: AsOf | None) -> int:
    """The as-of month seen from ``annee`` for lateness: 13 when the year is over (every month
    is past), 0 when it has not started, else the as-of month itself (still in progress)."""
    limite = dernier_mois_compte(annee, as_of)
    return 13 if limite == 12 and (as_of is None or int(as_of[0]) > annee) else limite


def lire_as_of(valeur: object) -> AsOf | None:
    """``"2022-10"`` (the ``as_of`` column of ``etp.queries``) or ``(2022, 10)`` -> a tuple."""
    if valeur is None or valeur is pd.NA or (isinstance(valeur, float) and math.isnan(valeur)):
        return None
    if isinstance(valeur, tuple | list):
        return (int(valeur[0]), int(valeur[1]))
    annee, mois = str(valeur).split("-")[:2]
    return (int(annee), int(mois))


def as_of_du_cadre(frame: pd.DataFrame) -> AsOf | None:
    """The as-of month carried by an ``etp.queries`` frame (``None`` for an empty frame)."""
    if frame.empty or "as_of" not in frame:
        return None
    valeurs = frame["as_of"].dropna()
    return None if valeurs.empty else lire_as_of(valeurs.iloc[0])


def as_of_texte(as_of: AsOf | None) -> str | None:
    """``(2022, 10)`` -> ``"2022-10"``."""
    return f"{int(as_of[0]):04d}-{int(as_of[1]):02d}" if as_of else None


@overload
def ratio(numerateur: pd.Series, denominateur: pd.Series) -> pd.Series: ...
@overload
def ratio(numerateur: float | None, denominateur: float | None) -> float | None: ...


def ratio(numerateur, denominateur):  # type: ignore[no-untyped-def]
    """``numerateur / denominateur``; for Series, NaN where the denominator is 0 or missing;
    for numbers, ``None`` when either is missing or the denominator is 0."""
    if isinstance(numerateur, pd.Series) or isinstance(denominateur, pd.Series):
        num = _flottants(numerateur)
        den = _flottants(denominateur)
        return num / den.where(den != 0) if isinstance(den, pd.Series) else num / (den or np.nan)
    if _manque(numerateur) or _manque(denominateur) or not denominateur:
        return None
    return float(numerateur) / float(denominateur)


def _flottants(x: object) -> pd.Series | float:
    if isinstance(x, pd.Series):
        return x.astype("float64")
    return np.nan if _manque(x) else float(x)  # type: ignore[arg-type]


def _manque(x: object) -> bool:
    return x is None or x is pd.NA or (isinstance(x, float | np.floating) and math.isnan(x))

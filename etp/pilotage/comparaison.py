"""Year N−1 at the same date: "is this a lot or not?".

This year's consumption as of its as-of month beside last year's as of the same month (the frame
of ``indicateurs_annuels`` for ``annee − 1`` with ``as_of = (annee − 1, same month)``), matched
by AF number (kept across yearly renewals; several AF ids of one number in a year are summed).
Rates divide the realised ETP so far by the year's annual conventioned ETP, for both years.
"""

from __future__ import annotations

import pandas as pd

from etp.pilotage import colonnes as col

_SOMMES = (
    col.ANNUEL_CONV,
    col.ANNUEL_REAL,
    col.MONTANT_CONV,
    col.MONTANT_REAL,
    col.NB_MOIS_VALIDES,
)
_LIBELLES = (col.STRUCTURE_ID, col.STRUCTURE, col.TYPE, col.DEPARTEMENT, col.DEPARTEMENT_LIBELLE)


def _par_numero(annuel: pd.DataFrame) -> pd.DataFrame:
    libelles = [c for c in _LIBELLES if c in annuel.columns]
    agg = {c: "sum" for c in _SOMMES} | {c: "first" for c in libelles}
    return annuel.groupby(col.NUMERO, sort=True).agg(agg)


def comparaison_n1(annuel: pd.DataFrame, annuel_precedent: pd.DataFrame) -> pd.DataFrame:
    """Per AF number of this year: conventioned, realised so far (ETP, euros), rate and
    validated months for N and N−1, and the evolution of the realised ETP."""
    n = _par_numero(annuel)
    p = _par_numero(annuel_precedent)[list(_SOMMES)].add_suffix("_n1")
    out = n.join(p, how="left")
    out["presente_n1"] = out.index.isin(p.index)
    out["taux_realisation"] = _ratio(out[col.ANNUEL_REAL], out[col.ANNUEL_CONV])
    out["taux_realisation_n1"] = _ratio(out[f"{col.ANNUEL_REAL}_n1"], out[f"{col.ANNUEL_CONV}_n1"])
    out["evolution_realise_etp"] = out[col.ANNUEL_REAL] - out[f"{col.ANNUEL_REAL}_n1"]
    precedent = out[f"{col.ANNUEL_REAL}_n1"]
    out["evolution_realise_pct"] = _ratio(out["evolution_realise_etp"], precedent)
    return out.reset_index()


def comparaison_n1_totaux(annuel: pd.DataFrame, annuel_precedent: pd.DataFrame) -> dict[str, float]:
    """Both years' totals over their whole selection (an AF that stopped still counts in N−1)."""
    tot: dict[str, float] = {}
    for suffixe, df in (("", annuel), ("_n1", annuel_precedent)):
        for c in _SOMMES:
            tot[f"{c}{suffixe}"] = float(df[c].sum()) if not df.empty else 0.0
        tot[f"nb_af{suffixe}"] = float(df[col.NUMERO].nunique()) if not df.empty else 0.0
        conv, real = tot[f"{col.ANNUEL_CONV}{suffixe}"], tot[f"{col.ANNUEL_REAL}{suffixe}"]
        tot[f"taux_realisation{suffixe}"] = real / conv if conv else float("nan")
    tot["evolution_realise_etp"] = tot[col.ANNUEL_REAL] - tot[f"{col.ANNUEL_REAL}_n1"]
    prec = tot[f"{col.ANNUEL_REAL}_n1"]
    tot["evolution_realise_pct"] = tot["evolution_realise_etp"] / prec if prec else float("nan")
    return tot


def _ratio(num: pd.Series, den: pd.Series) -> pd.Series:
    den = den.astype(float)
    return num.astype(float) / den.where(den != 0)

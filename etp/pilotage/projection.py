"""The seasonal method, shown beside the one "Projection fin d'année" under its own name.

The "Projection fin d'année" of a selection is :func:`etp.selection.projection_fin_annee`
(per AF: realised so far + monthly average × conventioned months not yet validated / 12; an AF
without any validated month at its envelope). The **projection saisonnière** is another
estimate, for the AFs whose number existed last year: this year's pace is last year's monthly
profile scaled by how this year compares with last year over the same months. With ``V`` this
year's validated conventioned months, ``R`` its other conventioned months and ``p(m)`` last
year's realised monthly ETP of that AF number (summed over its AF ids):
``k = Σ_V realised(m, N) / Σ_V p(m)`` and ``projection = Σ_V realised(m, N) / 12 + k × Σ_R p(m)
/ 12``. It needs ``p(m)`` for every month of ``V`` and ``R`` (last year's month conventioned and
validated) and ``Σ_V p > 0``; otherwise it is not computed and the reason is given.

An AF is flagged when the two differ by more than ``SEUIL_ECART_METHODES`` (5 %). The seasonal
total is never added to, nor shown as, the "Projection fin d'année".
"""

from __future__ import annotations

import math

import pandas as pd

from etp.aggregation import projection_retenue
from etp.pilotage import colonnes as col
from etp.regles import SEUIL_ECART_METHODES, ratio

COLONNES_PROJECTION: tuple[str, ...] = (
    *col.IDENTITE_AF,
    col.ANNUEL_CONV,
    col.ANNUEL_REAL,
    col.NB_MOIS_VALIDES,
    "projection_disponible",
    col.PROJECTION,
    "projection_fin_annee_etp",
    "projection_saisonniere_etp",
    "coefficient_saisonnier",
    "motif_sans_saisonniere",
    "ecart_methodes",
    "methodes_divergent",
    "taux_projection",
    "taux_projection_saisonniere",
    col.AIDE,
    "montant_projete",
    "montant_projete_saisonnier",
)

SANS_MOIS_VALIDE = "aucun mois validé cette année"
SANS_HISTORIQUE = "pas d'annexe de même numéro l'an dernier"
PROFIL_INCOMPLET = "mois de l'an dernier non validés ou non conventionnés"
PROFIL_NUL = "aucun ETP réalisé l'an dernier sur les mêmes mois"


def projection_saisonniere_af(
    realises: dict[int, float], restants: list[int], profil: dict[int, float] | None
) -> tuple[float | None, float | None, str | None]:
    """One AF: ``(projection, k, reason it is missing)``. ``realises`` maps this year's validated
    conventioned months to their realised ETP, ``restants`` lists its other conventioned months."""
    if not realises:
        return None, None, SANS_MOIS_VALIDE
    if not profil:
        return None, None, SANS_HISTORIQUE
    if any(m not in profil for m in [*realises, *restants]):
        return None, None, PROFIL_INCOMPLET
    base = sum(profil[m] for m in realises)
    if base <= 0:
        return None, None, PROFIL_NUL
    fait = sum(realises.values())
    k = fait / base
    return fait / 12 + k * sum(profil[m] for m in restants) / 12, k, None


def projections(
    annuel: pd.DataFrame, mensuel: pd.DataFrame, profils: dict[str, dict[int, float]]
) -> pd.DataFrame:
    """Per AF of the year: its part of the "Projection fin d'année" (``projection_fin_annee_etp``,
    the envelope when no month is validated), the seasonal projection (ETP, rate, euros), its
    coefficient, why it is missing, and whether the two differ by more than 5 %."""
    prof = profils  # last year's realised ETP per AF number and month (Selection.realises_n1)
    conv = mensuel.loc[mensuel[col.CONVENTIONNE].astype(bool), [col.ID, col.MOIS, col.REALISE]]
    # One pass over the columns (a pandas group per AF cost ~0.5 ms each: seconds at national
    # scale); one row per AF × month, so a month is either realised or remaining.
    par_af: dict[object, tuple[dict[int, float], list[int]]] = {}
    valide = conv[col.REALISE].notna().tolist()
    for af_id, mois, realise, est_valide in zip(
        conv[col.ID].tolist(),
        conv[col.MOIS].tolist(),
        conv[col.REALISE].tolist(),
        valide,
        strict=True,
    ):
        realises, restants = par_af.setdefault(af_id, ({}, []))
        if est_valide:
            realises[int(mois)] = float(realise)
        else:
            restants.append(int(mois))
    for realises, restants in par_af.values():
        restants[:] = sorted(m for m in restants if m not in realises)
    df = annuel.copy()
    if df.empty:
        return pd.DataFrame(columns=list(COLONNES_PROJECTION))
    disponible, retenue = projection_retenue(df)
    df["projection_disponible"] = disponible
    df["projection_fin_annee_etp"] = retenue
    saison, coef, motif = [], [], []
    for af_id, numero in zip(df[col.ID], df[col.NUMERO], strict=True):
        realises, restants = par_af.get(af_id, ({}, []))
        p, k, m = projection_saisonniere_af(realises, restants, prof.get(str(numero)))
        saison.append(math.nan if p is None else p)
        coef.append(math.nan if k is None else k)
        motif.append(m)
    df["projection_saisonniere_etp"] = saison
    df["coefficient_saisonnier"] = coef
    df["motif_sans_saisonniere"] = motif
    lineaire = df[col.PROJECTION].astype("float64").where(disponible)
    df["ecart_methodes"] = ratio(df["projection_saisonniere_etp"] - lineaire, lineaire)
    df["methodes_divergent"] = df["ecart_methodes"].abs() > SEUIL_ECART_METHODES
    df["taux_projection"] = ratio(retenue, df[col.ANNUEL_CONV])
    df["taux_projection_saisonniere"] = ratio(df["projection_saisonniere_etp"], df[col.ANNUEL_CONV])
    aide = df[col.AIDE].astype("float64")
    df["montant_projete"] = retenue * aide
    df["montant_projete_saisonnier"] = df["projection_saisonniere_etp"] * aide
    return df[[c for c in COLONNES_PROJECTION if c in df.columns]].reset_index(drop=True)


def projections_totales(par_af: pd.DataFrame) -> dict[str, float | int]:
    """Totals of :func:`projections`: the "Projection fin d'année" (ETP, euros; the same number
    as :func:`etp.selection.projection_fin_annee`), the seasonal total over the AFs that have
    one with the "Projection fin d'année" of those same AFs (to compare like with like), and
    counts."""
    avec = par_af[par_af["projection_saisonniere_etp"].notna()]
    memes = float(avec["projection_fin_annee_etp"].sum())
    sais = float(avec["projection_saisonniere_etp"].sum())
    disponible = par_af["projection_disponible"].astype(bool)
    return {
        "nb_af": len(par_af),
        "nb_af_sans_mois_valide": int((~disponible).sum()),
        "etp_sans_mois_valide": float(par_af.loc[~disponible, col.ANNUEL_CONV].sum()),
        "nb_af_saisonnieres": len(avec),
        "nb_af_divergentes": int(par_af["methodes_divergent"].astype(bool).sum()),
        "enveloppe_etp": float(par_af[col.ANNUEL_CONV].sum()),
        "projection_etp_annuel": float(par_af["projection_fin_annee_etp"].sum()),
        "projection_montant": float(par_af["montant_projete"].sum()),
        "projection_saisonniere_etp": sais,
        "projection_saisonniere_euros": float(avec["montant_projete_saisonnier"].sum()),
        "projection_memes_af_etp": memes,
        "ecart_methodes": (sais - memes) / memes if memes else float("nan"),
    }

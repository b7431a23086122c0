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

from collections.abc import Mapping

import numpy as np
import pandas as pd

from etp.aggregation import RealisesParNumero, en_realises, projection_retenue
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


def projections(
    annuel: pd.DataFrame, mensuel: pd.DataFrame, profils: Mapping[str, Mapping[int, float]]
) -> pd.DataFrame:
    """Per AF of the year: its part of the "Projection fin d'année" (``projection_fin_annee_etp``,
    the envelope when no month is validated), the seasonal projection (ETP, rate, euros), its
    coefficient, why it is missing, and whether the two differ by more than 5 %."""
    df = annuel.copy()
    if df.empty:
        return pd.DataFrame(columns=list(COLONNES_PROJECTION))
    disponible, retenue = projection_retenue(df)
    df["projection_disponible"] = disponible
    df["projection_fin_annee_etp"] = retenue
    # Per AF × month arrays (a Python loop over the national frame's 58,000 rows cost ~50 ms);
    # each sum runs month by month in order (cumsum).
    realise, conventionne = matrices_af(df, mensuel)
    valides = conventionne & ~np.isnan(realise)
    restants = conventionne & ~valides
    # last year's realised ETP per month of each AF's number (Selection.realises_n1)
    connus = profils if isinstance(profils, RealisesParNumero) else en_realises(profils)
    profil, avec_profil = connus.lignes(df[col.NUMERO].astype(str).tolist())
    incomplet = ((valides | restants) & np.isnan(profil)).any(axis=1)
    base = np.cumsum(np.where(valides, profil, 0.0), axis=1)[:, -1]
    fait = np.cumsum(np.where(valides, realise, 0.0), axis=1)[:, -1]
    reste = np.cumsum(np.where(restants, profil, 0.0), axis=1)[:, -1]
    a_valide = valides.any(axis=1)
    motif = np.select(
        [~a_valide, ~avec_profil, incomplet, ~(base > 0)],
        [SANS_MOIS_VALIDE, SANS_HISTORIQUE, PROFIL_INCOMPLET, PROFIL_NUL],
        default="",
    )
    calcule = motif == ""
    with np.errstate(invalid="ignore", divide="ignore"):
        k = np.where(calcule, fait / np.where(calcule, base, 1.0), np.nan)
        saison = np.where(calcule, fait / 12 + k * reste / 12, np.nan)
    df["projection_saisonniere_etp"] = saison
    df["coefficient_saisonnier"] = k
    df["motif_sans_saisonniere"] = [m or None for m in motif.tolist()]
    lineaire = df[col.PROJECTION].astype("float64").where(disponible)
    df["ecart_methodes"] = ratio(df["projection_saisonniere_etp"] - lineaire, lineaire)
    df["methodes_divergent"] = df["ecart_methodes"].abs() > SEUIL_ECART_METHODES
    df["taux_projection"] = ratio(retenue, df[col.ANNUEL_CONV])
    df["taux_projection_saisonniere"] = ratio(df["projection_saisonniere_etp"], df[col.ANNUEL_CONV])
    aide = df[col.AIDE].astype("float64")
    df["montant_projete"] = retenue * aide
    df["montant_projete_saisonnier"] = df["projection_saisonniere_etp"] * aide
    return df[[c for c in COLONNES_PROJECTION if c in df.columns]].reset_index(drop=True)


def matrices_af(annuel: pd.DataFrame, mensuel: pd.DataFrame) -> tuple[np.ndarray, np.ndarray]:
    """The monthly frame as two ``(AFs of annuel, 12)`` arrays in ``annuel``'s row order:
    realised ETP (NaN unless validated) and conventioned or not. Rows of AFs that ``annuel``
    does not hold are left out."""
    n = len(annuel)
    realise = np.full((n, 12), np.nan)
    conventionne = np.zeros((n, 12), dtype=bool)
    ids = annuel[col.ID].to_numpy(dtype=np.int64)
    if not n or mensuel.empty:
        return realise, conventionne
    ordre = np.argsort(ids, kind="stable")
    lignes = mensuel[col.ID].to_numpy(dtype=np.int64)
    rang = np.minimum(np.searchsorted(ids[ordre], lignes), n - 1)
    connue = ids[ordre][rang] == lignes
    position = ordre[rang][connue]
    mois = mensuel[col.MOIS].to_numpy(dtype=np.int64)[connue] - 1
    conv = mensuel[col.CONVENTIONNE].to_numpy(dtype=bool)[connue]
    conventionne[position[conv], mois[conv]] = True
    valeurs = mensuel[col.REALISE].to_numpy(dtype=float, na_value=np.nan)[connue]
    realise[position[conv], mois[conv]] = valeurs[conv]
    return realise, conventionne


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

"""Year-end projection, two methods, per AF and aggregated.

(a) Linéaire (domain.md §4, given by ``etp.queries`` as ``projection_etp_annuel``): realised so
    far + monthly average × conventioned months not yet validated / 12.
(b) Saisonnière, when the same AF number existed last year: this year's pace is last year's
    monthly profile scaled by how this year compares with last year over the same months.
    With ``V`` this year's validated conventioned months, ``R`` its other conventioned months and
    ``p(m)`` last year's realised monthly ETP of that AF number (summed over its AF ids):
    ``k = Σ_V realised(m, N) / Σ_V p(m)`` and
    ``projection = Σ_V realised(m, N) / 12 + k × Σ_R p(m) / 12``.
    It needs ``p(m)`` for every month of ``V`` and ``R`` (last year's month conventioned and
    validated) and ``Σ_V p > 0``; otherwise it is not computed and the reason is given.

Both are shown when they differ by more than ``SEUIL_ECART_METHODES`` (5 %) of the linear one.
The aggregate "retenue" takes the seasonal projection where it exists, the linear one elsewhere.
"""

from __future__ import annotations

import math

import pandas as pd

from etp.pilotage import colonnes as col

SEUIL_ECART_METHODES = 0.05

COLONNES_PROJECTION: tuple[str, ...] = (
    *col.IDENTITE_AF,
    col.ANNUEL_CONV,
    col.ANNUEL_REAL,
    col.NB_MOIS_VALIDES,
    "projection_lineaire_etp",
    "projection_saisonniere_etp",
    "coefficient_saisonnier",
    "motif_sans_saisonniere",
    "ecart_methodes",
    "methodes_divergent",
    "projection_retenue_etp",
    "taux_projection_lineaire",
    "taux_projection_saisonniere",
    col.AIDE,
    "montant_projete_lineaire",
    "montant_projete_saisonnier",
)

SANS_MOIS_VALIDE = "aucun mois validé cette année"
SANS_HISTORIQUE = "pas d'annexe de même numéro l'an dernier"
PROFIL_INCOMPLET = "mois de l'an dernier non validés ou non conventionnés"
PROFIL_NUL = "aucun ETP réalisé l'an dernier sur les mêmes mois"


def profils(mensuel_precedent: pd.DataFrame) -> dict[str, dict[int, float]]:
    """Last year's realised monthly ETP per AF number and month (validated conventioned months
    only; several AF ids of one number are summed month by month)."""
    df = mensuel_precedent
    if df.empty:
        return {}
    df = df[df[col.CONVENTIONNE].astype(bool) & df[col.REALISE].notna()]
    sommes = df.groupby([col.NUMERO, col.MOIS])[col.REALISE].sum()
    out: dict[str, dict[int, float]] = {}
    for (numero, mois), valeur in sommes.items():
        out.setdefault(str(numero), {})[int(mois)] = float(valeur)
    return out


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
    annuel: pd.DataFrame, mensuel: pd.DataFrame, mensuel_precedent: pd.DataFrame
) -> pd.DataFrame:
    """Per AF of the year: both projections (ETP, rate, euros), the coefficient, why the seasonal
    one is missing, and whether they differ by more than 5 %."""
    prof = profils(mensuel_precedent)
    conv = mensuel[mensuel[col.CONVENTIONNE].astype(bool)]
    par_af: dict[object, tuple[dict[int, float], list[int]]] = {}
    for af_id, lignes in conv.groupby(col.ID):
        valides = lignes[lignes[col.REALISE].notna()]
        paires = zip(valides[col.MOIS], valides[col.REALISE], strict=True)
        realises = {int(m): float(v) for m, v in paires}
        restants = sorted(int(m) for m in lignes[col.MOIS] if int(m) not in realises)
        par_af[af_id] = (realises, restants)
    df = annuel.copy()
    lineaire = df[col.PROJECTION].astype(float).where(df[col.NB_MOIS_VALIDES].fillna(0) > 0)
    saison, coef, motif = [], [], []
    for af_id, numero in zip(df[col.ID], df[col.NUMERO], strict=True):
        realises, restants = par_af.get(af_id, ({}, []))
        p, k, m = projection_saisonniere_af(realises, restants, prof.get(str(numero)))
        saison.append(math.nan if p is None else p)
        coef.append(math.nan if k is None else k)
        motif.append(m)
    df["projection_lineaire_etp"] = lineaire
    df["projection_saisonniere_etp"] = saison
    df["coefficient_saisonnier"] = coef
    df["motif_sans_saisonniere"] = motif
    df["ecart_methodes"] = (df["projection_saisonniere_etp"] - lineaire) / lineaire.where(
        lineaire != 0
    )
    df["methodes_divergent"] = df["ecart_methodes"].abs() > SEUIL_ECART_METHODES
    df["projection_retenue_etp"] = df["projection_saisonniere_etp"].where(
        df["projection_saisonniere_etp"].notna(), lineaire
    )
    envel = df[col.ANNUEL_CONV].astype(float)
    envel = envel.where(envel != 0)
    df["taux_projection_lineaire"] = lineaire / envel
    df["taux_projection_saisonniere"] = df["projection_saisonniere_etp"] / envel
    aide = df[col.AIDE].astype(float)
    df["montant_projete_lineaire"] = lineaire * aide
    df["montant_projete_saisonnier"] = df["projection_saisonniere_etp"] * aide
    return df[[c for c in COLONNES_PROJECTION if c in df.columns]].reset_index(drop=True)


def projections_totales(par_af: pd.DataFrame) -> dict[str, float | int]:
    """Aggregate of :func:`projections`: linear total, seasonal total over the AFs that have
    one (with the linear total of the same AFs, to compare like with like), the "retenue"
    total, and counts."""
    avec = par_af[par_af["projection_saisonniere_etp"].notna()]
    lin_avec = float(avec["projection_lineaire_etp"].sum())
    sais = float(avec["projection_saisonniere_etp"].sum())
    return {
        "nb_af": len(par_af),
        "nb_af_projetees": int(par_af["projection_lineaire_etp"].notna().sum()),
        "nb_af_saisonnieres": len(avec),
        "nb_af_divergentes": int(par_af["methodes_divergent"].sum()),
        "enveloppe_etp": float(par_af[col.ANNUEL_CONV].sum()),
        "projection_lineaire_etp": float(par_af["projection_lineaire_etp"].sum()),
        "projection_lineaire_euros": float(par_af["montant_projete_lineaire"].sum()),
        "projection_saisonniere_etp": sais,
        "projection_saisonniere_euros": float(avec["montant_projete_saisonnier"].sum()),
        "projection_lineaire_memes_af_etp": lin_avec,
        "ecart_methodes": (sais - lin_avec) / lin_avec if lin_avec else float("nan"),
        "projection_retenue_etp": float(par_af["projection_retenue_etp"].sum()),
    }

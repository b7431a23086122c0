"""The indicators of many AFs at once, as NumPy arrays (one row per AF, one column per month).

Same definitions as :func:`etp.indicators.indicateurs_annee`, which stays the reference: the
tests check that both agree on random AFs. This form exists because a national table (about
5,000 AFs × 12 months) computed AF by AF in Python costs about a second of CPU per screen, and
the arrays do it in a few milliseconds. The consumption status is compared in whole cents, and
goes through :func:`etp.indicators.statut_consommation` (Decimal) near a cent boundary.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np

from etp.indicators import (
    CONFORME,
    ETAT_VALIDE,
    SOUS_CONSOMMATION,
    SUR_CONSOMMATION,
    statut_consommation,
)
from etp.regles import dernier_mois_compte

MOIS = np.arange(1, 13)

#: Monthly states as columns: (af_index, mois, etat, heures, nb_salaries).
Etats = tuple[Sequence[int], Sequence[int], Sequence[str], Sequence[float], Sequence[int]]
AUCUN_ETAT: Etats = ((), (), (), (), ())


@dataclass(frozen=True)
class Tableau:
    """Indicators of ``n`` AFs for one year. Monthly arrays are ``(n, 12)``, annual ones ``(n,)``;
    NaN stands for null (no realised ETP, no rate, no amount)."""

    annee: int
    as_of: tuple[int, int] | None
    conventionne: np.ndarray
    etp_mensuel_conventionne: np.ndarray
    etat: np.ndarray
    heures: np.ndarray
    nb_salaries: np.ndarray
    valide: np.ndarray
    etp_mensuel_realise: np.ndarray
    taux_realisation_mensuel: np.ndarray
    annuel: dict[str, np.ndarray]
    statut_consommation: list[str | None]


def _bornes(dates: Sequence[date], annee: int, debut: bool) -> np.ndarray:
    """First (``debut``) or last conventioned month in ``annee`` of each date (0 or 13 = none)."""
    annees = np.fromiter((d.year for d in dates), dtype=np.int64, count=len(dates))
    mois = np.fromiter((d.month for d in dates), dtype=np.int64, count=len(dates))
    avant, apres = (1, 13) if debut else (0, 12)
    return np.where(annees < annee, avant, np.where(annees > annee, apres, mois))


def statuts_consommation(moyen: np.ndarray, conventionne: np.ndarray) -> list[str | None]:
    """:func:`etp.indicators.statut_consommation` for arrays (NaN = null), same answers.

    Truncating ``x × 100`` is exact for a whole number of cents and far from one; the rare
    values within 1e-6 of a cent (17.17 stored as 17.169999999999998) go through the Decimal
    reference.
    """
    moyen = np.asarray(moyen, dtype=float)
    conventionne = np.asarray(conventionne, dtype=float)
    centimes = []
    for valeurs in (moyen, conventionne):
        x = valeurs * 100
        distance = np.abs(x - np.round(x))
        pres = (distance > 0) & (distance < 1e-6)
        centimes.append((np.trunc(x), pres))
    (cm, pres_m), (cc, pres_c) = centimes
    connus = ~np.isnan(moyen) & ~np.isnan(conventionne)
    douteux = connus & (pres_m | pres_c)
    nets = connus & ~douteux
    resultat = np.full(len(moyen), None, dtype=object)
    resultat[nets & (cm > cc)] = SUR_CONSOMMATION
    resultat[nets & (cm < cc)] = SOUS_CONSOMMATION
    resultat[nets & (cm == cc)] = CONFORME
    for i in np.flatnonzero(douteux).tolist():
        resultat[i] = statut_consommation(float(moyen[i]), float(conventionne[i]))
    return resultat.tolist()


def _div(numerateur: np.ndarray, denominateur: np.ndarray) -> np.ndarray:
    """Element-wise ratio, NaN where the denominator is 0 or NaN."""
    sur = np.where(np.isnan(denominateur) | (denominateur == 0), np.nan, denominateur)
    with np.errstate(invalid="ignore", divide="ignore"):
        return numerateur / sur


def calculer(
    date_debut: Sequence[date],
    date_fin: Sequence[date],
    etp_postes_insertion: Sequence[float | None],
    duree_heure_annuel_etp: Sequence[float | None],
    montant_unitaire_annuel: Sequence[float | None],
    etats: Etats,
    annee: int,
    as_of: tuple[int, int] | None = None,
) -> Tableau:
    """Indicators of every AF of the inputs (same order) for ``annee``.

    ``etats`` holds the monthly states of that year as five columns ``(af_index, mois, etat,
    heures, nb_salaries)``, where ``af_index`` is the AF's position in the inputs.
    """
    n = len(date_debut)
    c_brut = np.array(etp_postes_insertion, dtype=float).reshape(n)
    c = np.nan_to_num(c_brut, nan=0.0)
    h = np.array(duree_heure_annuel_etp, dtype=float).reshape(n)
    aide = np.array(montant_unitaire_annuel, dtype=float).reshape(n)

    premier = _bornes(date_debut, annee, debut=True)
    dernier = _bornes(date_fin, annee, debut=False)
    periode_valide = np.fromiter(
        (f >= d for d, f in zip(date_debut, date_fin, strict=True)), dtype=bool, count=n
    )
    conventionne = (
        (MOIS[None, :] >= premier[:, None])
        & (MOIS[None, :] <= dernier[:, None])
        & periode_valide[:, None]
    )

    etat = np.full((n, 12), None, dtype=object)
    heures = np.full((n, 12), np.nan)
    nb_salaries = np.full((n, 12), np.nan)
    af_index, mois_etat, etat_etat, heures_etat, nb_etat = etats
    if len(af_index):
        idx = np.asarray(af_index, dtype=np.int64)
        mois = np.asarray(mois_etat, dtype=np.int64) - 1
        etat[idx, mois] = np.asarray(etat_etat, dtype=object)
        heures[idx, mois] = np.nan_to_num(np.asarray(heures_etat, dtype=float), nan=0.0)
        nb_salaries[idx, mois] = np.nan_to_num(np.asarray(nb_etat, dtype=float), nan=0.0)

    limite = dernier_mois_compte(annee, as_of)
    valide = (etat == ETAT_VALIDE) & (MOIS[None, :] <= limite)
    h_utile = np.where(np.isnan(h) | (h == 0), np.nan, h)
    realise = np.where(valide, heures * 12 / h_utile[:, None], np.nan)
    c_mois = np.where(conventionne, c[:, None], 0.0)
    taux_mois = np.where(conventionne, _div(realise, c_mois), np.nan)

    compte = conventionne & ~np.isnan(realise)
    d = conventionne.sum(axis=1)
    nb_valides = compte.sum(axis=1)
    somme = np.where(compte, realise, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        moyen = np.where(nb_valides > 0, somme / np.maximum(nb_valides, 1), np.nan)
    annuel_conv = c * d / 12
    annuel_real = somme / 12
    ecart = moyen - c
    projection = annuel_real + moyen * (d - nb_valides) / 12
    dernier_valide = np.where(nb_valides > 0, 12 - np.argmax(compte[:, ::-1], axis=1), 0).astype(
        float
    )
    dernier_valide[nb_valides == 0] = np.nan

    statuts = statuts_consommation(moyen, c_brut)
    annuel = {
        "etp_mensuel_conventionne": c,
        "nb_mois_conventionnes": d,
        "etp_annuel_conventionne": annuel_conv,
        "nb_mois_valides": nb_valides,
        "dernier_mois_valide": dernier_valide,
        "etp_mensuel_realise_moyen": moyen,
        "etp_annuel_realise": annuel_real,
        "taux_realisation_annuel": _div(annuel_real, annuel_conv),
        "ecart_etp_mensuel": ecart,
        "ecart_pct": _div(ecart, c),
        "projection_etp_annuel": projection,
        "taux_projection_annuel": _div(projection, annuel_conv),
        "montant_unitaire_annuel": aide,
        "montant_annuel_conventionne": annuel_conv * aide,
        "montant_annuel_realise": annuel_real * aide,
        "montant_annuel_projete": projection * aide,
    }
    return Tableau(
        annee=annee,
        as_of=as_of,
        conventionne=conventionne,
        etp_mensuel_conventionne=c_mois,
        etat=etat,
        heures=heures,
        nb_salaries=nb_salaries,
        valide=valide,
        etp_mensuel_realise=realise,
        taux_realisation_mensuel=taux_mois,
        annuel=annuel,
        statut_consommation=statuts,
    )

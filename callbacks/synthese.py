"""Totals of a selection of AFs for the key-figure cards, and the notes about the selection.

Aggregation rules of domain.md §4: sums of ETP figures and amounts, rates as ratios of sums, the
group's monthly average as the sum of its AFs' averages. The status of a group compares that sum
with the conventioned ETP of the AFs that have an average (an AF without any validated month has
nothing to compare), through ``etp.indicators.statut_consommation`` (truncation to 2 decimals).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from etp.formatting import fmt_mois, nom_mois
from etp.indicators import statut_consommation


def _somme(serie: pd.Series) -> float | None:
    valeurs = serie.dropna()
    return float(valeurs.sum()) if len(valeurs) else None


def _ratio(a: float | None, b: float | None) -> float | None:
    return a / b if a is not None and b else None


@dataclass(frozen=True)
class Totaux:
    nb_af: int
    etp_mensuel_conventionne: float
    etp_mensuel_realise_moyen: float | None
    conventionne_compare: float | None
    statut: str | None
    ecart_etp: float | None
    ecart_pct: float | None
    nb_mois_valides: int
    etp_annuel_conventionne: float
    etp_annuel_realise: float
    taux_realisation_annuel: float | None
    projection_etp_annuel: float | None
    taux_projection_annuel: float | None
    montant_annuel_conventionne: float | None
    montant_annuel_realise: float | None
    montant_annuel_projete: float | None


def totaux(annuel: pd.DataFrame) -> Totaux:
    """The key figures of a selection (one row per AF from ``indicateurs_annuels``)."""
    if len(annuel) == 1:
        row = annuel.iloc[0]

        def v(col: str) -> float | None:
            x = row[col]
            return None if x is None or pd.isna(x) else float(x)

        return Totaux(
            nb_af=1,
            etp_mensuel_conventionne=v("etp_mensuel_conventionne") or 0.0,
            etp_mensuel_realise_moyen=v("etp_mensuel_realise_moyen"),
            conventionne_compare=v("etp_mensuel_conventionne"),
            statut=row["statut_consommation"] if not pd.isna(row["statut_consommation"]) else None,
            ecart_etp=v("ecart_etp_mensuel"),
            ecart_pct=v("ecart_pct"),
            nb_mois_valides=int(row["nb_mois_valides"]),
            etp_annuel_conventionne=v("etp_annuel_conventionne") or 0.0,
            etp_annuel_realise=v("etp_annuel_realise") or 0.0,
            taux_realisation_annuel=v("taux_realisation_annuel"),
            projection_etp_annuel=v("projection_etp_annuel"),
            taux_projection_annuel=v("taux_projection_annuel"),
            montant_annuel_conventionne=v("montant_annuel_conventionne"),
            montant_annuel_realise=v("montant_annuel_realise"),
            montant_annuel_projete=v("montant_annuel_projete"),
        )
    avec_moyenne = annuel[annuel["etp_mensuel_realise_moyen"].notna()]
    moyen = _somme(avec_moyenne["etp_mensuel_realise_moyen"])
    compare = _somme(avec_moyenne["etp_mensuel_conventionne"])
    ecart = moyen - compare if moyen is not None and compare is not None else None
    annuel_conv = float(annuel["etp_annuel_conventionne"].sum())
    annuel_real = float(annuel["etp_annuel_realise"].fillna(0).sum())
    projection = _somme(annuel["projection_etp_annuel"])
    return Totaux(
        nb_af=len(annuel),
        etp_mensuel_conventionne=float(annuel["etp_mensuel_conventionne"].sum()),
        etp_mensuel_realise_moyen=moyen,
        conventionne_compare=compare,
        statut=statut_consommation(moyen, compare),
        ecart_etp=ecart,
        ecart_pct=_ratio(ecart, compare),
        nb_mois_valides=int(annuel["nb_mois_valides"].sum()),
        etp_annuel_conventionne=annuel_conv,
        etp_annuel_realise=annuel_real,
        taux_realisation_annuel=_ratio(annuel_real, annuel_conv),
        projection_etp_annuel=projection,
        taux_projection_annuel=_ratio(projection, annuel_conv),
        montant_annuel_conventionne=_somme(annuel["montant_annuel_conventionne"]),
        montant_annuel_realise=_somme(annuel["montant_annuel_realise"]),
        montant_annuel_projete=_somme(annuel["montant_annuel_projete"]),
    )


def notes(annuel: pd.DataFrame, serie: pd.DataFrame, annee: int) -> list[str]:
    """Caveats shown under the charts: short AFs, months not yet validated, as-of month."""
    out: list[str] = []
    courtes = annuel[annuel["nb_mois_conventionnes"] < 12]
    if len(courtes):
        out.append(
            f"{len(courtes)} annexe(s) sur {len(annuel)} couvre(nt) moins de 12 mois en {annee} : "
            "leur effectif annuel conventionné est inférieur à leur effectif mensuel conventionné."
        )
    non_valides = serie[(serie["etp_non_valide"] > 0) & ~serie["a_venir"]]
    if len(non_valides):
        mois = ", ".join(nom_mois(int(m)) for m in non_valides["mois"])
        out.append(
            f"Mois pas encore entièrement validés : {mois}. Ils ne comptent pas dans le réalisé ; "
            "les deux derniers mois sont en général incomplets (déclarations tardives)."
        )
    as_of = annuel["as_of"].dropna()
    if len(as_of):
        a, m = (int(x) for x in str(as_of.iloc[0]).split("-"))
        if a == annee:
            out.append(f"Mois validés pris en compte jusqu'à {fmt_mois(a, m)} inclus.")
    return out


def est_nan(x: float | None) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))

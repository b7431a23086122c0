"""The dashboard's figures for a selection of AFs: key figures, monthly series, cumulative
consumption and the caveats shown under the charts.

One home for what the "Effectif mensuel" and "Effectif annuel" tabs show and what their
downloads hold: the callbacks format these values, ``callbacks.export_sources`` writes the
same values unrounded, so screen and file cannot drift. Pure functions on the frames of
:func:`etp.queries.indicateurs_annuels` / :func:`etp.queries.indicateurs_mensuels`; sums,
ratios of sums, the projection and the last validated month come from :mod:`etp.selection`
(the aggregation layer); this module adds only what the two tabs draw (months à venir, the
month's state in words, the cumulative curve, the caveats). Nothing is rounded here.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from etp import aggregation, selection
from etp.formatting import fmt_annexes_validees, fmt_compte, fmt_mois, libelle_etat, nom_mois
from etp.regles import as_of_du_cadre
from etp.selection import DernierMois, Totaux, dernier_mois_realise, totaux
from etp.sommes import Groupes

COLONNES_SERIE: tuple[str, ...] = (
    *aggregation.COLONNES_SERIE,
    "etp_mensuel_conventionne_non_valide",
    "a_venir",
    "etat",
)


# --------------------------------------------------------------------------- monthly series


def _etat_du_mois(etats: list, valides: list[bool], a_venir: bool) -> str:
    """Readable state of a month from the states of its conventioned AFs (and whether each is
    validated): the AF's own state, or a count of non-validated AFs."""
    if not etats:
        return "Non conventionné"
    if a_venir:
        return "À venir"
    if len(etats) == 1:
        return libelle_etat(etats[0])
    non_valides = [e for e, v in zip(etats, valides, strict=True) if not v]
    if not non_valides:
        return "Validé"
    comptes = pd.Series(non_valides, dtype=object).fillna("NON_SAISI").value_counts()
    morceaux = [
        fmt_compte(int(n), *_ANNEXES_DANS_L_ETAT.get(e, (libelle_etat(e).lower(), None)))
        for e, n in comptes.items()
    ]
    return fmt_compte(len(non_valides), "non validée", "non validées") + " : " + ", ".join(morceaux)


#: How many AFs of a month are in each state, agreed with « annexe » (feminine).
_ANNEXES_DANS_L_ETAT: dict[str, tuple[str, str]] = {
    "DEBLOQUE": ("débloquée", "débloquées"),
    "SAISI": ("saisie", "saisies"),
    "BROUILLON": ("en brouillon", "en brouillon"),
    "NON_SAISI": ("non saisie", "non saisies"),
}


def serie_mensuelle(mensuel: pd.DataFrame, annee: int) -> pd.DataFrame:
    """The monthly series of the charts: :func:`etp.aggregation.serie_mensuelle` (sums of
    conventioned and realised ETP, like-for-like rate, state counts) plus what the screen needs:

    - ``a_venir``: the month is after the as-of month (nothing can be validated yet);
    - ``etp_mensuel_conventionne_non_valide``: Σ C of the AFs whose month is not validated
      (0 for a month à venir), drawn as a hatched bar so that a late month never reads as 0;
    - ``etat``: the month's state in words (the AF's state, or how many AFs are not validated).
    """
    serie = selection.serie_mensuelle(mensuel)
    quand = as_of_du_cadre(mensuel)
    # the conventioned AF-months as arrays (pandas groups of the national frame, 58,000 rows,
    # cost tens of milliseconds), split by month once
    conv = mensuel["conventionne"].to_numpy(dtype=bool, na_value=False)
    mois = mensuel["mois"].to_numpy(dtype=np.int64, na_value=0)[conv] - 1
    valide = mensuel["valide"].to_numpy(dtype=bool, na_value=False)[conv]
    c = mensuel["etp_mensuel_conventionne"].to_numpy(dtype=float, na_value=np.nan)[conv]
    non_valide = Groupes(mois, 12).somme(c, ~valide)
    ordre = np.argsort(mois, kind="stable")
    bornes = np.searchsorted(mois[ordre], np.arange(13)).tolist()
    etats = mensuel["etat"].to_numpy(dtype=object)[conv][ordre].tolist()
    valides = valide[ordre].tolist()
    a_venir = [quand is not None and (annee, int(m)) > quand for m in serie["mois"]]
    serie["a_venir"] = a_venir
    serie["etp_mensuel_conventionne_non_valide"] = [
        0.0 if venir else float(non_valide[int(m) - 1])
        for m, venir in zip(serie["mois"], a_venir, strict=True)
    ]
    serie["etat"] = [
        _etat_du_mois(
            etats[bornes[int(m) - 1] : bornes[int(m)]],
            valides[bornes[int(m) - 1] : bornes[int(m)]],
            venir,
        )
        for m, venir in zip(serie["mois"], a_venir, strict=True)
    ]
    return serie[list(COLONNES_SERIE)]


def cumul_annuel(serie: pd.DataFrame, dernier_mois: int | None) -> pd.DataFrame:
    """Annual ETP cumulated month by month: ``cumul_conventionne`` (the conventioned pace,
    Σ C / 12) and ``cumul_realise`` (Σ validated realised / 12, up to ``dernier_mois`` only:
    NaN after it, and everywhere when nothing is validated)."""
    cumul_conventionne = (serie["etp_mensuel_conventionne"].fillna(0.0) / 12).cumsum()
    cumul_realise = (serie["etp_mensuel_realise"].fillna(0.0) / 12).cumsum()
    limite = dernier_mois if dernier_mois is not None else -1
    return pd.DataFrame(
        {
            "mois": serie["mois"],
            "cumul_conventionne": cumul_conventionne,
            "cumul_realise": cumul_realise.where(serie["mois"] <= limite),
        }
    )


# --------------------------------------------------------------------------- key figures


@dataclass(frozen=True)
class ChiffresMensuels:
    """The monthly key figures of a selection (tiles of "Effectif mensuel" and their export).

    The last validated month is :func:`etp.selection.dernier_mois_valide`; its realised ETP
    is that of the AFs validated that month, compared with their own conventioned ETP."""

    nb_af: int
    etp_mensuel_conventionne: float
    dernier_mois_valide: int | None
    etp_mensuel_realise_dernier_mois: float | None
    etp_mensuel_conventionne_dernier_mois: float | None
    nb_af_valides_dernier_mois: int
    nb_af_dernier_mois: int
    etp_mensuel_realise_moyen: float | None
    taux_moyen: float | None
    statut: str | None
    ecart_etp: float | None
    ecart_pct: float | None


def chiffres_mensuels(t: Totaux, dernier: DernierMois | None) -> ChiffresMensuels:
    """Key figures from the totals and the last validated month (both from ``etp.selection``)."""
    return ChiffresMensuels(
        nb_af=t.nb_af,
        etp_mensuel_conventionne=t.etp_mensuel_conventionne,
        dernier_mois_valide=dernier.mois if dernier else None,
        etp_mensuel_realise_dernier_mois=dernier.etp_realise if dernier else None,
        etp_mensuel_conventionne_dernier_mois=dernier.etp_conventionne if dernier else None,
        nb_af_valides_dernier_mois=dernier.nb_af_valides if dernier else 0,
        nb_af_dernier_mois=dernier.nb_af if dernier else 0,
        etp_mensuel_realise_moyen=t.etp_mensuel_realise_moyen,
        taux_moyen=t.taux_moyen,
        statut=t.statut,
        ecart_etp=t.ecart_etp,
        ecart_pct=t.ecart_pct,
    )


# --------------------------------------------------------------------------- caveats


def notes(annuel: pd.DataFrame, serie: pd.DataFrame, annee: int) -> list[str]:
    """Caveats shown under the charts (domain.md §4): short AFs, months not yet validated,
    the as-of month."""
    out: list[str] = []
    courtes = annuel[annuel["nb_mois_conventionnes"] < 12]
    if len(courtes):
        n = len(courtes)
        sujet = (
            f"1 annexe sur {len(annuel)} couvre"
            if n == 1
            else f"{n} annexes sur {len(annuel)} couvrent"
        )
        leur = (
            "son effectif annuel conventionné est inférieur à son"
            if n == 1
            else ("leur effectif annuel conventionné est inférieur à leur")
        )
        out.append(f"{sujet} moins de 12 mois en {annee} : {leur} effectif mensuel conventionné.")
    non_valides = serie[(serie["etp_mensuel_conventionne_non_valide"] > 0) & ~serie["a_venir"]]
    if len(non_valides):
        mois = ", ".join(
            f"{nom_mois(int(m))} ({fmt_annexes_validees(int(v), int(n))})"
            if n > 1
            else nom_mois(int(m))
            for m, v, n in zip(
                non_valides["mois"],
                non_valides["nb_af_valides"],
                non_valides["nb_af_conventionnees"],
                strict=True,
            )
        )
        out.append(
            f"Mois pas encore entièrement validés : {mois}. Ces mois comparent le réalisé des "
            "seules annexes validées à leur propre conventionné ; les deux derniers mois sont "
            "en général incomplets (déclarations tardives)."
        )
    sans = annuel[annuel["nb_mois_valides"].fillna(0) == 0]
    if len(sans):
        sujet = (
            "1 annexe sans mois validé est comptée"
            if len(sans) == 1
            else (f"{len(sans)} annexes sans mois validé sont comptées")
        )
        out.append(
            f"Projection fin d'année : {sujet} à son effectif annuel conventionné."
            if len(sans) == 1
            else f"Projection fin d'année : {sujet} à leur effectif annuel conventionné."
        )
    quand = as_of_du_cadre(annuel)
    if quand is not None and quand[0] == annee:
        out.append(
            f"Mois pris en compte jusqu'à {fmt_mois(*quand)} inclus (mois des données les plus "
            "récentes) ; seuls les mois validés comptent dans le réalisé."
        )
    return out


# --------------------------------------------------------------------------- one selection


@dataclass(frozen=True, eq=False)
class TableauDeBord:
    """Everything the two "Effectif" tabs show for one selection, computed once."""

    annee: int
    annuel: pd.DataFrame
    serie: pd.DataFrame
    totaux: Totaux

    def dernier_mois_valide(self) -> DernierMois | None:
        return selection.dernier_mois_valide(self.serie)

    def chiffres_mensuels(self) -> ChiffresMensuels:
        return chiffres_mensuels(self.totaux, self.dernier_mois_valide())

    def dernier_mois_realise(self) -> int | None:
        """The last month with a validated AF (where the cumulative curve stops)."""
        return dernier_mois_realise(self.serie)

    def cumul(self) -> pd.DataFrame:
        return cumul_annuel(self.serie, dernier_mois_realise(self.serie))

    def notes(self) -> list[str]:
        return notes(self.annuel, self.serie, self.annee)


def tableau_de_bord(annuel: pd.DataFrame, mensuel: pd.DataFrame, annee: int) -> TableauDeBord:
    """The selection's figures from its two ``etp.queries`` frames (same scope and filters)."""
    return TableauDeBord(annee, annuel, serie_mensuelle(mensuel, annee), totaux(annuel))

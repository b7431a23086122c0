"""Every figure of a selection of AFs, each computed by one named function (the aggregation
layer). The catalogue (:mod:`etp.catalogue`) names, for each figure key, the function here that
computes it; the tabs, the funders' tab, the exports and ``suivi-etp figures`` all call these.

A :class:`Selection` is what one (scope, filters) reads, once: this year's annual and monthly
``etp.queries`` frames and last year's monthly frame (for N−1 and the seasonal profile). The
functions below are pure on those frames; nothing is rounded (:mod:`etp.formatting` rounds at
the edge). Definitions settled here (docs/definitions.md):

- **Projection fin d'année** (:func:`projection_fin_annee`): the sum over AFs of the linear
  projection, an AF without any validated month counting at its annual conventioned ETP.
- **A partly validated month** (:func:`serie_mensuelle`): realised ETP of the AFs validated
  that month against the conventioned ETP of those same AFs, with how many are validated.
- **Last validated month** (:func:`dernier_mois_valide`): the latest month validated by AFs
  holding more than half of that month's conventioned ETP (one late AF cannot freeze it).
- **N−1 at the same date** (:func:`comparaison_n1`): per AF number, the same months in both
  years (validated this year up to the as-of month and validated last year).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd
from sqlalchemy import Engine

from etp import aggregation, queries
from etp.aggregation import RealisesParNumero, en_realises, realises_par_numero
from etp.catalogue import PROJECTION_METHODE
from etp.filters import Filtres
from etp.regles import AsOf, as_of_du_cadre, ratio
from etp.scope import Scope

# --------------------------------------------------------------------------- loading


@dataclass(frozen=True, eq=False)
class Selection:
    """The frames of one (scope, filters): read once, every figure derives from them.
    ``realises_n1``: last year's realised ETP per AF number and month, as known at this year's
    as-of date (:func:`etp.aggregation.realises_par_numero`), all that N−1 figures need."""

    annee: int
    as_of: AsOf | None
    annuel: pd.DataFrame
    mensuel: pd.DataFrame
    realises_n1: RealisesParNumero


def resoudre_as_of(engine: Engine, filtres: Filtres, annuel: pd.DataFrame) -> AsOf | None:
    """The as-of month actually used: the filter's, else the one ``etp.queries`` applied (its
    ``as_of`` column), else the month of the data date; ``None`` when there is no data."""
    if filtres.as_of is not None:
        return (int(filtres.as_of[0]), int(filtres.as_of[1]))
    lu = as_of_du_cadre(annuel)
    if lu is not None:
        return lu
    return queries.as_of_par_defaut(engine)


#: Reads a selection's (annual, monthly) frames for some filters, inside a scope already fixed.
Lecture = Callable[[Filtres], tuple[pd.DataFrame, pd.DataFrame]]


def charger(
    engine: Engine, scope: Scope, filtres: Filtres, lire: Lecture | None = None
) -> Selection:
    """Two scoped reads with the same scope and AF filters: this year's annual and monthly
    frames (one read) and last year's realised ETP per AF number and month as known at this
    year's as-of date (:func:`etp.queries.lire_realises_par_numero`: no frame built).

    ``lire`` replaces :func:`etp.queries.indicateurs` for ``scope`` (the dashboard passes its
    cached read, so a tab opened after another one of the same selection reads nothing again)."""
    if lire is None:

        def lire(f: Filtres) -> tuple[pd.DataFrame, pd.DataFrame]:
            return queries.indicateurs(engine, scope, f)

    annuel, mensuel = lire(filtres)
    as_of = resoudre_as_of(engine, filtres, annuel)
    precedent = replace(filtres, annee=filtres.annee - 1, as_of=as_of)
    realises_n1 = queries.lire_realises_par_numero(engine, scope, precedent)
    return Selection(filtres.annee, as_of, annuel, mensuel, realises_n1)


# --------------------------------------------------------------------------- totals


def _valeur(x: object) -> float | None:
    """A cell as a float, ``None`` for a missing value (NaN, None, pd.NA)."""
    return None if x is None or pd.isna(x) else float(x)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Totaux:
    """The totals of a selection (unrounded), by the rules of :func:`etp.aggregation.agreger`.

    ``conventionne_compare`` is the conventioned ETP of the AFs having an average (what the
    average, the gap and the status compare with). ``projection_etp_annuel`` is the one
    "Projection fin d'année" (see :func:`projection_fin_annee`).
    """

    nb_af: int
    etp_mensuel_conventionne: float
    etp_mensuel_realise_moyen: float | None
    conventionne_compare: float | None
    taux_moyen: float | None
    statut: str | None
    ecart_etp: float | None
    ecart_pct: float | None
    nb_mois_valides: int
    etp_annuel_conventionne: float
    etp_annuel_realise: float
    taux_realisation_annuel: float | None
    projection_etp_annuel: float | None
    taux_projection_annuel: float | None
    nb_af_sans_mois_valide: int
    etp_sans_mois_valide: float
    montant_annuel_conventionne: float | None
    montant_annuel_realise: float | None
    montant_annuel_projete: float | None


def totaux(annuel: pd.DataFrame) -> Totaux:
    """Sums and ratios of sums over the AFs of ``annuel`` (one row per AF).

    An AF without any validated month has no realised ETP: the annual realised figure of the
    selection is then 0 (nothing consumed yet), not unknown.
    """
    ligne = aggregation.agreger(annuel, []).iloc[0]
    a_moyenne = int(annuel["etp_mensuel_realise_moyen"].notna().sum()) if len(annuel) else 0
    conventionne_annuel = _valeur(ligne["etp_annuel_conventionne"]) or 0.0
    realise_annuel = _valeur(ligne["etp_annuel_realise"]) or 0.0
    compare = _valeur(ligne["etp_mensuel_conventionne_avec_moyenne"]) if a_moyenne else None
    moyen = _valeur(ligne["etp_mensuel_realise_moyen"])
    statut = ligne["statut_consommation"]
    return Totaux(
        nb_af=int(ligne["nb_af"]),
        etp_mensuel_conventionne=_valeur(ligne["etp_mensuel_conventionne"]) or 0.0,
        etp_mensuel_realise_moyen=moyen,
        conventionne_compare=compare,
        taux_moyen=ratio(moyen, compare),
        statut=statut if isinstance(statut, str) else None,
        ecart_etp=_valeur(ligne["ecart_etp_mensuel"]),
        ecart_pct=_valeur(ligne["ecart_pct"]),
        nb_mois_valides=int(annuel["nb_mois_valides"].fillna(0).sum()) if len(annuel) else 0,
        etp_annuel_conventionne=conventionne_annuel,
        etp_annuel_realise=realise_annuel,
        taux_realisation_annuel=ratio(realise_annuel, conventionne_annuel),
        projection_etp_annuel=_valeur(ligne["projection_etp_annuel"]),
        taux_projection_annuel=_valeur(ligne["taux_projection_annuel"]),
        nb_af_sans_mois_valide=int(ligne["nb_af_sans_mois_valide"]),
        etp_sans_mois_valide=_valeur(ligne["etp_sans_mois_valide"]) or 0.0,
        montant_annuel_conventionne=_valeur(ligne["montant_annuel_conventionne"]),
        montant_annuel_realise=_valeur(ligne["montant_annuel_realise"]),
        montant_annuel_projete=_valeur(ligne["montant_annuel_projete"]),
    )


# --------------------------------------------------------------------------- projection


@dataclass(frozen=True)
class Projection:
    """The one "Projection fin d'année" of a selection, with what it assumes."""

    etp_annuel: float | None
    taux: float | None
    montant: float | None
    nb_af_sans_mois_valide: int
    etp_sans_mois_valide: float
    methode: str


def projection_fin_annee(annuel: pd.DataFrame) -> Projection:
    """Σ over AFs of (realised so far + monthly average × conventioned months not yet validated
    / 12); an AF without any validated month counts at its annual conventioned ETP
    (:func:`etp.aggregation.projection_retenue`). ``None`` only for an empty selection."""
    t = totaux(annuel)
    return Projection(
        etp_annuel=t.projection_etp_annuel,
        taux=t.taux_projection_annuel,
        montant=t.montant_annuel_projete,
        nb_af_sans_mois_valide=t.nb_af_sans_mois_valide,
        etp_sans_mois_valide=t.etp_sans_mois_valide,
        methode=PROJECTION_METHODE,
    )


# --------------------------------------------------------------------------- monthly series


def serie_mensuelle(mensuel: pd.DataFrame) -> pd.DataFrame:
    """Per month (1-12): AFs conventioned and validated, Σ conventioned ETP (all AFs and the
    validated ones), Σ realised ETP of the validated AFs and their like-for-like rate, and the
    state counts (:func:`etp.aggregation.serie_mensuelle`)."""
    return aggregation.serie_mensuelle(mensuel)


@dataclass(frozen=True)
class DernierMois:
    """The last validated month of a selection and what it covers."""

    mois: int
    etp_realise: float | None
    etp_conventionne: float
    etp_conventionne_total: float
    nb_af_valides: int
    nb_af: int


def _majoritaire(ligne: pd.Series) -> bool:
    """Validated by AFs holding more than half of the month's conventioned ETP (by count when
    the month's conventioned ETP is 0)."""
    total = float(ligne["etp_mensuel_conventionne"])
    if total > 0:
        return float(ligne["etp_mensuel_conventionne_valide"]) * 2 > total
    return int(ligne["nb_af_valides"]) * 2 > int(ligne["nb_af_conventionnees"])


def dernier_mois_valide(serie: pd.DataFrame) -> DernierMois | None:
    """The latest month validated by most of the conventioned ETP (:func:`_majoritaire`), so
    that one late AF cannot freeze a group; failing that, the latest month with any validated
    AF; ``None`` when nothing is validated. Its realised ETP is that of the validated AFs,
    compared with their own conventioned ETP."""
    valides = serie[serie["nb_af_valides"] > 0]
    if valides.empty:
        return None
    majoritaires = valides[valides.apply(_majoritaire, axis=1)]
    ligne = (majoritaires if not majoritaires.empty else valides).iloc[-1]
    return DernierMois(
        mois=int(ligne["mois"]),
        etp_realise=_valeur(ligne["etp_mensuel_realise"]),
        etp_conventionne=float(ligne["etp_mensuel_conventionne_valide"]),
        etp_conventionne_total=float(ligne["etp_mensuel_conventionne"]),
        nb_af_valides=int(ligne["nb_af_valides"]),
        nb_af=int(ligne["nb_af_conventionnees"]),
    )


def dernier_mois_realise(serie: pd.DataFrame) -> int | None:
    """The latest month with at least one validated AF (where the cumulative curve stops)."""
    realises = serie[serie["etp_mensuel_realise"].notna()]
    return int(realises["mois"].max()) if not realises.empty else None


# --------------------------------------------------------------------------- N−1


COLONNES_N1: tuple[str, ...] = (
    "numero_annexe_financiere",
    "structure_id",
    "structure_denomination",
    "type_structure",
    "departement",
    "departement_libelle",
    "comparee",
    "motif_exclusion",
    "mois_compares",
    "nb_mois_compares",
    "realise_n",
    "realise_n1",
    "evolution_etp",
    "evolution_pct",
)

NOUVELLE = "nouvelle annexe (pas de même numéro l'an dernier)"
SANS_MOIS_COMPARABLE = "aucun mois validé dans les deux années"


@dataclass(frozen=True, eq=False)
class ComparaisonN1:
    """N−1 like for like: totals over the compared AF numbers and one row per AF number."""

    mois_compares: list[int]
    nb_af_comparees: int
    nb_af_exclues: int
    realise_n: float
    realise_n1: float
    evolution_etp: float
    evolution_pct: float | None
    afs: pd.DataFrame


def comparaison_n1(
    annuel: pd.DataFrame, mensuel: pd.DataFrame, realises_n1: Mapping[str, Mapping[int, float]]
) -> ComparaisonN1:
    """Per AF number of this year: the months validated this year (up to the as-of month, as
    ``mensuel`` already cuts them) that were validated last year too; realised ETP of those
    months in each year / 12, and the evolution. Totals are sums over the compared numbers; a
    number without any such month (new, or nothing comparable) is left out and counted.
    ``realises_n1``: :attr:`Selection.realises_n1`."""
    n = realises_par_numero(mensuel)
    p = realises_n1 if isinstance(realises_n1, RealisesParNumero) else en_realises(realises_n1)
    identite = [c for c in COLONNES_N1[:6] if c in annuel.columns]
    premiers = (
        annuel.drop_duplicates("numero_annexe_financiere")[identite]
        if not annuel.empty
        else pd.DataFrame(columns=identite)
    )
    numeros = premiers["numero_annexe_financiere"].astype(str).tolist()
    # one array per year (AF numbers × months) instead of a loop over numbers and months
    cette_annee, _ = n.lignes(numeros)
    an_dernier, connus = p.lignes(numeros)
    communs = ~np.isnan(cette_annee) & ~np.isnan(an_dernier)
    comparee = communs.any(axis=1)
    # month by month in order (cumsum), each year's realised ETP of the common months / 12
    realise_n = np.cumsum(np.where(communs, cette_annee, 0.0), axis=1)[:, -1] / 12
    realise_n1 = np.cumsum(np.where(communs, an_dernier, 0.0), axis=1)[:, -1] / 12
    lignes, mois = np.nonzero(communs)
    par_numero = np.split(mois + 1, np.searchsorted(lignes, np.arange(1, len(numeros))))
    with np.errstate(invalid="ignore", divide="ignore"):
        evolution = realise_n - realise_n1
        evolution_pct = np.where(realise_n1 != 0, evolution / realise_n1, np.nan)
    pct = np.where(comparee, evolution_pct, np.nan).tolist()
    calcul: dict[str, list] = {
        "comparee": comparee.tolist(),
        "motif_exclusion": [
            None if c else (SANS_MOIS_COMPARABLE if k else NOUVELLE)
            for c, k in zip(comparee.tolist(), connus.tolist(), strict=True)
        ],
        "mois_compares": [m.tolist() for m in par_numero] if numeros else [],
        "nb_mois_compares": communs.sum(axis=1).tolist(),
        "realise_n": np.where(comparee, realise_n, np.nan).tolist(),
        "realise_n1": np.where(comparee, realise_n1, np.nan).tolist(),
        "evolution_etp": np.where(comparee, evolution, np.nan).tolist(),
        "evolution_pct": [None if v != v else v for v in pct],  # NaN -> None, as ratio()
    }
    afs = premiers.reset_index(drop=True)
    for colonne, valeurs in calcul.items():
        afs[colonne] = pd.Series(valeurs, dtype=object if colonne == "mois_compares" else None)
    afs["evolution_pct"] = afs["evolution_pct"].astype("float64")
    comparees = afs[afs["comparee"].astype(bool)]
    total_n = float(comparees["realise_n"].sum())
    total_n1 = float(comparees["realise_n1"].sum())
    mois_compares = sorted({m for liste in comparees["mois_compares"] for m in liste})
    return ComparaisonN1(
        mois_compares=mois_compares,
        nb_af_comparees=len(comparees),
        nb_af_exclues=len(afs) - len(comparees),
        realise_n=total_n,
        realise_n1=total_n1,
        evolution_etp=total_n - total_n1,
        evolution_pct=ratio(total_n - total_n1, total_n1),
        afs=afs,
    )


# --------------------------------------------------------------------------- short AFs


@dataclass(frozen=True)
class Courtes:
    """AFs with fewer than 12 conventioned months in the year: the gap between the monthly
    "voilure" and the annual envelope that the money follows."""

    nb_af: int
    etp_mensuel_conventionne: float
    etp_annuel_conventionne: float
    montant: float
    difference_etp: float
    difference_euros: float
    nb_af_selection: int
    enveloppe_etp: float
    enveloppe_euros: float
    poids_etp: float | None
    poids_euros: float | None


def afs_courtes(annuel: pd.DataFrame) -> pd.DataFrame:
    """The AFs shorter than 12 months with ``difference_etp`` (C − C × d / 12) and
    ``difference_euros`` (× the aid per ETP), largest difference in euros first."""
    df = annuel[annuel["nb_mois_conventionnes"] < 12].copy()
    c = df["etp_mensuel_conventionne"].astype("float64")
    df["difference_etp"] = c - c * df["nb_mois_conventionnes"] / 12
    df["difference_euros"] = df["difference_etp"] * df["montant_unitaire_annuel"].astype(float)
    return df.sort_values(
        ["difference_euros", "numero_annexe_financiere"], ascending=[False, True]
    ).reset_index(drop=True)


def courtes(annuel: pd.DataFrame, afs: pd.DataFrame | None = None) -> Courtes:
    """Totals of the short AFs and their weight in the selection's envelope (ETP, euros);
    ``afs``: :func:`afs_courtes` of ``annuel`` when the caller already holds it."""
    df = afs_courtes(annuel) if afs is None else afs
    enveloppe_etp = float(annuel["etp_annuel_conventionne"].sum())
    enveloppe_euros = float(annuel["montant_annuel_conventionne"].sum())
    diff_etp = float(df["difference_etp"].sum())
    diff_euros = float(df["difference_euros"].sum())
    return Courtes(
        nb_af=len(df),
        etp_mensuel_conventionne=float(df["etp_mensuel_conventionne"].sum()),
        etp_annuel_conventionne=float(df["etp_annuel_conventionne"].sum()),
        montant=float(df["montant_annuel_conventionne"].sum()),
        difference_etp=diff_etp,
        difference_euros=diff_euros,
        nb_af_selection=len(annuel),
        enveloppe_etp=enveloppe_etp,
        enveloppe_euros=enveloppe_euros,
        poids_etp=ratio(diff_etp, enveloppe_etp),
        poids_euros=ratio(diff_euros, enveloppe_euros),
    )

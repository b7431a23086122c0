"""The official ETP indicators of one annexe financière for one calendar year (domain.md §4).

Pure functions, no SQL and no rounding (:mod:`etp.formatting` rounds at the edge). They are the
reference implementation of every definition: :mod:`etp.indicators_tableau` computes the same
figures for thousands of AFs at once with NumPy and is tested against them; aggregates over
several AFs live in :mod:`etp.aggregation`.

Notation: ``C`` = ``etp_postes_insertion`` (conventioned ETP, a monthly level), ``H`` =
``duree_heure_annuel_etp`` (hours of one annual ETP, always read from the AF row).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal

from etp.regles import dernier_mois_compte, ratio

ETAT_VALIDE = "VALIDE"
ETATS = ("VALIDE", "DEBLOQUE", "SAISI", "BROUILLON")

SOUS_CONSOMMATION = "sous-consommation"
SUR_CONSOMMATION = "sur-consommation"
CONFORME = "conforme"

_CENT = Decimal("0.01")
_NOISE = Decimal("1e-9")


@dataclass(frozen=True)
class AFInputs:
    """What the indicators need from one AF row."""

    date_debut: date
    date_fin: date
    etp_postes_insertion: float | None
    duree_heure_annuel_etp: float | None
    montant_unitaire_annuel: float | None = None


@dataclass(frozen=True)
class EtatMois:
    """One AF × month of ``etat_mensuel``: state and hours summed over its EMI rows."""

    etat: str
    heures: float
    nb_salaries: int = 0


@dataclass(slots=True)
class IndicateursMois:
    """One month of one AF. ``etat`` is ``None`` when nothing was entered (non saisi).

    ``valide`` means validated *and* not after the as-of month: only such months carry a
    realised ETP (``etp_mensuel_realise``), whatever the state stored in the database.
    """

    mois: int
    conventionne: bool
    etp_mensuel_conventionne: float
    etat: str | None
    heures: float | None
    nb_salaries: int | None
    valide: bool
    etp_mensuel_realise: float | None
    taux_realisation_mensuel: float | None


@dataclass(frozen=True)
class IndicateursAnnee:
    """Every annual figure of one AF × year, unrounded. Rates are fractions (0.37 = 37 %)."""

    annee: int
    as_of: tuple[int, int] | None
    etp_mensuel_conventionne: float
    nb_mois_conventionnes: int
    etp_annuel_conventionne: float
    nb_mois_valides: int
    dernier_mois_valide: int | None
    etp_mensuel_realise_moyen: float | None
    etp_annuel_realise: float
    taux_realisation_annuel: float | None
    statut_consommation: str | None
    ecart_etp_mensuel: float | None
    ecart_pct: float | None
    projection_etp_annuel: float | None
    taux_projection_annuel: float | None
    montant_unitaire_annuel: float | None
    montant_annuel_conventionne: float | None
    montant_annuel_realise: float | None
    montant_annuel_projete: float | None
    mois: list[IndicateursMois] = field(default_factory=list)


def mois_conventionnes(date_debut: date, date_fin: date, annee: int) -> list[int]:
    """Months (1-12) of ``annee`` of which the period [date_debut, date_fin] covers at least a day.

    An AF therefore belongs to every year its period touches, not only to its start year. A
    period covers a day of month M exactly when M lies between the month of its first day and
    the month of its last day, so this compares month numbers (it runs for every AF and year).
    """
    if date_fin < date_debut:
        return []
    premier = 1 if date_debut.year < annee else date_debut.month if date_debut.year == annee else 13
    dernier = 12 if date_fin.year > annee else date_fin.month if date_fin.year == annee else 0
    return list(range(premier, dernier + 1))


def etp_mensuel_realise(heures: float, duree_heure_annuel_etp: float | None) -> float | None:
    """Realised ETP of one validated month: hours × 12 / H (``None`` when H is unknown or 0)."""
    if not duree_heure_annuel_etp:
        return None
    return heures * 12 / duree_heure_annuel_etp


def tronque(value: float) -> Decimal:
    """``value`` truncated to 2 decimals, without float artefacts.

    The float is first rounded to 9 decimals so that 17.17 stored as 17.169999999999998 stays
    17.17 (a plain truncation would give 17.16), then truncated toward zero.
    """
    return Decimal(value).quantize(_NOISE, rounding=ROUND_HALF_EVEN).quantize(_CENT, ROUND_DOWN)


def statut_consommation(moyen: float | None, conventionne: float | None) -> str | None:
    """Compare the monthly realised average with ``C``, both truncated to 2 decimals.

    ``None`` when there is no average (no validated month) or no conventioned level.
    """
    if moyen is None or conventionne is None:
        return None
    a, c = tronque(moyen), tronque(conventionne)
    if a > c:
        return SUR_CONSOMMATION
    if a < c:
        return SOUS_CONSOMMATION
    return CONFORME


def _fois(value: float | None, facteur: float | None) -> float | None:
    return None if value is None or facteur is None else value * facteur


def indicateurs_annee(
    af: AFInputs,
    etats_par_mois: Mapping[int, EtatMois],
    annee: int,
    as_of: tuple[int, int] | None = None,
) -> IndicateursAnnee:
    """Every indicator of domain.md §4 for one AF over calendar year ``annee``.

    ``etats_par_mois`` maps a month (1-12) of ``annee`` to its aggregated EMI row (absent = non
    saisi). Months after ``as_of`` (year, month) are not counted as validated, whatever their
    state: that is how a user looks at the figures "as they were at the end of August".
    ``as_of=None`` counts every validated month.
    """
    c = af.etp_postes_insertion or 0.0
    h = af.duree_heure_annuel_etp
    conventionnes = set(mois_conventionnes(af.date_debut, af.date_fin, annee))
    limite = dernier_mois_compte(annee, as_of)

    mois_list: list[IndicateursMois] = []
    realises: list[float] = []
    dernier_valide: int | None = None
    for mois in range(1, 13):
        conventionne = mois in conventionnes
        etat_mois = etats_par_mois.get(mois)
        etat = etat_mois.etat if etat_mois else None
        valide = etat == ETAT_VALIDE and mois <= limite
        realise = etp_mensuel_realise(etat_mois.heures, h) if valide and etat_mois else None
        c_mois = c if conventionne else 0.0
        if conventionne and realise is not None:
            realises.append(realise)
            dernier_valide = mois
        mois_list.append(
            IndicateursMois(
                mois=mois,
                conventionne=conventionne,
                etp_mensuel_conventionne=c_mois,
                etat=etat,
                heures=etat_mois.heures if etat_mois else None,
                nb_salaries=etat_mois.nb_salaries if etat_mois else None,
                valide=valide,
                etp_mensuel_realise=realise,
                taux_realisation_mensuel=ratio(realise, c_mois) if conventionne else None,
            )
        )

    d = len(conventionnes)
    n = len(realises)
    annuel_conventionne = c * d / 12
    annuel_realise = sum(realises) / 12
    moyen = sum(realises) / n if n else None
    ecart = None if moyen is None else moyen - c
    projection = None if moyen is None else annuel_realise + moyen * (d - n) / 12
    aide = af.montant_unitaire_annuel
    return IndicateursAnnee(
        annee=annee,
        as_of=as_of,
        etp_mensuel_conventionne=c,
        nb_mois_conventionnes=d,
        etp_annuel_conventionne=annuel_conventionne,
        nb_mois_valides=n,
        dernier_mois_valide=dernier_valide,
        etp_mensuel_realise_moyen=moyen,
        etp_annuel_realise=annuel_realise,
        taux_realisation_annuel=ratio(annuel_realise, annuel_conventionne),
        statut_consommation=statut_consommation(moyen, af.etp_postes_insertion),
        ecart_etp_mensuel=ecart,
        ecart_pct=ratio(ecart, c),
        projection_etp_annuel=projection,
        taux_projection_annuel=ratio(projection, annuel_conventionne),
        montant_unitaire_annuel=aide,
        montant_annuel_conventionne=_fois(annuel_conventionne, aide),
        montant_annuel_realise=_fois(annuel_realise, aide),
        montant_annuel_projete=_fois(projection, aide),
        mois=mois_list,
    )

"""Bourse aux postes: what an adjustment of conventioned ETP does to each AF and to the envelope.

Pure functions on the annual frame of a selection (:func:`etp.selection.charger`, one row per
AF): nothing here reads the database, and nothing ever changes the imported data. Rules
(docs/definitions.md, « Bourse aux postes »):

- **A change from month m** of Δ ETP (monthly level) counts for the conventioned months of the
  AF from m to the end of the year: new annual conventioned = C × d / 12 + Δ × n / 12, with n
  the AF's conventioned months ≥ m in the year (:func:`etp.indicators.mois_conventionnes`).
- **Euros** at the AF's own aid per ETP: Δ annual × ``montant_unitaire_annuel``.
- **Projection**: the one "Projection fin d'année" (:func:`etp.aggregation.projection_retenue`;
  an AF without any validated month counts at its envelope, so at its new envelope here). The
  new projected rate is projection / new annual conventioned; the projected status compares the
  two with :func:`etp.indicators.statut_consommation`.
- **Validation** (:func:`valider`): the AF is in the scope's frame, the month is after the as-of
  month and conventioned, the monthly level stays ≥ 0 and the new annual conventioned stays ≥
  what the AF has already realised.
- **Balance** (:func:`bilan`): envelope before / after in ETP and euros, ETP and euros moved;
  the scenario is within the envelope when the euros after do not exceed the euros before.
- **Suggestion** (:func:`suggestion`): the projected gap (projection − envelope) spread over the
  months left after the as-of month, i.e. give back a projected surplus, ask for a projected
  need; none for an AF without a validated month (nothing says how it consumes).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from etp.aggregation import projection_retenue
from etp.indicators import mois_conventionnes, statut_consommation
from etp.regles import AsOf, dernier_mois_compte, ratio

#: Tolerance of the comparisons on sums of floats (a millionth of an ETP or of a euro).
EPSILON = 1e-6


class AjustementInvalide(ValueError):
    """A refused adjustment; ``str()`` is the French message shown to the user."""


@dataclass(frozen=True)
class Ajustement:
    """Δ ETP (monthly conventioned level) for one AF from ``mois`` (1-12) of the year."""

    af_id: int
    delta_etp: float
    mois: int


@dataclass(frozen=True)
class Effet:
    """One AF before and after its adjustment (unrounded)."""

    af_id: int
    numero: str
    structure_id: int
    structure: str
    delta_etp: float
    mois: int
    nb_mois_restants: int
    etp_mensuel_conventionne: float
    etp_annuel_conventionne_avant: float
    etp_annuel_conventionne_apres: float
    delta_etp_annuel: float
    aide_par_etp: float
    montant_avant: float
    montant_apres: float
    delta_euros: float
    etp_annuel_realise: float
    projection_etp: float
    taux_projete_avant: float | None
    taux_projete_apres: float | None
    statut_projete_avant: str | None
    statut_projete_apres: str | None


@dataclass(frozen=True)
class Bilan:
    """The territory's balance of a scenario (unrounded)."""

    nb_af_modifiees: int
    enveloppe_etp_avant: float
    enveloppe_etp_apres: float
    enveloppe_euros_avant: float
    enveloppe_euros_apres: float
    etp_ajoutes: float
    etp_retires: float
    euros_ajoutes: float
    euros_retires: float
    solde_etp: float
    solde_euros: float
    dans_enveloppe: bool


def _float(x: object) -> float:
    return 0.0 if x is None or pd.isna(x) else float(x)  # type: ignore[arg-type]


def _date(x: object) -> date:
    return x.date() if isinstance(x, pd.Timestamp) else x  # type: ignore[return-value]


def mois_restants(date_debut: date, date_fin: date, annee: int, mois: int) -> int:
    """How many conventioned months of ``annee`` the AF has from ``mois`` on (``mois`` included)."""
    return sum(1 for m in mois_conventionnes(date_debut, date_fin, annee) if m >= mois)


def premier_mois_modifiable(annee: int, as_of: AsOf | None) -> int:
    """The first month of ``annee`` an adjustment may start from: the one after the as-of month
    (13 when the year is over: no month is left)."""
    return dernier_mois_compte(annee, as_of) + 1


def _ligne(annuel: pd.DataFrame, af_id: int) -> pd.Series | None:
    lignes = annuel[annuel["id_annexe_financiere"].astype(int) == int(af_id)]
    return None if lignes.empty else lignes.iloc[0]


def valider(annuel: pd.DataFrame, ajustement: Ajustement, annee: int, as_of: AsOf | None) -> None:
    """Raise :class:`AjustementInvalide` (French message) unless ``ajustement`` may apply to
    the AFs of ``annuel`` (the scoped frame: an AF not in it is outside the scope)."""
    ligne = _ligne(annuel, ajustement.af_id)
    if ligne is None:
        raise AjustementInvalide(
            "Cette annexe financière n'est pas dans votre périmètre pour cette année."
        )
    _verifier(ligne, ajustement, annee, as_of)


def _verifier(
    ligne: Mapping[str, Any], ajustement: Ajustement, annee: int, as_of: AsOf | None
) -> None:
    """:func:`valider` on the AF's row (a Series or a dict of its columns)."""
    numero = ligne["numero_annexe_financiere"]
    delta = ajustement.delta_etp
    if not math.isfinite(delta):
        raise AjustementInvalide(f"Annexe {numero} : l'ajustement doit être un nombre d'ETP.")
    if not 1 <= ajustement.mois <= 12:
        raise AjustementInvalide(f"Annexe {numero} : choisissez un mois entre janvier et décembre.")
    premier = premier_mois_modifiable(annee, as_of)
    if ajustement.mois < premier:
        raise AjustementInvalide(
            f"Annexe {numero} : le mois {ajustement.mois:02d}/{annee} est déjà passé "
            "(les données vont jusque-là) ; choisissez un mois à venir."
        )
    n = mois_restants(_date(ligne["date_debut"]), _date(ligne["date_fin"]), annee, ajustement.mois)
    if n == 0:
        raise AjustementInvalide(
            f"Annexe {numero} : elle n'est plus conventionnée à partir du mois "
            f"{ajustement.mois:02d}/{annee}."
        )
    c = _float(ligne["etp_mensuel_conventionne"])
    if c + delta < -EPSILON:
        raise AjustementInvalide(
            f"Annexe {numero} : l'effectif mensuel conventionné ne peut pas devenir négatif "
            f"(il est de {c:.2f} ETP)."
        )
    apres = _float(ligne["etp_annuel_conventionne"]) + delta * n / 12
    realise = _float(ligne["etp_annuel_realise"])
    if apres < realise - EPSILON:
        raise AjustementInvalide(
            f"Annexe {numero} : l'effectif annuel conventionné ({apres:.2f} ETP) passerait sous "
            f"ce qu'elle a déjà réalisé ({realise:.2f} ETP)."
        )


def effet(
    annuel: pd.DataFrame,
    ajustement: Ajustement,
    annee: int,
    as_of: AsOf | None,
    *,
    verifier: bool = True,
) -> Effet:
    """The AF before and after ``ajustement`` (validated first unless ``verifier`` is false:
    a request already sent, shown again once its month has passed)."""
    if verifier:
        valider(annuel, ajustement, annee, as_of)
    ligne = _ligne(annuel, ajustement.af_id)
    if ligne is None:
        raise AjustementInvalide(
            "Cette annexe financière n'est pas dans votre périmètre pour cette année."
        )
    disponible, retenue = projection_retenue(annuel.loc[[ligne.name]])
    return _effet(ligne, ajustement, annee, bool(disponible.iloc[0]), float(retenue.iloc[0]))


def _effet(
    ligne: Mapping[str, Any],
    ajustement: Ajustement,
    annee: int,
    disponible: bool,
    projection_avant: float,
) -> Effet:
    """:func:`effet` on the AF's row, its projection being known (:func:`projection_retenue`)."""
    n = mois_restants(_date(ligne["date_debut"]), _date(ligne["date_fin"]), annee, ajustement.mois)
    avant = _float(ligne["etp_annuel_conventionne"])
    delta_annuel = ajustement.delta_etp * n / 12
    apres = avant + delta_annuel
    aide = _float(ligne["montant_unitaire_annuel"])
    # Without a validated month the AF counts at its envelope: at its new envelope afterwards.
    projection = projection_avant if disponible else apres
    return Effet(
        af_id=int(ajustement.af_id),
        numero=str(ligne["numero_annexe_financiere"]),
        structure_id=int(ligne["structure_id"]),
        structure=str(ligne["structure_denomination"]),
        delta_etp=ajustement.delta_etp,
        mois=ajustement.mois,
        nb_mois_restants=n,
        etp_mensuel_conventionne=_float(ligne["etp_mensuel_conventionne"]),
        etp_annuel_conventionne_avant=avant,
        etp_annuel_conventionne_apres=apres,
        delta_etp_annuel=delta_annuel,
        aide_par_etp=aide,
        montant_avant=avant * aide,
        montant_apres=apres * aide,
        delta_euros=delta_annuel * aide,
        etp_annuel_realise=_float(ligne["etp_annuel_realise"]),
        projection_etp=projection,
        taux_projete_avant=ratio(projection_avant, avant),
        taux_projete_apres=ratio(projection, apres),
        statut_projete_avant=statut_consommation(projection_avant, avant),
        statut_projete_apres=statut_consommation(projection, apres),
    )


#: The columns of the annual frame that :func:`_verifier` and :func:`_effet` read.
_COLONNES_EFFET = (
    "id_annexe_financiere",
    "numero_annexe_financiere",
    "structure_id",
    "structure_denomination",
    "date_debut",
    "date_fin",
    "etp_mensuel_conventionne",
    "etp_annuel_conventionne",
    "etp_annuel_realise",
    "montant_unitaire_annuel",
)


def effets(
    annuel: pd.DataFrame, ajustements: Iterable[Ajustement], annee: int, as_of: AsOf | None
) -> tuple[list[Effet], list[str]]:
    """The effect of every valid adjustment (a zero Δ is no change) and the French messages of
    the refused ones; one adjustment per AF (a second one for the same AF is refused)."""
    resultats: list[Effet] = []
    erreurs: list[str] = []
    vus: set[int] = set()
    # one pass over the frame, not one per adjustment (a national scenario has thousands)
    positions = {int(i): p for p, i in enumerate(annuel["id_annexe_financiere"])}
    disponible, retenue = projection_retenue(annuel)
    disponibles, retenues = disponible.tolist(), retenue.tolist()
    lignes = annuel[[c for c in _COLONNES_EFFET if c in annuel]].to_dict("records")
    for a in ajustements:
        if a.delta_etp == 0:
            continue
        if a.af_id in vus:
            erreurs.append("Une annexe financière ne peut avoir qu'un ajustement par scénario.")
            continue
        vus.add(a.af_id)
        p = positions.get(int(a.af_id))
        if p is None:
            erreurs.append(
                "Cette annexe financière n'est pas dans votre périmètre pour cette année."
            )
            continue
        try:
            _verifier(lignes[p], a, annee, as_of)
        except AjustementInvalide as exc:
            erreurs.append(str(exc))
            continue
        resultats.append(_effet(lignes[p], a, annee, bool(disponibles[p]), float(retenues[p])))
    return resultats, erreurs


def bilan(annuel: pd.DataFrame, resultats: Iterable[Effet]) -> Bilan:
    """Envelope of the whole frame before / after the adjustments, and what moved."""
    liste = list(resultats)
    enveloppe_etp = float(annuel["etp_annuel_conventionne"].astype(float).sum())
    aide = annuel["montant_unitaire_annuel"].astype(float).fillna(0.0)
    enveloppe_euros = float((annuel["etp_annuel_conventionne"].astype(float) * aide).sum())
    etp_plus = sum(e.delta_etp_annuel for e in liste if e.delta_etp_annuel > 0)
    etp_moins = -sum(e.delta_etp_annuel for e in liste if e.delta_etp_annuel < 0)
    euros_plus = sum(e.delta_euros for e in liste if e.delta_euros > 0)
    euros_moins = -sum(e.delta_euros for e in liste if e.delta_euros < 0)
    solde_euros = euros_plus - euros_moins
    return Bilan(
        nb_af_modifiees=len(liste),
        enveloppe_etp_avant=enveloppe_etp,
        enveloppe_etp_apres=enveloppe_etp + etp_plus - etp_moins,
        enveloppe_euros_avant=enveloppe_euros,
        enveloppe_euros_apres=enveloppe_euros + solde_euros,
        etp_ajoutes=etp_plus,
        etp_retires=etp_moins,
        euros_ajoutes=euros_plus,
        euros_retires=euros_moins,
        solde_etp=etp_plus - etp_moins,
        solde_euros=solde_euros,
        dans_enveloppe=solde_euros <= EPSILON,
    )


def suggestion(ligne: pd.Series, annee: int, as_of: AsOf | None) -> Ajustement | None:
    """The adjustment that brings the AF's envelope to its projection from the first month
    that may change: Δ = (projection − envelope) × 12 / months left (never below −C), truncated
    toward zero to the hundredth of an ETP (what an agent types). ``None`` when the AF has no
    validated month, no month left, or a gap under a hundredth."""
    return _suggestion(
        int(ligne["id_annexe_financiere"]),
        ligne["projection_etp_annuel"],
        ligne["etp_annuel_conventionne"],
        ligne["etp_mensuel_conventionne"],
        ligne["date_debut"],
        ligne["date_fin"],
        annee,
        premier_mois_modifiable(annee, as_of),
    )


def _suggestion(
    af_id: int,
    projection: object,
    annuel_conventionne: object,
    mensuel_conventionne: object,
    debut: object,
    fin: object,
    annee: int,
    premier: int,
) -> Ajustement | None:
    """:func:`suggestion` on the row's values (``premier``: the first month that may change)."""
    if projection is None or pd.isna(projection) or premier > 12:  # type: ignore[arg-type]
        return None
    restants = [m for m in mois_conventionnes(_date(debut), _date(fin), annee) if m >= premier]
    if not restants:
        return None
    ecart = float(projection) - _float(annuel_conventionne)  # type: ignore[arg-type]
    # never below a zero monthly level
    brut = max(ecart * 12 / len(restants), -_float(mensuel_conventionne))
    delta = math.trunc(round(brut * 100, 6)) / 100
    if delta == 0:
        return None
    return Ajustement(af_id, delta, restants[0])


def suggestions(annuel: pd.DataFrame, annee: int, as_of: AsOf | None) -> dict[int, Ajustement]:
    """:func:`suggestion` for every AF of the frame that has one, by AF id (one pass over the
    columns: a national frame has thousands of rows)."""
    premier = premier_mois_modifiable(annee, as_of)
    out: dict[int, Ajustement] = {}
    colonnes = (
        "id_annexe_financiere",
        "projection_etp_annuel",
        "etp_annuel_conventionne",
        "etp_mensuel_conventionne",
        "date_debut",
        "date_fin",
    )
    for af_id, projection, annuel_c, mensuel_c, debut, fin in zip(
        *(annuel[c].tolist() for c in colonnes), strict=True
    ):
        s = _suggestion(int(af_id), projection, annuel_c, mensuel_c, debut, fin, annee, premier)
        if s is not None:
            out[s.af_id] = s
    return out


COLONNES_TABLEAU: tuple[str, ...] = (
    "id_annexe_financiere",
    "numero_annexe_financiere",
    "structure_id",
    "structure_denomination",
    "departement",
    "etp_mensuel_conventionne",
    "etp_annuel_conventionne",
    "montant_unitaire_annuel",
    "montant_annuel_conventionne",
    "etp_annuel_realise",
    "projection_disponible",
    "projection_fin_annee_etp",
    "montant_projection_fin_annee",
    "ecart_projection_etp",
    "ecart_projection_euros",
    "statut",
    "suggestion_etp",
    "suggestion_mois",
)


def tableau(annuel: pd.DataFrame, annee: int, as_of: AsOf | None) -> pd.DataFrame:
    """One row per AF of the frame: envelope, projection and projected gap in ETP and euros
    (:func:`etp.pilotage.synthese.enrichir`, the funders' tab's own figures) and the
    suggestion (:func:`suggestion`; NaN when none). Sorted by structure then AF number."""
    from etp.pilotage.synthese import enrichir

    df = (
        enrichir(annuel)
        if len(annuel)
        else annuel.assign(
            projection_disponible=[],
            projection_fin_annee_etp=[],
            montant_projection_fin_annee=[],
            ecart_projection_etp=[],
            ecart_projection_euros=[],
            statut=[],
        )
    )
    propositions = suggestions(annuel, annee, as_of)
    ids = df["id_annexe_financiere"].astype(int)
    df["suggestion_etp"] = [
        propositions[i].delta_etp if i in propositions else float("nan") for i in ids
    ]
    df["suggestion_mois"] = [propositions[i].mois if i in propositions else None for i in ids]
    df = df.sort_values(["structure_denomination", "numero_annexe_financiere"])
    return df[list(COLONNES_TABLEAU)].reset_index(drop=True)


COLONNES_EFFETS: tuple[str, ...] = tuple(Effet.__dataclass_fields__)


def cadre_effets(resultats: Iterable[Effet]) -> pd.DataFrame:
    """The effects as a frame (one row per changed AF, columns :data:`COLONNES_EFFETS`)."""
    return pd.DataFrame(
        [{c: getattr(e, c) for c in COLONNES_EFFETS} for e in resultats],
        columns=list(COLONNES_EFFETS),
    )

"""Bourse aux postes: the SIAE's adjustment requests and the funders' answers, scoped.

Every function takes the session's :class:`etp.scope.Scope`: a request is read, written or
answered only through an AF inside that scope (SQL join on ``annexe_financiere`` with
:meth:`Scope.af_condition`), so an SIAE reaches only its own AFs and a funder only those of its
territory. The checks of the figures themselves are :func:`etp.bourse.valider`'s. Nothing here
changes the imported data.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, select, update

from etp import bourse, scenarios
from etp.regles import AsOf
from etp.schema import AnnexeFinanciere, DemandeAjustement, Structure
from etp.scope import Scope

ENVOYEE, ACCEPTEE, REFUSEE = "envoyee", "acceptee", "refusee"
LIBELLES_ETAT = {ENVOYEE: "envoyée", ACCEPTEE: "acceptée", REFUSEE: "refusée"}
JUSTIFICATION_MAX = 2000
REPONSE_MAX = 2000


class DemandeRefusee(ValueError):
    """A refused request or answer; ``str()`` is the French message shown to the user."""


@dataclass(frozen=True)
class Demande:
    """One request as the screens read it (with the AF's identity)."""

    id: int
    af_id: int
    numero: str
    structure_id: int
    structure: str
    departement: str
    annee: int
    delta_etp: float
    mois: int
    justification: str
    etat: str
    auteur: str
    cree_le: datetime
    reponse: str | None
    repondu_par: str | None
    repondu_le: datetime | None
    scenario_id: int | None

    @property
    def etat_libelle(self) -> str:
        return LIBELLES_ETAT.get(self.etat, self.etat)


def envoyer(
    engine: Engine,
    scope: Scope,
    annuel: pd.DataFrame,
    ajustement: bourse.Ajustement,
    justification: str,
    *,
    annee: int,
    as_of: AsOf | None,
    auteur: str,
    quand: datetime,
) -> int:
    """Store a request on an AF of ``annuel`` (the scoped frame of ``annee``) after the checks
    of :func:`etp.bourse.valider`; the AF is checked against ``scope`` in SQL as well."""
    texte = (justification or "").strip()
    if not texte:
        raise DemandeRefusee("Expliquez votre demande en quelques mots (justification).")
    if len(texte) > JUSTIFICATION_MAX:
        raise DemandeRefusee(f"La justification dépasse {JUSTIFICATION_MAX} caractères.")
    if ajustement.delta_etp == 0:
        raise DemandeRefusee("Indiquez un nombre d'ETP en plus ou en moins (différent de 0).")
    try:
        bourse.valider(annuel, ajustement, annee, as_of)
    except bourse.AjustementInvalide as exc:
        raise DemandeRefusee(str(exc)) from None
    with engine.begin() as conn:
        dans_perimetre = conn.execute(
            select(AnnexeFinanciere.id).where(
                AnnexeFinanciere.id == int(ajustement.af_id), scope.af_condition()
            )
        ).first()
        if dans_perimetre is None:
            raise DemandeRefusee(
                "Cette annexe financière n'est pas dans votre périmètre pour cette année."
            )
        result = conn.execute(
            DemandeAjustement.__table__.insert().values(
                af_id=int(ajustement.af_id),
                annee=int(annee),
                delta_etp=float(ajustement.delta_etp),
                mois=int(ajustement.mois),
                justification=texte,
                etat=ENVOYEE,
                auteur=auteur,
                cree_le=quand,
            )
        )
        return int(result.inserted_primary_key[0])


def _requete(scope: Scope):
    d, af = DemandeAjustement, AnnexeFinanciere
    return (
        select(
            d.id,
            d.af_id,
            af.numero,
            af.structure_id,
            Structure.denomination,
            af.departement_code,
            d.annee,
            d.delta_etp,
            d.mois,
            d.justification,
            d.etat,
            d.auteur,
            d.cree_le,
            d.reponse,
            d.repondu_par,
            d.repondu_le,
            d.scenario_id,
        )
        .join(af, af.id == d.af_id)
        .outerjoin(Structure, Structure.id == af.structure_id)
        .where(scope.af_condition(af))
    )


def _demande(row) -> Demande:
    valeurs = list(row)
    valeurs[4] = valeurs[4] or f"structure {valeurs[3]}"
    return Demande(*valeurs)


def lister(
    engine: Engine, scope: Scope, annee: int | None = None, etat: str | None = None
) -> list[Demande]:
    """The requests on AFs of ``scope`` (of ``annee``, in state ``etat``), newest first."""
    q = _requete(scope)
    if annee is not None:
        q = q.where(DemandeAjustement.annee == int(annee))
    if etat is not None:
        q = q.where(DemandeAjustement.etat == etat)
    q = q.order_by(DemandeAjustement.cree_le.desc(), DemandeAjustement.id.desc())
    with engine.connect() as conn:
        return [_demande(r) for r in conn.execute(q)]


def lire(engine: Engine, scope: Scope, demande_id: int) -> Demande | None:
    """One request, ``None`` when unknown or outside ``scope`` (the two are not told apart)."""
    with engine.connect() as conn:
        row = conn.execute(_requete(scope).where(DemandeAjustement.id == int(demande_id))).first()
    return None if row is None else _demande(row)


def repondre(
    engine: Engine,
    scope: Scope,
    demande_id: int,
    *,
    accepter: bool,
    message: str,
    auteur: str,
    quand: datetime,
    scenario_id: int | None = None,
    organisation_id: int | None = None,
) -> Demande:
    """Accept or refuse a pending request of ``scope`` with a message; returns it answered.

    Accepted from a scenario (``scenario_id``, of ``auteur`` in ``organisation_id``), the
    request's adjustment becomes that scenario's line on the AF, in the same transaction: a
    scenario of someone else refuses the answer (:func:`etp.scenarios.poser_ligne`)."""
    texte = (message or "").strip()
    if len(texte) > REPONSE_MAX:
        raise DemandeRefusee(f"La réponse dépasse {REPONSE_MAX} caractères.")
    if not accepter and not texte:
        raise DemandeRefusee("Expliquez le refus à la structure (message).")
    demande = lire(engine, scope, demande_id)
    if demande is None:
        raise DemandeRefusee("Cette demande n'existe pas ou n'est pas dans votre périmètre.")
    if demande.etat != ENVOYEE:
        raise DemandeRefusee(f"Cette demande a déjà été {demande.etat_libelle}.")
    with engine.begin() as conn:
        faite = conn.execute(
            update(DemandeAjustement)
            .where(DemandeAjustement.id == demande.id, DemandeAjustement.etat == ENVOYEE)
            .values(
                etat=ACCEPTEE if accepter else REFUSEE,
                reponse=texte or None,
                repondu_par=auteur,
                repondu_le=quand,
                scenario_id=scenario_id,
            )
        ).rowcount
        if faite and accepter and scenario_id is not None:
            try:
                scenarios.poser_ligne(
                    conn,
                    scenario_id,
                    bourse.Ajustement(demande.af_id, demande.delta_etp, demande.mois),
                    auteur=auteur,
                    organisation_id=int(organisation_id or 0),
                    quand=quand,
                )
            except scenarios.ScenarioRefuse as exc:
                raise DemandeRefusee(str(exc)) from None
    if not faite:  # answered meanwhile by a colleague
        raise DemandeRefusee("Cette demande vient d'être traitée par un collègue.")
    resultat = lire(engine, scope, demande.id)
    assert resultat is not None
    return resultat

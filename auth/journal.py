"""The audit log: who logged in (or failed to), who downloaded what with which filters, who
changed which account or organisation, who imported which files — kept
``JOURNAL_RETENTION_JOURS`` days and read by administrators on ``/admin/journal``.

Lines are written in the caller's transaction when there is one (an account change and its
line commit together) or in their own (a login, an export, an import).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, delete, func, or_, select
from sqlalchemy.orm import Session

from auth.models import EvenementJournal

#: action -> what the administrator reads.
ACTIONS: dict[str, str] = {
    "connexion": "Connexion",
    "connexion_echouee": "Échec de connexion",
    "connexion_bloquee": "Connexion refusée (trop d'échecs)",
    "deconnexion": "Déconnexion",
    "export": "Téléchargement",
    "compte_cree": "Compte créé",
    "compte_desactive": "Compte désactivé",
    "compte_active": "Compte réactivé",
    "mot_de_passe_change": "Mot de passe changé",
    "adhesion_ajoutee": "Organisation ajoutée à un compte",
    "auto_attribution": "Organisation ajoutée à son propre compte",
    "adhesion_retiree": "Organisation retirée d'un compte",
    "import": "Import de fichiers fluxIAE",
    "demande_envoyee": "Bourse aux postes : demande d'ajustement envoyée",
    "demande_repondue": "Bourse aux postes : réponse à une demande",
    "scenario_enregistre": "Bourse aux postes : scénario enregistré",
    "scenario_duplique": "Bourse aux postes : scénario dupliqué",
    "scenario_supprime": "Bourse aux postes : scénario supprimé",
    "fiche_pdf": "Fiche structure téléchargée (PDF)",
    "note_ajoutee": "Note de terrain ajoutée",
    "note_modifiee": "Note de terrain modifiée",
}
RETENTION_JOURS = 365
MAX_TEXTE = 254


@dataclass(frozen=True)
class Acteur:
    """Who acts: an account (id and e-mail), or a command line (``id`` None, ``email`` like
    ``"ligne de commande (root)"``), and from which address."""

    email: str | None
    id: int | None = None
    adresse: str | None = None


@dataclass(frozen=True)
class FiltreJournal:
    """What the administrator asks for on the Journal page (every field optional)."""

    action: str | None = None
    compte: str | None = None  # part of the actor's or the target's e-mail
    du: date | None = None
    au: date | None = None


def _court(texte: str | None) -> str | None:
    return None if texte is None else str(texte)[:MAX_TEXTE]


def ligne(
    action: str,
    acteur: Acteur,
    *,
    cible: str | None = None,
    details: Mapping[str, Any] | None = None,
    maintenant: datetime | None = None,
) -> EvenementJournal:
    """The line for ``action`` (a key of :data:`ACTIONS`)."""
    if action not in ACTIONS:
        raise ValueError(f"action de journal inconnue : {action}")
    return EvenementJournal(
        horodatage=maintenant or datetime.now(),
        action=action,
        acteur_id=acteur.id,
        acteur_email=_court(acteur.email),
        cible=_court(cible),
        adresse=_court(acteur.adresse),
        details=json.dumps(dict(details), ensure_ascii=False, default=str) if details else None,
    )


def ajouter(session: Session, action: str, acteur: Acteur, **kwargs: Any) -> None:
    """Write a line in the caller's transaction (it commits with the change it records)."""
    session.add(ligne(action, acteur, **kwargs))


def enregistrer(engine: Engine, action: str, acteur: Acteur, **kwargs: Any) -> None:
    """Write a line in its own transaction."""
    with Session(engine) as session, session.begin():
        ajouter(session, action, acteur, **kwargs)


def _conditions(filtre: FiltreJournal) -> list:
    conds = []
    if filtre.action:
        conds.append(EvenementJournal.action == filtre.action)
    if filtre.compte:
        motif = f"%{filtre.compte.strip().lower()}%"
        conds.append(
            or_(
                func.lower(EvenementJournal.acteur_email).like(motif),
                func.lower(EvenementJournal.cible).like(motif),
            )
        )
    if filtre.du:
        debut = datetime.combine(filtre.du, datetime.min.time())
        conds.append(EvenementJournal.horodatage >= debut)
    if filtre.au:
        lendemain = datetime.combine(filtre.au + timedelta(days=1), datetime.min.time())
        conds.append(EvenementJournal.horodatage < lendemain)
    return conds


def lire(
    engine: Engine, filtre: FiltreJournal, *, limite: int = 100, decalage: int = 0
) -> tuple[list[EvenementJournal], int]:
    """(lines, newest first, of one page; how many match in all)."""
    conds = _conditions(filtre)
    with Session(engine, expire_on_commit=False) as session:
        total = session.scalar(select(func.count()).select_from(EvenementJournal).where(*conds))
        rows = session.scalars(
            select(EvenementJournal)
            .where(*conds)
            .order_by(EvenementJournal.horodatage.desc(), EvenementJournal.id.desc())
            .limit(limite)
            .offset(decalage)
        ).all()
        session.expunge_all()
    return list(rows), int(total or 0)


def purger(engine: Engine, jours: int, maintenant: datetime | None = None) -> int:
    """Delete the lines older than ``jours`` days; returns how many. ``jours <= 0`` keeps all."""
    if jours <= 0:
        return 0
    limite = (maintenant or datetime.now()) - timedelta(days=jours)
    with Session(engine) as session, session.begin():
        result = session.execute(
            delete(EvenementJournal).where(EvenementJournal.horodatage < limite)
        )
        return int(result.rowcount or 0)


def details(evenement: EvenementJournal) -> dict[str, Any]:
    """The ``details`` of a line as a dict (empty when none)."""
    if not evenement.details:
        return {}
    try:
        value = json.loads(evenement.details)
    except ValueError:
        return {"texte": evenement.details}
    return value if isinstance(value, dict) else {"valeur": value}


def resume(evenement: EvenementJournal) -> str:
    """The details in one French line (``card : mensuel-kpis ; format : xlsx``)."""
    morceaux = []
    for cle, valeur in details(evenement).items():
        if isinstance(valeur, dict):
            valeur = ", ".join(f"{k} = {v}" for k, v in valeur.items() if v not in (None, ""))
        elif isinstance(valeur, list):
            valeur = ", ".join(str(v) for v in valeur)
        morceaux.append(f"{cle} : {valeur}")
    return " ; ".join(morceaux)


def acteur_requete(email: str | None = None) -> Acteur:
    """The logged-in user of the current request (or ``email`` for a login attempt), with
    the client's address (the real one behind a proxy with ``PROXY_FIX``)."""
    from flask import has_request_context, request
    from flask_login import current_user

    adresse = request.remote_addr if has_request_context() else None
    if email is None and has_request_context() and current_user.is_authenticated:
        return Acteur(email=current_user.email, id=current_user.id, adresse=adresse)
    return Acteur(email=email, adresse=adresse)


def acteur_ligne_de_commande() -> Acteur:
    """The operator of a ``suivi-etp`` command: the system account that ran it."""
    import getpass

    try:
        qui = getpass.getuser()
    except Exception:  # no login name (container without passwd entry)
        qui = "inconnu"
    return Acteur(email=f"ligne de commande ({qui})")

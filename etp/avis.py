"""« Donner votre avis »: record the answers, and what administrators read of them.

The net promoter score (NPS) is the share of promoters (9 or 10) minus the share of detractors
(0 to 6), in points from -100 to +100, over the answers of a period. Pure functions on values
(``nps``, ``tendance``) and two database calls (``enregistrer``, ``lister``); no Flask here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

import pandas as pd
from sqlalchemy import Engine, insert, select

from etp.schema import Avis

NOTE_MIN, NOTE_MAX = 0, 10
COMMENTAIRE_MAX = 2000
ONGLET_MAX = 40


class AvisInvalide(ValueError):
    """A refused answer; ``str()`` is the French message shown to the user."""


@dataclass(frozen=True)
class Reponse:
    """One answer as the form sends it (already typed)."""

    note: int
    indicateur_utilise: bool | None
    commentaire: str
    onglet: str | None
    roles: tuple[str, ...]
    email: str | None  # only when « recontactez-moi » is ticked


def verifier(reponse: Reponse) -> Reponse:
    """The answer cleaned (comment trimmed), or :class:`AvisInvalide` with a French message."""
    if not NOTE_MIN <= reponse.note <= NOTE_MAX:
        raise AvisInvalide("Choisissez une note entre 0 et 10.")
    commentaire = reponse.commentaire.strip()
    if len(commentaire) > COMMENTAIRE_MAX:
        raise AvisInvalide(f"Le commentaire dépasse {COMMENTAIRE_MAX} caractères.")
    onglet = (reponse.onglet or "").strip()[:ONGLET_MAX] or None
    return Reponse(
        note=reponse.note,
        indicateur_utilise=reponse.indicateur_utilise,
        commentaire=commentaire,
        onglet=onglet,
        roles=tuple(sorted(set(reponse.roles))),
        email=reponse.email,
    )


def enregistrer(engine: Engine, reponse: Reponse, quand: datetime) -> int:
    """Store a checked answer; returns its id."""
    reponse = verifier(reponse)
    with engine.begin() as conn:
        result = conn.execute(
            insert(Avis).values(
                date=quand,
                note=reponse.note,
                indicateur_utilise=reponse.indicateur_utilise,
                commentaire=reponse.commentaire or None,
                onglet=reponse.onglet,
                roles=",".join(reponse.roles) or "aucun",
                email=reponse.email,
            )
        )
        return int(result.inserted_primary_key[0])


COLONNES = ("id", "date", "note", "indicateur_utilise", "commentaire", "onglet", "roles", "email")


def lister(engine: Engine) -> pd.DataFrame:
    """Every answer, newest first, one row each (columns ``COLONNES``)."""
    query = select(*(getattr(Avis, c) for c in COLONNES)).order_by(Avis.date.desc(), Avis.id)
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    return pd.DataFrame(rows, columns=list(COLONNES))


def nps(notes: Iterable[int]) -> float | None:
    """Promoters' share minus detractors' share, in points (-100..100); None without answers."""
    valeurs = list(notes)
    if not valeurs:
        return None
    promoteurs = sum(1 for n in valeurs if n >= 9)
    detracteurs = sum(1 for n in valeurs if n <= 6)
    return (promoteurs - detracteurs) * 100 / len(valeurs)


def tendance(avis: pd.DataFrame) -> pd.DataFrame:
    """Per calendar month (oldest first): the number of answers and their NPS."""
    if avis.empty:
        return pd.DataFrame({"mois": [], "nb_reponses": [], "nps": []})
    mois = pd.to_datetime(avis["date"]).dt.to_period("M").dt.to_timestamp()
    groupes = avis.assign(mois=mois).groupby("mois", sort=True)["note"]
    return pd.DataFrame(
        {
            "mois": list(groupes.groups),
            "nb_reponses": [len(g) for _, g in groupes],
            "nps": [nps(g) for _, g in groupes],
        }
    )

"""Notes de terrain: what funders learned on the ground about a structure.

Every function takes the request's :class:`~etp.scope.Scope` and checks it first
(:func:`etp.fiche.acces.notes_visibles`: funders whose scope covers the structure; never an
SIAE member by that membership). A note outside the scope, unknown, or (for an edit) written by
someone else raises the same :class:`NoteIntrouvable`, so a forged id learns nothing. Edits keep
every version in ``note_terrain_version``; notes are listed newest first (date of the note, then
creation).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from etp.fiche.acces import notes_visibles
from etp.schema import NoteTerrain, NoteTerrainVersion
from etp.scope import Scope

CATEGORIES: dict[str, str] = {
    "visite": "Visite",
    "difficulte": "Difficulté",
    "contexte": "Contexte",
}
TEXTE_MAX = 5000
RECHERCHE_MAX = 200


class NoteIntrouvable(LookupError):
    """Unknown, out of scope, or not the reader's to edit: one answer for all three."""


class NoteInvalide(ValueError):
    """A note that cannot be saved; the message is French and meant for the user."""


@dataclass(frozen=True)
class Auteur:
    """Who writes: the account id, and the name and organisation shown beside the note."""

    id: int
    nom: str
    organisation: str


@dataclass(frozen=True)
class Note:
    id: int
    structure_id: int
    auteur_id: int
    auteur_nom: str
    organisation: str
    date_note: date
    categorie: str
    texte: str
    cree_le: datetime
    modifie_le: datetime
    version: int

    @property
    def categorie_libelle(self) -> str:
        return CATEGORIES.get(self.categorie, self.categorie)

    @property
    def modifiee(self) -> bool:
        return self.version > 1


@dataclass(frozen=True)
class VersionNote:
    version: int
    date_note: date
    categorie: str
    texte: str
    enregistre_le: datetime

    @property
    def categorie_libelle(self) -> str:
        return CATEGORIES.get(self.categorie, self.categorie)


def _note(row: NoteTerrain) -> Note:
    return Note(
        id=row.id,
        structure_id=row.structure_id,
        auteur_id=row.auteur_id,
        auteur_nom=row.auteur_nom,
        organisation=row.organisation,
        date_note=row.date_note,
        categorie=row.categorie,
        texte=row.texte,
        cree_le=row.cree_le,
        modifie_le=row.modifie_le,
        version=row.version,
    )


def _sans_accents(texte: str) -> str:
    decompose = unicodedata.normalize("NFKD", texte.casefold())
    return "".join(c for c in decompose if not unicodedata.combining(c))


def valider(date_note: object, categorie: object, texte: object, aujourd_hui: date) -> tuple:
    """``(date, categorie, texte)`` ready to save, or :class:`NoteInvalide` saying why."""
    if isinstance(date_note, str):
        try:
            date_note = date.fromisoformat(date_note.strip())
        except ValueError:
            raise NoteInvalide("La date de la note n'est pas une date valide.") from None
    if not isinstance(date_note, date):
        raise NoteInvalide("Indiquez la date de la note.")
    if date_note > aujourd_hui:
        raise NoteInvalide("La date de la note ne peut pas être dans le futur.")
    if date_note.year < 2000:
        raise NoteInvalide("La date de la note est antérieure à 2000 : vérifiez-la.")
    if not isinstance(categorie, str) or categorie not in CATEGORIES:
        raise NoteInvalide("Choisissez une catégorie : visite, difficulté ou contexte.")
    if not isinstance(texte, str) or not texte.strip():
        raise NoteInvalide("Le texte de la note est vide.")
    texte = texte.strip().replace("\r\n", "\n")
    if len(texte) > TEXTE_MAX:
        raise NoteInvalide(f"Le texte dépasse {TEXTE_MAX} caractères.")
    return date_note, categorie, texte


def lister(
    engine: Engine, scope: Scope, structure_id: object, recherche: str | None = None
) -> list[Note]:
    """The structure's notes, newest first; only those containing ``recherche`` (case and
    accents ignored) when given. Empty when the scope does not cover the structure."""
    if not notes_visibles(engine, scope, structure_id):
        return []
    with Session(engine) as session:
        rows = session.scalars(
            select(NoteTerrain)
            .where(NoteTerrain.structure_id == int(structure_id))  # type: ignore[call-overload]
            .order_by(
                NoteTerrain.date_note.desc(), NoteTerrain.cree_le.desc(), NoteTerrain.id.desc()
            )
        ).all()
        notes = [_note(r) for r in rows]
    cherche = _sans_accents((recherche or "").strip()[:RECHERCHE_MAX])
    if cherche:
        notes = [n for n in notes if cherche in _sans_accents(n.texte)]
    return notes


def ajouter(
    engine: Engine,
    scope: Scope,
    auteur: Auteur,
    structure_id: object,
    date_note: object,
    categorie: object,
    texte: object,
    maintenant: datetime | None = None,
) -> Note:
    """Write a new note (version 1) on a structure the scope covers."""
    if not notes_visibles(engine, scope, structure_id):
        raise NoteIntrouvable(structure_id)
    maintenant = maintenant or datetime.now()
    jour, cat, txt = valider(date_note, categorie, texte, maintenant.date())
    with Session(engine) as session, session.begin():
        row = NoteTerrain(
            structure_id=int(structure_id),  # type: ignore[call-overload]
            auteur_id=auteur.id,
            auteur_nom=auteur.nom,
            organisation=auteur.organisation,
            date_note=jour,
            categorie=cat,
            texte=txt,
            cree_le=maintenant,
            modifie_le=maintenant,
            version=1,
        )
        session.add(row)
        session.flush()
        session.add(_version(row, auteur.id, maintenant))
        session.flush()
        return _note(row)


def _version(row: NoteTerrain, auteur_id: int, quand: datetime) -> NoteTerrainVersion:
    return NoteTerrainVersion(
        note_id=row.id,
        version=row.version,
        date_note=row.date_note,
        categorie=row.categorie,
        texte=row.texte,
        enregistre_le=quand,
        auteur_id=auteur_id,
    )


def _lire(session: Session, scope: Scope, note_id: object) -> NoteTerrain:
    """The note if it exists and the scope covers its structure, else ``NoteIntrouvable``."""
    if isinstance(note_id, bool):
        raise NoteIntrouvable(note_id)
    try:
        nid = int(note_id)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise NoteIntrouvable(note_id) from None
    if not -(2**31) <= nid < 2**31:
        raise NoteIntrouvable(note_id)
    row = session.get(NoteTerrain, nid)
    if row is None or not notes_visibles(session.get_bind(), scope, row.structure_id):
        raise NoteIntrouvable(note_id)
    return row


def lire(engine: Engine, scope: Scope, note_id: object) -> Note:
    with Session(engine) as session:
        return _note(_lire(session, scope, note_id))


def modifier(
    engine: Engine,
    scope: Scope,
    auteur: Auteur,
    note_id: object,
    date_note: object,
    categorie: object,
    texte: object,
    maintenant: datetime | None = None,
) -> Note:
    """Save a new version of a note; only its author may, and only while in scope."""
    maintenant = maintenant or datetime.now()
    jour, cat, txt = valider(date_note, categorie, texte, maintenant.date())
    with Session(engine) as session, session.begin():
        row = _lire(session, scope, note_id)
        if row.auteur_id != auteur.id:
            raise NoteIntrouvable(note_id)
        if (row.date_note, row.categorie, row.texte) == (jour, cat, txt):
            return _note(row)  # nothing changed: no new version
        row.date_note, row.categorie, row.texte = jour, cat, txt
        row.version += 1
        row.modifie_le = maintenant
        session.add(_version(row, auteur.id, maintenant))
        session.flush()
        return _note(row)


def historique(engine: Engine, scope: Scope, note_id: object) -> list[VersionNote]:
    """Every saved version of a note, latest first."""
    with Session(engine) as session:
        row = _lire(session, scope, note_id)
        versions = session.scalars(
            select(NoteTerrainVersion)
            .where(NoteTerrainVersion.note_id == row.id)
            .order_by(NoteTerrainVersion.version.desc())
        ).all()
        return [
            VersionNote(v.version, v.date_note, v.categorie, v.texte, v.enregistre_le)
            for v in versions
        ]

"""File names that say what and when:
``suivi-etp_effectif-mensuel_2026_ddets-35_2026-11-29.xlsx``.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date

PREFIX = "suivi-etp"
LIGATURES = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss"})  # NFKD leaves these whole


def slugify(text: str) -> str:
    """ASCII, lowercase, words joined by ``-``: ``"DDETS 35 – Ille-et-Vilaine"`` ->
    ``"ddets-35-ille-et-vilaine"``. Empty when nothing printable is left."""
    text = text.lower().translate(LIGATURES)
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def export_filename(
    card_slug: str, annee: int | None, scope_slug: str, today: date, ext: str
) -> str:
    """The download's file name; empty parts (no year, no scope) are left out, not blanked."""
    parts = [PREFIX, slugify(card_slug), str(annee) if annee else "", slugify(scope_slug)]
    stem = "_".join(p for p in parts if p)
    return f"{stem}_{today.isoformat()}.{slugify(ext) or 'bin'}"


def scope_slug(label: str, max_len: int = 40) -> str:
    """The user's scope in a file name: each organisation's label up to its `` - `` detail.

    ``"DDETS 35 - Ille-et-Vilaine"`` -> ``"ddets-35"``, ``"DGEFP - national"`` -> ``"dgefp"``,
    ``"DREETS Bretagne"`` -> ``"dreets-bretagne"``; several organisations are joined with
    ``-`` and the result is cut at ``max_len`` on a word boundary.
    """
    parts = [slugify(org.split(" - ")[0]) for org in label.split(", ")]
    slug = "-".join(p for p in parts if p)
    if len(slug) > max_len:
        slug = slug[:max_len].rsplit("-", 1)[0]
    return slug


def _borne(slug: str, max_len: int) -> tuple[str, bool]:
    """``slug`` cut at ``max_len`` on a word boundary, and whether it was cut."""
    if len(slug) <= max_len:
        return slug, False
    cut = slug[:max_len]
    return (cut.rsplit("-", 1)[0] if "-" in cut else cut), True


#: A structure's name in a file name is cut here (on a word boundary).
MAX_NOM_STRUCTURE = 40
#: The whole selection part of a file name.
MAX_SELECTION = 72


def structure_slug(nom: str, identifiant: str, homonymes: bool = False) -> str:
    """A selected structure in a file name: ``"Espaces verts (Saint-Malo)"`` ->
    ``"espaces-verts-saint-malo"``. ``identifiant`` (its SIRET) is appended when the name alone
    would not tell it apart: another structure of the user's scope has the same slug
    (``homonymes``), the name was cut, or it has no printable name."""
    slug, coupe = _borne(slugify(nom), MAX_NOM_STRUCTURE)
    if homonymes or coupe or not slug:
        slug = "-".join(p for p in (slug, slugify(identifiant)) if p)
    return slug


def selection_slug(parties: list[str], defaut: str) -> str:
    """The selection part of a file name: its parts slugified and joined with ``-`` (empty
    parts left out), bounded to :data:`MAX_SELECTION` on a word boundary; ``defaut`` (the
    user's scope) when nothing is selected."""
    slug = "-".join(p for p in (slugify(x) for x in parties) if p)
    return _borne(slug, MAX_SELECTION)[0] if slug else defaut

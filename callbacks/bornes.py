"""Bounds on what the browser may send, checked before any parsing or SQL.

Every value of a Dash request is written by whoever sends it. A value that no real page can
produce (a 90 KB table filter, ten thousand sort keys, a 40-digit id) is not a filter to
apply: the request is malformed, and :class:`RequeteInvalide` answers it with a 400 (a
Werkzeug ``BadRequest``, so Flask answers it without a stack trace in the logs).
"""

from __future__ import annotations

from typing import Any

from werkzeug.exceptions import BadRequest

#: Table filter (``filter_query``): a few clauses per column of the widest table.
MAX_FILTRE = 2_000
#: Sort keys (``sort_by``): a DataTable sends one per sorted column.
MAX_TRIS = 20
#: URL query string (``dcc.Location.search``).
MAX_RECHERCHE = 2_048
#: Integer columns of the database (PostgreSQL ``integer``): ids outside never exist.
ENTIER_MIN = -(2**31)
ENTIER_MAX = 2**31 - 1


class RequeteInvalide(BadRequest):
    """A request no page of the application can send: answered 400, never computed."""

    description = "Requête invalide."

    def __init__(self, raison: str = "requête invalide") -> None:
        super().__init__(description=raison)
        self.raison = raison


def dans_les_entiers(nombre: int) -> bool:
    """True when ``nombre`` fits the database's integer columns."""
    return ENTIER_MIN <= nombre <= ENTIER_MAX


def texte_borne(value: Any, maximum: int, nom: str) -> Any:
    """``value`` unchanged, unless it is a string longer than ``maximum`` (then 400)."""
    if isinstance(value, str) and len(value) > maximum:
        raise RequeteInvalide(f"{nom} trop long ({len(value)} caractères, {maximum} au plus)")
    return value


def texte_saisi(value: Any, maximum: int, nom: str) -> str:
    """What a user typed in a text field: ``""`` when nothing, the text when it is one of at
    most ``maximum`` characters; anything else (a list, an object, a number, a longer text)
    no field of the page can send: 400."""
    if value is None:
        return ""
    if not isinstance(value, str):
        raise RequeteInvalide(f"{nom} : texte attendu")
    return texte_borne(value, maximum, nom)

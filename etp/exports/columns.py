"""What an export contains: column specs, sheets and the "Périmètre" context.

One :class:`Colonne` list describes a table for the screen, the xlsx and the csv alike, so the
three show the same columns under the same French titles. Values stay unrounded: the ``kind``
only chooses a display format (xlsx) or a text rendering without loss (csv).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

import pandas as pd

Kind = Literal["etp", "pct", "euros", "int", "text", "date", "mois"]
KINDS: tuple[str, ...] = ("etp", "pct", "euros", "int", "text", "date", "mois")


@dataclass(frozen=True)
class Colonne:
    """One exported column: ``key`` in the DataFrame, ``titre`` as on screen, ``kind``.

    Kinds: ``etp`` (float, 2 decimals shown), ``pct`` (a fraction, ``0.37`` shown ``37 %``),
    ``euros``, ``int``, ``text``, ``date``, ``mois`` (a month number 1-12 shown by its French
    name, or a date shown as "mois année"). ``decimales`` overrides the decimals shown for
    ``euros`` (0 for envelopes); it never changes the stored value.
    """

    key: str
    titre: str
    kind: Kind = "text"
    decimales: int | None = None

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind inconnu pour {self.key!r}: {self.kind!r}")


def du_catalogue(
    key: str, cle: str, titre: str | None = None, decimales: int | None = None
) -> Colonne:
    """The column ``key`` of a frame holding the catalogue figure ``cle``: its title and kind
    come from :mod:`etp.catalogue` (``titre`` overrides the title, e.g. to add a unit)."""
    from etp.catalogue import indicateur

    i = indicateur(cle)
    kind = "text" if i.kind == "liste" else i.kind
    return Colonne(key, titre or i.titre, kind, decimales)  # type: ignore[arg-type]


@dataclass(frozen=True)
class ExportSheet:
    """One card's table: ``nom`` is the sheet name, ``titre`` the card title (with its unit)."""

    nom: str
    titre: str
    frame: pd.DataFrame = field(compare=False)
    colonnes: tuple[Colonne, ...]

    def __post_init__(self) -> None:
        missing = [c.key for c in self.colonnes if c.key not in self.frame.columns]
        if missing:
            raise KeyError(f"colonnes absentes du tableau {self.nom!r}: {missing}")


@dataclass(frozen=True)
class Perimetre:
    """The context written on the "Périmètre" sheet, so a file stands alone once shared.

    ``filtres`` are ``(label, value)`` pairs already in French (``("Département",
    "35 - Ille-et-Vilaine")``); ``extraction`` should be timezone-aware (it is shown in
    Europe/Paris time); a naive value is taken as UTC. ``remarques`` are extra
    ``(label, text)`` notes about this download, listed under "Remarques".
    """

    filtres: tuple[tuple[str, str], ...]
    perimetre_utilisateur: str
    date_donnees: datetime | None
    extraction: datetime
    application: str = "Suivi ETP"
    version: str = ""
    remarques: tuple[tuple[str, str], ...] = ()

"""French collation for every list a user reads sorted (structures, régions, organisations…).

Python sorts strings by code point: « Île-de-France » came after « Occitanie » and « Zèbre »,
« Économie » after « Zinc ». A French reader expects accents, case and ligatures to matter only
to break ties. :func:`cle_fr` gives that order without the system locale (``locale`` may be
missing on a server and is process-wide) and without ICU: the primary key is the text with its
accents stripped (Unicode NFKD, combining marks dropped), ligatures spelled out and case folded;
the text itself breaks ties so that the order is total and stable.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any, TypeVar

import numpy as np
import pandas as pd

T = TypeVar("T")

_LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss"})


@lru_cache(maxsize=65_536)
def sans_accents(texte: str) -> str:
    """``"Île-de-France"`` -> ``"ile-de-france"``: the primary collation key (remembered: the
    same structure names are sorted again at every selection and every table, ~5 µs each)."""
    decompose = unicodedata.normalize("NFKD", texte.translate(_LIGATURES))
    return "".join(c for c in decompose if not unicodedata.combining(c)).casefold()


def cle_fr(texte: Any) -> tuple[str, str]:
    """Sort key in French order: accents, ligatures and case only break ties. ``None`` and
    other values are compared by their text (``""`` for ``None``)."""
    brut = "" if texte is None or texte is pd.NA else str(texte)
    return (sans_accents(brut), brut)


def trier_fr(elements: Iterable[T], cle: Any = None) -> list[T]:
    """``sorted`` in French order; ``cle`` picks the text of each element (the element itself
    by default)."""
    extraire = cle or (lambda x: x)
    return sorted(elements, key=lambda e: cle_fr(extraire(e)))


def cle_serie_fr(serie: pd.Series) -> pd.Series:
    """``key=`` for ``DataFrame.sort_values``: text columns in French order, others as they are.

    pandas compares the returned values: each text becomes the rank of its key (:func:`cle_fr`)
    among the column's distinct texts, missing values stay missing (sorted last)."""
    # Keys are computed and sorted once per distinct text (a national monthly table repeats
    # each structure's name 12 times per AF: 57,000 rows, 5,000 names), and the rows are then
    # sorted by an integer, not by a string.
    codes, distinctes = pd.factorize(serie)  # missing values: code -1
    if len(distinctes) == 0 or not all(isinstance(v, str) for v in distinctes):
        return serie
    cles = [cle_fr(v) for v in distinctes]
    rangs = np.empty(len(cles), dtype=float)
    rangs[sorted(range(len(cles)), key=cles.__getitem__)] = np.arange(len(cles))
    sortie = np.where(codes >= 0, rangs[codes], np.nan)
    return pd.Series(sortie, index=serie.index, name=serie.name)


def par_valeur_distincte(serie: pd.Series, fonction: Callable[[Any], Any]) -> pd.Series:
    """``serie.map(fonction)``, ``fonction`` called once per distinct value (and once per
    missing cell): a national monthly table repeats each text a dozen times or more."""
    codes, distinctes = pd.factorize(serie)
    resultats = np.empty(len(distinctes), dtype=object)
    resultats[:] = [fonction(v) for v in distinctes]
    sortie = np.empty(len(serie), dtype=object)
    presents = codes >= 0
    sortie[presents] = resultats[codes[presents]]
    brut = serie.to_numpy(dtype=object)
    for i in np.flatnonzero(~presents).tolist():
        sortie[i] = fonction(brut[i])
    return pd.Series(sortie, index=serie.index, name=serie.name)

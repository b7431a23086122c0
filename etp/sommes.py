"""Sums per group of ETP and euros, correctly rounded whatever the order of the rows.

A float sum depends, in its last bits, on the order of its terms: a national frame read in
another order, or a sum taken by another library, could differ from the same figure elsewhere by
1e-15 and, at a rounding edge, show another cent. :func:`math.fsum` gives the correctly rounded
value of the exact sum of the terms, so a figure summed here is one number: the same from any
order, and never more than half a unit in the last place from the exact sum.

:class:`Groupes` sorts the rows by group once; each sum is then one ``fsum`` per group (a few
milliseconds for the 58,000 AF-months of a national year; groups of one or two terms, whose
plain sum is already correctly rounded, by ``bincount``), counts are ``bincount``.
"""

from __future__ import annotations

import math

import numpy as np


class Groupes:
    """The rows of a frame split by an integer group code ``0 <= code < n``."""

    def __init__(self, codes: np.ndarray, n: int) -> None:
        self.codes = np.asarray(codes, dtype=np.int64)
        self.n = n
        self._ordre = np.argsort(self.codes, kind="stable")
        tries = self.codes[self._ordre]
        self._bornes = np.searchsorted(tries, np.arange(n + 1)).tolist()
        self._grands = np.flatnonzero(np.diff(self._bornes) > 2).tolist()

    def somme(self, valeurs: np.ndarray, garde: np.ndarray | None = None) -> np.ndarray:
        """Per group: the correctly rounded sum of ``valeurs`` (NaN ignored) over the rows
        where ``garde`` holds (every row when ``None``); 0.0 for an empty group."""
        v = np.asarray(valeurs, dtype=float)
        retenu = ~np.isnan(v) if garde is None else (~np.isnan(v) & garde)
        termes = np.where(retenu, v, 0.0)
        # a sum of one or two terms is correctly rounded as it is (IEEE addition): only the
        # larger groups need fsum (a national sum per AF number and month has 57,000 groups,
        # nearly all of one term)
        sommes = np.bincount(self.codes, weights=termes, minlength=self.n)[: self.n]
        if self._grands:
            tries = termes[self._ordre]
            b = self._bornes
            for g in self._grands:
                sommes[g] = math.fsum(tries[b[g] : b[g + 1]].tolist())
        return sommes

    def compte(self, garde: np.ndarray | None = None) -> np.ndarray:
        """Per group: how many rows (where ``garde`` holds)."""
        codes = self.codes if garde is None else self.codes[garde]
        return np.bincount(codes, minlength=self.n)[: self.n].astype(np.int64)

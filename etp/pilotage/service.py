"""Scoped loading of everything the funders' screen needs: one :class:`etp.selection.Selection`.

:func:`charger` takes the user's :class:`~etp.scope.Scope` (resolved on the server) and the
filters and reads, through :func:`etp.selection.charger`, this year's annual and monthly
indicators and last year's monthly indicators (N−1 like for like and the seasonal profile).
The same scope and the same AF filters apply to every read, so nothing out of scope can enter
any table of the screen. Every card then derives from that one :class:`DonneesPilotage` with the
functions of :mod:`etp.selection` and of this package, which is also what its exports call.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import pandas as pd
from sqlalchemy import Engine

from etp import selection
from etp.filters import Filtres
from etp.pilotage.projection import projections, projections_totales
from etp.pilotage.remplissage import liste_en_retard, remplissage, retards
from etp.pilotage.suivi import structures_a_suivre
from etp.pilotage.synthese import enrichir, repartition_statuts, synthese
from etp.scope import Scope
from etp.selection import resoudre_as_of  # noqa: F401  (re-exported for callers)


@dataclass(frozen=True, eq=False)
class DonneesPilotage(selection.Selection):
    """The frames of one (scope, filters) and the funders' cards computed from them."""

    @cached_property
    def enrichi(self) -> pd.DataFrame:
        """The annual frame with its projection gaps (:func:`etp.pilotage.synthese.enrichir`),
        once for the tab's totals and breakdowns (read only: never modify it)."""
        return enrichir(self.annuel)

    def synthese(self, par: list[str] | None = None) -> pd.DataFrame:
        return synthese(self.annuel, par, enrichi=self.enrichi)

    def repartition_statuts(self, par: list[str] | None = None) -> pd.DataFrame:
        return repartition_statuts(self.annuel, par, enrichi=self.enrichi)

    @cached_property
    def retards(self) -> pd.DataFrame:
        return retards(self.mensuel, self.annee, self.as_of)

    def structures_a_suivre(self, **options) -> pd.DataFrame:
        """See :func:`etp.pilotage.suivi.structures_a_suivre` for ``statuts``, ``types``,
        ``departements`` and ``tri``."""
        return structures_a_suivre(self.annuel, self.retards, **options)

    def afs_courtes(self) -> pd.DataFrame:
        """The short AFs (read only: the card, its table and its export share them)."""
        return self._afs_courtes

    @cached_property
    def _afs_courtes(self) -> pd.DataFrame:
        return selection.afs_courtes(self.annuel)

    def courtes(self) -> selection.Courtes:
        return selection.courtes(self.annuel, self._afs_courtes)

    @cached_property
    def projections(self) -> pd.DataFrame:
        return projections(self.annuel, self.mensuel, self.realises_n1)

    def projections_totales(self) -> dict[str, float | int]:
        return projections_totales(self.projections)

    @cached_property
    def comparaison_n1(self) -> selection.ComparaisonN1:
        return selection.comparaison_n1(self.annuel, self.mensuel, self.realises_n1)

    def remplissage(self) -> pd.DataFrame:
        return remplissage(self.mensuel, self.annee, self.as_of)

    def afs_en_retard(self) -> pd.DataFrame:
        return liste_en_retard(self.retards, self.annuel)


def depuis(s: selection.Selection) -> DonneesPilotage:
    """The funders' view of an already-loaded selection."""
    return DonneesPilotage(s.annee, s.as_of, s.annuel, s.mensuel, s.realises_n1)


def charger(
    engine: Engine, scope: Scope, filtres: Filtres, lire: selection.Lecture | None = None
) -> DonneesPilotage:
    """The funders' data for ``scope`` and ``filtres`` (an empty scope gives empty frames);
    ``lire``: see :func:`etp.selection.charger`."""
    return depuis(selection.charger(engine, scope, filtres, lire))

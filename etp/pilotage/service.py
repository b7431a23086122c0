"""Scoped loading of everything the funders' screen needs, in four ``etp.queries`` calls.

:func:`charger` takes the user's :class:`~etp.scope.Scope` (resolved on the server) and the
filters, and reads: this year's annual and monthly indicators, last year's annual indicators as
of the same month one year earlier, and last year's monthly indicators (the seasonal profile).
The same scope and the same AF filters apply to the four reads, so nothing out of scope can
enter any table of the screen. Every card then derives from that one :class:`DonneesPilotage`
with the pure functions of this package, which is also what its exports call.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import pandas as pd
from sqlalchemy import Engine

from etp import queries
from etp.filters import Filtres
from etp.pilotage import colonnes as col
from etp.pilotage.comparaison import comparaison_n1, comparaison_n1_totaux
from etp.pilotage.courtes import afs_courtes, poids_afs_courtes
from etp.pilotage.projection import projections, projections_totales
from etp.pilotage.remplissage import afs_en_retard, remplissage, retards
from etp.pilotage.suivi import structures_a_suivre
from etp.pilotage.synthese import repartition_statuts, synthese
from etp.scope import Scope


@dataclass(frozen=True, eq=False)
class DonneesPilotage:
    """The four scoped frames of one (scope, filters) and the cards computed from them."""

    annee: int
    as_of: tuple[int, int] | None
    annuel: pd.DataFrame
    mensuel: pd.DataFrame
    annuel_n1: pd.DataFrame
    mensuel_n1: pd.DataFrame

    @property
    def as_of_n1(self) -> tuple[int, int] | None:
        return None if self.as_of is None else (self.as_of[0] - 1, self.as_of[1])

    def synthese(self, par: list[str] | None = None) -> pd.DataFrame:
        return synthese(self.annuel, par)

    def repartition_statuts(self, par: list[str] | None = None) -> pd.DataFrame:
        return repartition_statuts(self.annuel, par)

    @cached_property
    def retards(self) -> pd.DataFrame:
        return retards(self.mensuel, self.annee, self.as_of)

    def structures_a_suivre(self, **options) -> pd.DataFrame:
        """See :func:`etp.pilotage.suivi.structures_a_suivre` for ``statuts``, ``types``,
        ``departements`` and ``tri``."""
        return structures_a_suivre(self.annuel, self.retards, **options)

    def afs_courtes(self) -> pd.DataFrame:
        return afs_courtes(self.annuel)

    def poids_afs_courtes(self) -> dict[str, float | int]:
        return poids_afs_courtes(self.annuel)

    @cached_property
    def projections(self) -> pd.DataFrame:
        return projections(self.annuel, self.mensuel, self.mensuel_n1)

    def projections_totales(self) -> dict[str, float | int]:
        return projections_totales(self.projections)

    def comparaison_n1(self) -> pd.DataFrame:
        return comparaison_n1(self.annuel, self.annuel_n1)

    def comparaison_n1_totaux(self) -> dict[str, float]:
        return comparaison_n1_totaux(self.annuel, self.annuel_n1)

    def remplissage(self) -> pd.DataFrame:
        return remplissage(self.mensuel, self.annee, self.as_of)

    def afs_en_retard(self) -> pd.DataFrame:
        return afs_en_retard(self.mensuel, self.annuel, self.annee, self.as_of)


def resoudre_as_of(
    engine: Engine, filtres: Filtres, annuel: pd.DataFrame
) -> tuple[int, int] | None:
    """The as-of month actually used: the filter's, else the one ``etp.queries`` applied (its
    ``as_of`` column), else the month of the data date; ``None`` when there is no data at all."""
    if filtres.as_of is not None:
        return (int(filtres.as_of[0]), int(filtres.as_of[1]))
    if not annuel.empty and col.AS_OF in annuel.columns:
        return col.lire_as_of(annuel[col.AS_OF].iloc[0])
    date = queries.date_donnees(engine)
    return None if date is None else (date.year, date.month)


def charger(engine: Engine, scope: Scope, filtres: Filtres) -> DonneesPilotage:
    """The funders' data for ``scope`` and ``filtres`` (an empty scope gives empty frames)."""
    annuel = queries.indicateurs_annuels(engine, scope, filtres)
    as_of = resoudre_as_of(engine, filtres, annuel)
    courant = replace(filtres, as_of=as_of)
    mensuel = queries.indicateurs_mensuels(engine, scope, courant)
    precedent = replace(
        filtres,
        annee=filtres.annee - 1,
        as_of=None if as_of is None else (as_of[0] - 1, as_of[1]),
    )
    annuel_n1 = queries.indicateurs_annuels(engine, scope, precedent)
    # Last year's profile as known at this year's as-of date (every month of N−1 when as-of
    # is in year N).
    mensuel_n1 = queries.indicateurs_mensuels(engine, scope, replace(precedent, as_of=as_of))
    return DonneesPilotage(
        annee=filtres.annee,
        as_of=as_of,
        annuel=annuel,
        mensuel=mensuel,
        annuel_n1=annuel_n1,
        mensuel_n1=mensuel_n1,
    )

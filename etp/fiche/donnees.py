"""Everything a structure's page shows, computed by the dashboard's own functions.

A structure's figures for a year are those of a dashboard selection of that one structure
(``Filtres(annee=…, structure_id=…)``) within the reader's scope: the same reads
(:func:`etp.pilotage.charger`, i.e. :func:`etp.selection.charger`), every figure by its
catalogue key from :func:`etp.figures.figures_de` (the functions :mod:`etp.catalogue` names),
the dashboard chart's monthly series (:func:`etp.synthese.serie_mensuelle`) and the funders'
fill rate and late declarations. Nothing is recomputed here: this module only gathers, per
year, and adds the structure's identity and AF list.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from typing import Any

import pandas as pd
from sqlalchemy import Engine, select

from etp import pilotage, queries, referentiel, synthese
from etp.fiche.acces import structure_visible
from etp.figures import aplatir, figures_de
from etp.filters import Filtres
from etp.schema import AnnexeFinanciere, Structure
from etp.scope import Scope

NB_ANNEES = 3


@dataclass(frozen=True)
class Identite:
    id: int
    denomination: str
    siret: str | None
    types: tuple[str, ...]  # "ACI", "EI milieu pénitentiaire", … (from its AFs)
    commune: str | None
    departements: tuple[str, ...]  # "35 - Ille-et-Vilaine" (département du conventionnement)


@dataclass(frozen=True, eq=False)
class AnneeFiche:
    """One year of the structure, as the dashboard computes it for that selection."""

    annee: int
    donnees: pilotage.DonneesPilotage  # the etp.selection.Selection of that one structure

    @property
    def as_of(self) -> tuple[int, int] | None:
        return self.donnees.as_of

    @property
    def vide(self) -> bool:
        return self.donnees.annuel.empty

    # Computed once per year: the page and the PDF read them for every row of their tables.
    @cached_property
    def figures(self) -> dict[str, Any]:
        """Every figure of the dashboard's cards for this selection, by catalogue key
        (``etp.figures``: the functions the catalogue names, unrounded)."""
        return aplatir(figures_de(self.donnees))

    @cached_property
    def serie(self) -> pd.DataFrame:
        """The monthly series of the dashboard's monthly chart."""
        return synthese.serie_mensuelle(self.donnees.mensuel, self.annee)

    def remplissage(self) -> pd.DataFrame:
        return self.donnees.remplissage()

    def retards(self) -> pd.DataFrame:
        return self.donnees.afs_en_retard()


@dataclass(frozen=True, eq=False)
class Fiche:
    identite: Identite
    annees: tuple[AnneeFiche, ...]  # oldest first
    afs: pd.DataFrame  # every AF of the years shown, all states, with its version
    date_donnees: datetime | None

    def serie(self) -> pd.DataFrame:
        """The monthly series of the years on one time axis (column ``periode``: 1st of month)."""
        morceaux = []
        for a in self.annees:
            s = a.serie.copy()
            s.insert(0, "annee", a.annee)
            morceaux.append(s)
        if not morceaux:
            return pd.DataFrame()
        serie = pd.concat(morceaux, ignore_index=True)
        serie.insert(
            0,
            "periode",
            pd.to_datetime({"year": serie["annee"], "month": serie["mois"], "day": 1}),
        )
        return serie


COLONNES_AFS: tuple[str, ...] = (
    "numero",
    "id",
    "version",
    "etat",
    "compte",
    "type_structure",
    "departement_code",
    "date_debut",
    "date_fin",
    "etp_postes_insertion",
    "montant_unitaire_annuel",
)


def annees_fiche(engine: Engine) -> list[int]:
    """The three years shown: the year of the data date and the two before it."""
    date = queries.date_donnees(engine)
    fin = date.year if date is not None else datetime.now().year
    return list(range(fin - NB_ANNEES + 1, fin + 1))


def _libelle_type(type_structure: str, penitentiaire: bool) -> str:
    return f"{type_structure} milieu pénitentiaire" if penitentiaire else type_structure


def _afs(engine: Engine, scope: Scope, structure_id: int, annees: list[int]) -> pd.DataFrame:
    af = AnnexeFinanciere
    requete = (
        select(af)
        .where(
            af.structure_id == structure_id,
            scope.af_condition(af),
            af.annee_debut <= max(annees),
            af.annee_fin >= min(annees),
        )
        .order_by(af.date_debut.desc(), af.numero, af.id)
    )
    with engine.connect() as conn:
        rows = conn.execute(requete).all()
    lignes = [
        {
            "numero": r.numero,
            "id": r.id,
            "version": f"A{r.numero_avenant_renouvellement}M{r.numero_avenant_modification}",
            "etat": r.etat,
            "compte": bool(r.compte),
            "type_structure": _libelle_type(r.type_structure, bool(r.milieu_penitentiaire)),
            "departement_code": r.departement_code,
            "date_debut": r.date_debut,
            "date_fin": r.date_fin,
            "etp_postes_insertion": r.etp_postes_insertion,
            "montant_unitaire_annuel": r.montant_unitaire_annuel,
        }
        for r in rows
    ]
    return pd.DataFrame(lignes, columns=list(COLONNES_AFS))


def _identite(engine: Engine, structure_id: int, afs: pd.DataFrame) -> Identite:
    with engine.connect() as conn:
        s = conn.execute(select(Structure).where(Structure.id == structure_id)).one()
    types = tuple(dict.fromkeys(afs["type_structure"])) if not afs.empty else ()
    deps = (
        tuple(referentiel.departement_label(c) for c in dict.fromkeys(afs["departement_code"]))
        if not afs.empty
        else ()
    )
    return Identite(
        id=s.id,
        denomination=s.denomination,
        siret=s.siret,
        types=types,
        commune=s.commune,
        departements=deps,
    )


def charger_annee(engine: Engine, scope: Scope, structure_id: int, annee: int) -> AnneeFiche:
    """One year of the structure: the dashboard's reads and figures for that selection."""
    return AnneeFiche(
        annee, pilotage.charger(engine, scope, Filtres(annee, structure_id=structure_id))
    )


def charger_fiche(
    engine: Engine, scope: Scope, structure_id: object, annees: list[int] | None = None
) -> Fiche | None:
    """The structure's page, or ``None`` when it is unknown or out of ``scope`` (same answer)."""
    if not structure_visible(engine, scope, structure_id):
        return None
    sid = int(structure_id)  # type: ignore[call-overload]
    annees = sorted(annees or annees_fiche(engine))
    afs = _afs(engine, scope, sid, annees)
    return Fiche(
        identite=_identite(engine, sid, afs),
        annees=tuple(charger_annee(engine, scope, sid, a) for a in annees),
        afs=afs,
        date_donnees=queries.date_donnees(engine),
    )

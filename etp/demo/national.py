"""The demo at the size of France (``suivi-etp demo --scale national``), written by streaming.

Same building blocks as the default demo (:mod:`etp.demo.model`, :mod:`etp.demo.generator`):
every structure type with its hours and aid per ETP, seasonality, late declarations, yearly
renewals, amended AFs (superseded versions), duplicates and FDI rows. What changes is the size
and the places: every département of France (:func:`etp.demo.places_france.departements_france`),
and about 4,700 AFs a year, so that the EtatMensuelIndiv file holds millions of rows.

Memory stays bounded: structures and AFs (a few thousand) are built in memory, but EMI rows are
simulated structure by structure and written as they come (never a list of all rows); the
contracts of the ContratMission file are remembered as four integers each.
"""

from __future__ import annotations

import dataclasses
from array import array
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from etp.demo.generator import (
    contrat_row,
    emi_row,
    write_files,
)
from etp.demo.model import DemoConfig, LigneEMI, Population, build_population, iter_lignes_emi
from etp.demo.places_france import departements_france
from etp.fluxiae import (
    COLUMNS,
    VUE_ETAT_MENSUEL_INDIV,
)
from etp.fluxiae.writer import format_value

#: Number of structures of each scale. ``national``: about 4,700 AFs a year (14,100 over the
#: three years; some structures open or close during them) as in the real data; ``region``: a
#: tenth of it (the size of a large région), over every département too, so that tests
#: exercise the same code quickly.
ECHELLES: dict[str, int] = {"national": 5_150, "region": 515}
#: Factor on the structures' ETP: real AFs employ about 32 people a month on average (150,000
#: people over 4,700 AFs, domain.md §2), the default demo's structures about 18.
TAILLE_NATIONALE = 1.8


def config_echelle(
    echelle: str, *, seed: int = 2024, today: date | None = None, structures: int | None = None
) -> DemoConfig:
    """The :class:`DemoConfig` of a scale (``structures`` overrides its size)."""
    if echelle not in ECHELLES:
        raise ValueError(f"échelle inconnue : {echelle!r} (attendu : {', '.join(ECHELLES)})")
    return DemoConfig(
        seed=seed, today=today or date.today(), structures=structures or ECHELLES[echelle]
    )


def build_national(config: DemoConfig) -> Population:
    """Structures, AFs, FDI rows and duplicates over every département; ``lignes`` stays empty
    (:func:`lignes_emi` streams them)."""
    return build_population(
        config, departements_france(), taille=TAILLE_NATIONALE, avec_lignes=False
    )


def lignes_emi(population: Population) -> Iterator[LigneEMI]:
    """The EMI rows, structure by structure; the first row of the last month with data carries
    the data date (the latest ``emi_date_creation``: every other row is created before it)."""
    config = population.config
    a_marquer = True
    for ligne in iter_lignes_emi(population.structures, population.annexes, config):
        if a_marquer and (ligne.annee, ligne.mois) == config.dernier_mois:
            ligne = dataclasses.replace(ligne, creation=config.date_donnees)
            a_marquer = False
        yield ligne


@dataclass
class _Contrats:
    """First month of each contract seen in the EMI stream, as integer arrays."""

    ctr: array = field(default_factory=lambda: array("q"))
    pph: array = field(default_factory=lambda: array("q"))
    structure: array = field(default_factory=lambda: array("l"))
    mois: array = field(default_factory=lambda: array("l"))  # annee * 100 + mois


@dataclass
class Volumes:
    """What was written: EMI rows per year and contracts."""

    emi_par_annee: dict[int, int] = field(default_factory=dict)
    contrats: int = 0

    @property
    def emi(self) -> int:
        return sum(self.emi_par_annee.values())


def _ligne_texte(row: dict[str, Any], colonnes: list[str], memo: dict[Any, str]) -> str:
    """One EMI line, the same text as :func:`format_value` field by field, faster for the
    common types; the dates shared by the rows of an AF-month are formatted once."""
    champs = []
    append = champs.append
    for c in colonnes:
        value = row.get(c)
        kind = type(value)
        if value is None:
            append("")
        elif kind is int or kind is str:
            append(str(value))
        elif kind is float and "e" not in (text := repr(value)) and "n" not in text:
            append(text)  # no exponent, inf or nan: repr is the decimal text
        else:
            key = (kind, value)  # True == 1.0 == Decimal(1): the type is part of the key
            text = memo.get(key)
            if text is None:
                if len(memo) > 10_000:
                    memo.clear()
                text = memo[key] = format_value(value)
            append(text)
    return "|".join(champs)


def _emi_stream(
    population: Population, contrats: _Contrats, volumes: Volumes
) -> Iterator[dict[str, Any]]:
    index_structure = {s.id: i for i, s in enumerate(population.structures)}
    colonnes = list(COLUMNS[VUE_ETAT_MENSUEL_INDIV])
    memo: dict[Any, str] = {}
    courante: int | None = None
    vus: set[int] = set()
    for dsm, ligne in enumerate(lignes_emi(population), start=30_000_001):
        s = ligne.af.structure
        if s.id != courante:  # contracts never span two structures
            courante, vus = s.id, set()
        if ligne.ctr_id not in vus:  # rows of a structure come month by month
            vus.add(ligne.ctr_id)
            contrats.ctr.append(ligne.ctr_id)
            contrats.pph.append(ligne.pph_id)
            contrats.structure.append(index_structure[s.id])
            contrats.mois.append(ligne.annee * 100 + ligne.mois)
        volumes.emi_par_annee[ligne.annee] = volumes.emi_par_annee.get(ligne.annee, 0) + 1
        yield _ligne_texte(emi_row(ligne, dsm), colonnes, memo)


def _contrat_stream(population: Population, contrats: _Contrats) -> Iterator[dict[str, Any]]:
    seed = population.config.seed
    for k in range(len(contrats.ctr)):
        s = population.structures[contrats.structure[k]]
        annee, mois = divmod(contrats.mois[k], 100)
        yield contrat_row(seed, contrats.ctr[k], contrats.pph[k], s, annee, mois)


def write_national_files(population: Population, directory: Path) -> tuple[list[Path], Volumes]:
    """Write the five vues (EMI and contracts gzip-compressed) by streaming; returns their paths
    (Structure, AF, EMI, ContratMission, RefMontantIae) and the volumes written."""
    contrats, volumes = _Contrats(), Volumes()
    # The contract rows are drawn while the monthly rows are written (EMI comes first).
    paths = write_files(
        population,
        directory,
        emi=_emi_stream(population, contrats, volumes),
        contrats=_contrat_stream(population, contrats),
    )
    volumes.contrats = len(contrats.ctr)
    return paths, volumes


def generate_national(config: DemoConfig, directory: Path) -> tuple[Population, list[Path]]:
    """Build the national population for ``config`` and stream its files into ``directory``."""
    population = build_national(config)
    paths, _volumes = write_national_files(population, directory)
    return population, paths

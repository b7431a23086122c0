"""Reference lists shipped as package data: régions, départements, mesures (ASP measure codes)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from importlib import resources

from sqlalchemy import Engine, select

from etp.chiffres import que_des_chiffres
from etp.schema import Departement, Region


@dataclass(frozen=True)
class Mesure:
    code: str
    type_structure: str
    libelle: str
    milieu_penitentiaire: bool
    exclue: bool


def _rows(name: str) -> list[dict[str, str]]:
    text = resources.files("etp").joinpath("referentiel", name).read_text(encoding="utf-8")
    return list(csv.DictReader(text.splitlines()))


@cache
def regions() -> dict[str, str]:
    """Région code -> libellé."""
    return {r["code"]: r["libelle"] for r in _rows("regions.csv")}


@cache
def departements() -> dict[str, tuple[str, str | None]]:
    """Département code -> (libellé, région code or None)."""
    return {r["code"]: (r["libelle"], r["region_code"] or None) for r in _rows("departements.csv")}


@cache
def mesures() -> dict[str, Mesure]:
    """ASP measure code (``ACI_DC``) -> :class:`Mesure`."""
    return {
        r["code"]: Mesure(
            code=r["code"],
            type_structure=r["type_structure"],
            libelle=r["libelle"],
            milieu_penitentiaire=r["milieu_penitentiaire"] == "1",
            exclue=r["exclue"] == "1",
        )
        for r in _rows("mesures.csv")
    }


TYPES_STRUCTURE: tuple[str, ...] = ("ACI", "AI", "EI", "ETTI", "EITI", "ACIPA", "EIPA")


def departement_label(code: str) -> str:
    """``"35 - Ille-et-Vilaine"``; the bare code when unknown."""
    dep = departements().get(code)
    return f"{code} - {dep[0]}" if dep else code


def region_of(departement_code: str) -> str | None:
    dep = departements().get(departement_code)
    return dep[1] if dep else None


def resolve_region(code_or_name: str) -> str | None:
    """A région code from its code (``76``) or its name (``Occitanie``, case/accent-insensitive)."""
    import unicodedata

    def fold(s: str) -> str:
        s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
        return "".join(ch for ch in s.lower() if ch.isalnum())

    value = code_or_name.strip()
    if value in regions():
        return value
    if que_des_chiffres(value) and value.zfill(2) in regions():
        return value.zfill(2)
    wanted = fold(value)
    for code, libelle in regions().items():
        if fold(libelle) == wanted:
            return code
    return None


def normalize_departement(code: str) -> str | None:
    """``35`` / ``035`` / ``2a`` / ``971`` -> the known département code, else None."""
    value = code.strip().upper()
    if que_des_chiffres(value) and len(value) < 2:
        value = value.zfill(2)
    if len(value) == 3 and value.startswith("0"):
        value = value[1:]
    return value if value in departements() else None


def load(engine: Engine) -> None:
    """Insert or update régions and départements (idempotent)."""
    from sqlalchemy.orm import Session

    with Session(engine) as session, session.begin():
        existing_r = {r.code: r for r in session.scalars(select(Region))}
        for code, libelle in regions().items():
            if code in existing_r:
                existing_r[code].libelle = libelle
            else:
                session.add(Region(code=code, libelle=libelle))
        session.flush()
        existing_d = {d.code: d for d in session.scalars(select(Departement))}
        for code, (libelle, region_code) in departements().items():
            if code in existing_d:
                existing_d[code].libelle = libelle
                existing_d[code].region_code = region_code
            else:
                session.add(Departement(code=code, libelle=libelle, region_code=region_code))

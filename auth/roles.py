"""Roles and their scope rules, in one place, as data (domain.md §5).

``ROLES`` maps an organisation kind to what it needs (structures, a département, a région or
nothing) and ``SCOPE_RULES`` / ``LABEL_RULES`` map that need to the :class:`etp.scope.Scope` and
the label it yields. Adding a kind is adding a row, not sprinkling ``if`` s.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from enum import StrEnum

from etp import referentiel
from etp.scope import Scope


class Perimetre(StrEnum):
    """What an organisation kind is attached to, hence what its members see."""

    STRUCTURES = "structures"
    DEPARTEMENT = "departement"
    REGION = "region"
    NATIONAL = "national"


@dataclass(frozen=True)
class Role:
    kind: str
    sigle: str
    libelle: str
    perimetre: Perimetre


ROLES: dict[str, Role] = {
    role.kind: role
    for role in (
        Role("siae", "SIAE", "Structure d'insertion (SIAE)", Perimetre.STRUCTURES),
        Role("ddets", "DDETS", "DDETS (département)", Perimetre.DEPARTEMENT),
        Role("cd", "CD", "Conseil départemental", Perimetre.DEPARTEMENT),
        Role("dreets", "DREETS", "DREETS (région)", Perimetre.REGION),
        Role("dgefp", "DGEFP", "DGEFP (national)", Perimetre.NATIONAL),
    )
}


@dataclass(frozen=True)
class OrganisationRef:
    """An organisation as a plain value (detached from the ORM), enough to scope and label."""

    kind: str
    departement_code: str | None = None
    region_code: str | None = None
    structure_ids: frozenset[int] = field(default_factory=frozenset)
    denominations: tuple[str, ...] = ()
    id: int | None = field(default=None, compare=False)

    @property
    def role(self) -> Role:
        return ROLES[self.kind]

    @property
    def scope(self) -> Scope:
        return replace(SCOPE_RULES[self.role.perimetre](self), label=self.label)

    @property
    def label(self) -> str:
        return LABEL_RULES[self.role.perimetre](self)


def _siae_label(org: OrganisationRef) -> str:
    names = org.denominations or tuple(f"structure {i}" for i in sorted(org.structure_ids))
    return f"{org.role.sigle} {' / '.join(names)}"


def _region_label(org: OrganisationRef) -> str:
    code = org.region_code or ""
    return f"{org.role.sigle} {referentiel.regions().get(code, code)}"


SCOPE_RULES: dict[Perimetre, Callable[[OrganisationRef], Scope]] = {
    Perimetre.STRUCTURES: lambda org: Scope.of_structures(org.structure_ids),
    Perimetre.DEPARTEMENT: lambda org: (
        Scope.of_departements([org.departement_code]) if org.departement_code else Scope.nothing()
    ),
    Perimetre.REGION: lambda org: (
        Scope.of_region(org.region_code) if org.region_code else Scope.nothing()
    ),
    Perimetre.NATIONAL: lambda org: Scope.everything(),
}

LABEL_RULES: dict[Perimetre, Callable[[OrganisationRef], str]] = {
    Perimetre.STRUCTURES: _siae_label,
    Perimetre.DEPARTEMENT: lambda org: (
        f"{org.role.sigle} {referentiel.departement_label(org.departement_code or '')}"
    ),
    Perimetre.REGION: _region_label,
    Perimetre.NATIONAL: lambda org: f"{org.role.sigle} - national",
}


def union(scopes: Iterable[Scope], label: str) -> Scope:
    """The union of several scopes (a user in several organisations); empty -> nothing."""
    scopes = list(scopes)
    if not scopes:
        return Scope.nothing()
    if any(s.national for s in scopes):
        return Scope.everything(label=label)
    return Scope(
        departements=frozenset().union(*(s.departements for s in scopes)),
        structure_ids=frozenset().union(*(s.structure_ids for s in scopes)),
        label=label,
    )

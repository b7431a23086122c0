"""The user's perimeter as a value: which AFs a request may read.

A :class:`Scope` is resolved on the server from the logged-in user (``auth.scope``) and passed
to every ``etp`` read, which turns it into a SQL ``WHERE`` with :func:`af_condition`. Filters
narrow a result inside the scope; they never widen it. An empty scope selects nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, false, or_, true

from etp.schema import AnnexeFinanciere


@dataclass(frozen=True)
class Scope:
    """Frozen and hashable, so it can key a cache.

    - ``national``: every AF (DGEFP);
    - ``departements``: AFs whose département du conventionnement is listed (DDETS, CD, DREETS);
    - ``structure_ids``: AFs of these ASP structures (SIAE members).
    """

    national: bool = False
    departements: frozenset[str] = field(default_factory=frozenset)
    structure_ids: frozenset[int] = field(default_factory=frozenset)
    label: str = field(default="", compare=False)

    @classmethod
    def nothing(cls, label: str = "Aucun périmètre") -> Scope:
        return cls(label=label)

    @classmethod
    def everything(cls, label: str = "National") -> Scope:
        return cls(national=True, label=label)

    @classmethod
    def of_departements(cls, codes: Iterable[str], label: str = "") -> Scope:
        return cls(departements=frozenset(codes), label=label)

    @classmethod
    def of_region(cls, region_code: str, label: str = "") -> Scope:
        from etp.referentiel import departements

        codes = [c for c, (_, reg) in departements().items() if reg == region_code]
        return cls(departements=frozenset(codes), label=label)

    @classmethod
    def of_structures(cls, ids: Iterable[int], label: str = "") -> Scope:
        return cls(structure_ids=frozenset(int(i) for i in ids), label=label)

    def is_empty(self) -> bool:
        return not (self.national or self.departements or self.structure_ids)

    def allows_departement(self, code: str | None) -> bool:
        return self.national or (code is not None and code in self.departements)

    def allows_structure(self, structure_id: int | None) -> bool:
        return self.national or (structure_id is not None and structure_id in self.structure_ids)

    def af_condition(self, af: type[AnnexeFinanciere] = AnnexeFinanciere) -> ColumnElement[bool]:
        """SQL condition on ``annexe_financiere`` rows; ``false()`` for an empty scope."""
        if self.national:
            return true()
        clauses = []
        if self.departements:
            clauses.append(af.departement_code.in_(sorted(self.departements)))
        if self.structure_ids:
            clauses.append(af.structure_id.in_(sorted(self.structure_ids)))
        return or_(*clauses) if clauses else false()

"""Filter values chosen on screen or on the command line: they narrow inside a scope."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, and_, true

from etp.schema import AnnexeFinanciere


@dataclass(frozen=True)
class Filtres:
    """The dashboard's filters (domain.md §6). ``as_of`` is ``(year, month)``: months after it
    are not counted as realised; ``None`` means the month of the data date."""

    annee: int
    numero_af: str | None = None
    structure_id: int | None = None
    type_structure: str | None = None
    region: str | None = None
    departement: str | None = None
    as_of: tuple[int, int] | None = None

    def af_condition(self, af: type[AnnexeFinanciere] = AnnexeFinanciere) -> ColumnElement[bool]:
        """SQL condition for the AF-level filters (the year is applied by the caller)."""
        clauses: list[ColumnElement[bool]] = []
        if self.numero_af:
            clauses.append(af.numero == self.numero_af.strip().upper())
        if self.structure_id is not None:
            clauses.append(af.structure_id == int(self.structure_id))
        if self.type_structure:
            clauses.append(af.type_structure == self.type_structure)
        if self.region:
            clauses.append(af.region_code == self.region)
        if self.departement:
            clauses.append(af.departement_code == self.departement)
        return and_(*clauses) if clauses else true()

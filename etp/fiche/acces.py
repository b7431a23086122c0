"""Who may open a structure's page, and who may read its field notes.

One rule for every entry point (page, PDF, notes), so that an unknown structure and one outside
the scope get exactly the same answer:

- the page: the structure exists and the scope reaches it — national, one of its AFs (any year,
  any state) conventioned in a département of the scope, or the structure is one of the scope's
  own structures (an SIAE member, even before its first AF);
- the notes: only the funders' part of a scope counts (national or départements): being a
  member of a structure (``structure_ids``) never opens its notes.
"""

from __future__ import annotations

from sqlalchemy import Engine, exists, select

from etp.schema import AnnexeFinanciere, Structure
from etp.scope import Scope


def partie_financeur(scope: Scope) -> Scope:
    """The funders' part of ``scope``: its national flag and départements, no structure ids."""
    return Scope(national=scope.national, departements=scope.departements, label=scope.label)


def _entier(structure_id: object) -> int | None:
    """An id sent by a browser (so possibly forged) as an int, ``None`` when it is not one."""
    if isinstance(structure_id, bool):
        return None
    try:
        valeur = int(structure_id)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        return None
    return valeur if -(2**31) <= valeur < 2**31 else None


def structure_visible(engine: Engine, scope: Scope, structure_id: object) -> bool:
    """The structure exists and ``scope`` reaches it (see the module's rule)."""
    sid = _entier(structure_id)
    if sid is None or scope.is_empty():
        return False
    af = AnnexeFinanciere
    with engine.connect() as conn:
        if conn.execute(select(Structure.id).where(Structure.id == sid)).first() is None:
            return False
        if scope.national or sid in scope.structure_ids:
            return True
        if not scope.departements:
            return False
        par_af = select(
            exists().where(
                af.structure_id == sid, af.departement_code.in_(sorted(scope.departements))
            )
        )
        return bool(conn.execute(par_af).scalar())


def notes_visibles(engine: Engine, scope: Scope, structure_id: object) -> bool:
    """A funder whose scope covers the structure may read and write its notes."""
    return structure_visible(engine, partie_financeur(scope), structure_id)

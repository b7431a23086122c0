"""Maintain ``brsa_mensuel`` (per AF × month: bRSA employees with ≥ 1 hour and their hours).

Both the EMI import (new hours) and the ContratMission import (a contract's RSA situation, which
may arrive after the monthly states) call :func:`recalculer` with the AF-months they touched.
An employee counts in a month when the hours of their ``OUI-M`` / ``OUI-NM`` contracts on that
AF sum to at least 1 hour (the ASP's rule); their hours are those of these contracts. Sums are
in integer thousandths of an hour, so SQLite and PostgreSQL give the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import (
    Connection,
    Float,
    Select,
    and_,
    bindparam,
    cast,
    delete,
    exists,
    func,
    insert,
    select,
)

from etp.fluxiae import staging
from etp.schema import BrsaMensuel, Contrat, EmiContrat

#: ``contrat_salarie_rsa`` values of a bRSA (majoré, non majoré).
BRSA = ("OUI-M", "OUI-NM")
#: thousandths of an hour: the 1-hour threshold
SEUIL_MILLIHEURES = 1000
CHUNK = 5000


def recalculer(conn: Connection, af_mois: Iterable[tuple[int, int, int]]) -> int:
    """Recompute ``brsa_mensuel`` for the given ``(af_id, annee, mois)``; returns how many."""
    touches = sorted(set(af_mois))
    if not touches:
        return 0
    if len(touches) > CHUNK:
        _recalculer_beaucoup(conn, touches)
        return len(touches)
    conn.execute(
        delete(BrsaMensuel).where(
            and_(
                BrsaMensuel.af_id == bindparam("a"),
                BrsaMensuel.annee == bindparam("y"),
                BrsaMensuel.mois == bindparam("m"),
            )
        ),
        [{"a": a, "y": y, "m": m} for a, y, m in touches],
    )
    voulus = set(touches)
    afs = sorted({a for a, _, _ in touches})
    lignes = [
        {"af_id": a, "annee": y, "mois": m, "nb_salaries": n, "heures": h}
        for a, y, m, n, h in conn.execute(_agregat(afs, sorted({y for _, y, _ in touches})))
        if (a, y, m) in voulus
    ]
    if lignes:
        conn.execute(insert(BrsaMensuel), lignes)
    return len(touches)


def _recalculer_beaucoup(conn: Connection, touches: list[tuple[int, int, int]]) -> None:
    """Many AF-months (a national file): held in a temporary table, deleted by one join, and
    one aggregate over every AF of their years inserted where touched, in the database (the
    same SQL values, without a round trip through Python)."""
    table = staging.af_mois_temp(conn, "fluxiae_brsa_af_mois", touches)
    brsa = BrsaMensuel.__table__
    conn.execute(
        delete(brsa).where(
            exists().where(
                table.c.af == brsa.c.af_id,
                table.c.annee == brsa.c.annee,
                table.c.mois == brsa.c.mois,
            )
        )
    )
    agregat = _agregat(None, sorted({y for _, y, _ in touches})).subquery()
    touche = exists().where(
        table.c.af == agregat.c.af_id,
        table.c.annee == agregat.c.annee,
        table.c.mois == agregat.c.mois,
    )
    conn.execute(
        insert(brsa).from_select(
            ["af_id", "annee", "mois", "nb_salaries", "heures"],
            select(*agregat.c).where(touche),
        )
    )
    staging.drop_temp(conn, table)


def _agregat(afs: list[int] | None, annees: list[int]) -> Select:
    """Per AF × month of ``annees`` (of ``afs``, or of every AF): bRSA employees with ≥ 1 hour
    on bRSA contracts, and those hours."""
    ec = EmiContrat
    condition = and_(ec.annee.in_(annees), Contrat.salarie_rsa.in_(BRSA))
    if afs is not None:
        condition = and_(condition, ec.af_id.in_(afs))
    par_salarie = (
        select(ec.af_id, ec.annee, ec.mois, ec.pph_id, func.sum(ec.milliheures).label("mh"))
        .join(Contrat, Contrat.id == ec.ctr_id)
        .where(condition)
        .group_by(ec.af_id, ec.annee, ec.mois, ec.pph_id)
        .subquery()
    )
    return (
        select(
            par_salarie.c.af_id,
            par_salarie.c.annee,
            par_salarie.c.mois,
            func.count(),
            cast(func.sum(par_salarie.c.mh), Float) / 1000.0,
        )
        .where(par_salarie.c.mh >= SEUIL_MILLIHEURES)
        .group_by(par_salarie.c.af_id, par_salarie.c.annee, par_salarie.c.mois)
    )

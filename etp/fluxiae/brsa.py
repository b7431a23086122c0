"""Maintain ``brsa_mensuel`` (per AF × month: bRSA employees with ≥ 1 hour and their hours).

Both the EMI import (new hours) and the ContratMission import (a contract's RSA situation, which
may arrive after the monthly states) call :func:`recalculer` with the AF-months they touched.
An employee counts in a month when the hours of their ``OUI-M`` / ``OUI-NM`` contracts on that
AF sum to at least 1 hour (the ASP's rule); their hours are those of these contracts. Sums are
in integer thousandths of an hour, so SQLite and PostgreSQL give the same numbers.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, Float, and_, bindparam, cast, delete, func, insert, select

from etp.schema import BrsaMensuel, Contrat, EmiContrat

#: ``contrat_salarie_rsa`` values of a bRSA (majoré, non majoré).
BRSA = ("OUI-M", "OUI-NM")
#: thousandths of an hour: the 1-hour threshold
SEUIL_MILLIHEURES = 1000
CHUNK = 5000


def recalculer(conn: Connection, af_mois: Iterable[tuple[int, int, int]]) -> int:
    """Recompute ``brsa_mensuel`` for the given ``(af_id, annee, mois)``; returns how many."""
    touches = sorted(set(af_mois))
    ec = EmiContrat
    for start in range(0, len(touches), CHUNK):
        chunk = touches[start : start + CHUNK]
        params = [{"a": a, "y": y, "m": m} for a, y, m in chunk]
        conn.execute(
            delete(BrsaMensuel).where(
                and_(
                    BrsaMensuel.af_id == bindparam("a"),
                    BrsaMensuel.annee == bindparam("y"),
                    BrsaMensuel.mois == bindparam("m"),
                )
            ),
            params,
        )
        afs = sorted({a for a, _, _ in chunk})
        annees = sorted({y for _, y, _ in chunk})
        voulus = set(chunk)
        par_salarie = (
            select(
                ec.af_id,
                ec.annee,
                ec.mois,
                ec.pph_id,
                func.sum(ec.milliheures).label("mh"),
            )
            .join(Contrat, Contrat.id == ec.ctr_id)
            .where(ec.af_id.in_(afs), ec.annee.in_(annees), Contrat.salarie_rsa.in_(BRSA))
            .group_by(ec.af_id, ec.annee, ec.mois, ec.pph_id)
            .subquery()
        )
        agregat = (
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
        lignes = [
            {"af_id": a, "annee": y, "mois": m, "nb_salaries": n, "heures": h}
            for a, y, m, n, h in conn.execute(agregat)
            if (a, y, m) in voulus
        ]
        if lignes:
            conn.execute(insert(BrsaMensuel), lignes)
    return len(touches)

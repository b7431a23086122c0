"""``fluxIAE_ContratMission`` -> table ``contrat`` (id and RSA situation of each contract).

Of the ~95 columns only ``contrat_id_ctr`` and ``contrat_salarie_rsa`` are read: no personal
column is converted nor stored. A national file holds hundreds of thousands of contracts, so
rows are staged in a temporary table (memory bounded by the chunk size), deduplicated there
(first line of a contract wins), then merged. A contract stored from a *later* extraction is
never replaced by an older file. The bRSA figures of every AF-month where a contract of the
file has hours are then recomputed (:mod:`etp.fluxiae.brsa`): a ContratMission file may well
arrive after the monthly states.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    exists,
    func,
    insert,
    literal,
    select,
)

from etp.fluxiae import brsa, staging
from etp.fluxiae.reader import Field
from etp.fluxiae.report import FileReport
from etp.fluxiae.values import parse_bigint, text_of_max_length
from etp.schema import Contrat, EmiContrat

#: Known values of ``contrat_salarie_rsa`` (empty = not stated, kept as null).
SITUATIONS_RSA = frozenset({"NON", "OUI-M", "OUI-NM"})

FIELDS = (
    Field("contrat_id_ctr", parse_bigint, required=True),
    Field("contrat_salarie_rsa", text_of_max_length(8)),
)
CHUNK = 10_000
DOUBLON = "contrat en double dans le fichier (première ligne gardée)"
PLUS_RECENT_EN_BASE = "contrat déjà en base depuis une extraction plus récente"

_metadata = MetaData()
STAGE = Table(
    "fluxiae_contrat_stage",
    _metadata,
    Column("line", Integer, primary_key=True, autoincrement=False),
    Column("ctr", BigInteger, nullable=False),
    Column("rsa", String(8)),
    prefixes=["TEMPORARY"],
)


def import_contrats(
    conn: Connection,
    rows: Iterable[tuple[int, tuple[Any, ...], list[str]]],
    report: FileReport,
    import_id: int,
    error,
    extract_date: datetime | None = None,
) -> None:
    """Stage, check, deduplicate and merge the contracts; recompute the bRSA figures."""
    staging.create_temp(conn, STAGE, ("ctr", "line"))
    batch: list[tuple[Any, ...]] = []
    staged = 0
    for line, (ctr, rsa), _parts in rows:
        report.rows_read += 1
        if rsa is not None:
            rsa = rsa.strip().upper()
            if rsa not in SITUATIONS_RSA:
                raise error(
                    line,
                    "contrat_salarie_rsa",
                    f"valeur {rsa!r} inconnue (NON, OUI-M ou OUI-NM attendu)",
                )
        batch.append((line, ctr, rsa))
        if len(batch) >= CHUNK:
            staging.bulk_insert(conn, STAGE, batch)
            staged += len(batch)
            batch = []
    staging.bulk_insert(conn, STAGE, batch)
    staged += len(batch)

    later = staging.later_imports(conn, Contrat.import_id, extract_date)
    if later:
        newer = exists().where(Contrat.id == STAGE.c.ctr, Contrat.import_id.in_(later))
        stale = conn.execute(delete(STAGE).where(newer)).rowcount
        if stale:
            report.skipped[PLUS_RECENT_EN_BASE] += stale
            staged -= stale

    first = STAGE.c.line.in_(select(func.min(STAGE.c.line)).group_by(STAGE.c.ctr))
    nb_kept = conn.execute(select(func.count()).select_from(STAGE).where(first)).scalar_one()
    if staged - nb_kept:
        report.skipped[DOUBLON] += staged - nb_kept
    conn.execute(delete(STAGE).where(~first))
    report.rows_kept += nb_kept

    conn.execute(delete(Contrat).where(Contrat.id.in_(select(STAGE.c.ctr))))
    conn.execute(
        insert(Contrat).from_select(
            ["id", "salarie_rsa", "import_id"],
            select(STAGE.c.ctr, STAGE.c.rsa, literal(import_id, Integer)),
        )
    )
    ec = EmiContrat
    af_mois = conn.execute(
        select(ec.af_id, ec.annee, ec.mois).where(ec.ctr_id.in_(select(STAGE.c.ctr))).distinct()
    ).all()
    brsa.recalculer(conn, [tuple(r) for r in af_mois])
    staging.drop_temp(conn, STAGE)

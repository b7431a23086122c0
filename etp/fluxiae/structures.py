"""``fluxIAE_Structure`` -> table ``structure`` (upsert by ``structure_id_siae``).

Only the identity of a structure is read: id, SIRET (``structure_siret_actualise``),
dénomination, code INSEE and commune of the administrative address, date of modification. The
personal-data columns (``*_telephone``, ``*_corresp_technique``, e-mails, names) are never
converted nor stored: the reader only touches the columns listed in ``FIELDS``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from etp.fluxiae.reader import Field
from etp.fluxiae.report import FileReport
from etp.fluxiae.values import parse_int, parse_timestamp, text_of_max_length
from etp.schema import Structure

FIELDS = (
    Field("structure_id_siae", parse_int, required=True),
    Field("structure_siret_actualise", text_of_max_length(14)),
    Field("structure_denomination", text_of_max_length(255), required=True),
    Field("structure_adresse_admin_code_insee", text_of_max_length(5)),
    Field("structure_adresse_admin_commune", text_of_max_length(120)),
    Field("structure_date_modification", parse_timestamp),
)
CHUNK = 1000
DOUBLON = "structure en double dans le fichier"
PLUS_ANCIENNE = "version plus ancienne que celle en base"


def _newer(a: datetime | None, b: datetime | None) -> bool:
    """``a`` is at least as recent as ``b`` (an unknown date is the oldest)."""
    return (a or datetime.min) >= (b or datetime.min)


def import_structures(
    conn: Connection,
    rows: Iterable[tuple[int, tuple[Any, ...], list[str]]],
    report: FileReport,
    import_id: int,
) -> None:
    """Keep, per structure id, the most recently modified row, then upsert it."""
    latest: dict[int, tuple[Any, ...]] = {}
    for _line, values, _parts in rows:
        report.rows_read += 1
        sid = values[0]
        previous = latest.get(sid)
        if previous is not None:
            report.skipped[DOUBLON] += 1
            if not _newer(values[5], previous[5]):
                continue
        latest[sid] = values

    ids = sorted(latest)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        stored = dict(
            conn.execute(
                select(Structure.id, Structure.date_modification).where(Structure.id.in_(chunk))
            ).all()
        )
        keep = []
        for sid in chunk:
            values = latest[sid]
            if sid in stored and not _newer(values[5], stored[sid]):
                report.skipped[PLUS_ANCIENNE] += 1
                continue
            keep.append(
                {
                    "id": sid,
                    "siret": values[1],
                    "denomination": values[2],
                    "code_insee": values[3],
                    "commune": values[4],
                    "date_modification": values[5],
                    "import_id": import_id,
                }
            )
        if keep:
            conn.execute(delete(Structure).where(Structure.id.in_([k["id"] for k in keep])))
            conn.execute(insert(Structure), keep)
        report.rows_kept += len(keep)

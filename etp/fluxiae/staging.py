"""Temporary staging tables shared by the importers of large vues.

A staged file never sits in Python memory: rows are checked one by one and written in chunks to
a ``TEMPORARY`` table of the import's transaction, with the driver's own ``executemany`` (per-row
SQLAlchemy type processing was most of the import time), then the database deduplicates and
merges them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Column, Connection, Integer, MetaData, Table, insert, select, text

from etp.fluxiae.sources import parse_file_name
from etp.schema import ImportLog


def create_temp(conn: Connection, table: Table, *indexes: tuple[str, ...]) -> None:
    """(Re)create ``table``; one left on a pooled SQLite connection by a failure is dropped."""
    conn.execute(text(f"DROP TABLE IF EXISTS {table.name}"))
    table.create(conn)
    for number, columns in enumerate(indexes):
        conn.execute(
            text(f"CREATE INDEX ix_{table.name}_{number} ON {table.name} ({', '.join(columns)})")
        )


def drop_temp(conn: Connection, table: Table) -> None:
    conn.execute(text(f"DROP TABLE IF EXISTS {table.name}"))


def bulk_insert(conn: Connection, table: Table, rows: list[tuple[Any, ...]]) -> None:
    """Insert tuples (in column order) with the driver's executemany."""
    if not rows:
        return
    names = [c.name for c in table.columns]
    mark = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(conn.dialect.paramstyle)
    if mark is None:  # another driver: the portable, slower path
        conn.execute(insert(table), [dict(zip(names, row, strict=True)) for row in rows])
        return
    sql = f"INSERT INTO {table.name} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})"
    conn.exec_driver_sql(sql, rows)


def af_mois_temp(conn: Connection, name: str, af_mois: Iterable[tuple[int, int, int]]) -> Table:
    """A temporary table ``name`` (``af``, ``annee``, ``mois``, primary key) holding
    ``af_mois``: many AF-months are then deleted or kept by one join instead of one statement
    each (PostgreSQL: 163,000 of them took 2 s that way). Filled by ``COPY`` on PostgreSQL."""
    table = Table(
        name,
        MetaData(),
        Column("af", Integer, primary_key=True, autoincrement=False),
        Column("annee", Integer, primary_key=True, autoincrement=False),
        Column("mois", Integer, primary_key=True, autoincrement=False),
        prefixes=["TEMPORARY"],
    )
    create_temp(conn, table)
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        with (
            raw.cursor() as cursor,
            cursor.copy(f"COPY {name} (af, annee, mois) FROM STDIN") as copy,
        ):
            for row in af_mois:
                copy.write_row(row)
        return table
    rows = list(af_mois)
    for start in range(0, len(rows), 50_000):
        bulk_insert(conn, table, rows[start : start + 50_000])
    return table


def extraction(name: str) -> datetime | None:
    """The extraction date in a fluxIAE file name (``None`` when the name has none)."""
    parsed = parse_file_name(name)
    return parsed[1] if parsed else None


def later_imports(
    conn: Connection, import_id: Column[Any], extract_date: datetime | None
) -> list[int]:
    """Ids of the imports that own rows (``import_id`` column of a table) and come from an
    extraction after ``extract_date``: an older file must not replace what they stored."""
    if extract_date is None:
        return []
    owners = select(import_id).where(import_id.is_not(None)).distinct()
    logs = conn.execute(select(ImportLog.id, ImportLog.fichier).where(ImportLog.id.in_(owners)))
    return [
        log_id
        for log_id, fichier in logs
        if (stored := extraction(fichier)) is not None and stored > extract_date
    ]

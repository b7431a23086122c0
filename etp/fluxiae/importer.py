"""``import_paths``: one atomic, idempotent, logged import of fluxIAE files.

One call is one transaction over all its files, processed Structure, then AnnexeFinanciere,
then EtatMensuelIndiv (then by extraction date), whatever the order given, so that a delivery
imports the same way however it is listed. A file whose decompressed content (SHA-256) was
already imported is not read again (``deja_importe``): re-importing an old EMI file must not
bring back superseded months. On a :class:`FluxIAEError` the transaction is rolled back, the
refusal is recorded in ``import_log`` in a separate transaction, and the error is re-raised.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from os import PathLike
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from etp import etats_annee
from etp.fluxiae import annexes, contrats, etats, montants, structures
from etp.fluxiae.columns import (
    VUE_ANNEXE_FINANCIERE,
    VUE_CONTRAT_MISSION,
    VUE_ETAT_MENSUEL_INDIV,
    VUE_REF_MONTANT_IAE,
    VUE_STRUCTURE,
)
from etp.fluxiae.errors import FluxIAEError
from etp.fluxiae.reader import VueReader, checksum
from etp.fluxiae.report import (
    DEJA_IMPORTE,
    IGNORE,
    IMPORTE,
    REFUSE,
    FileReport,
    ImportReport,
    Progress,
)
from etp.fluxiae.sources import Source, sources_of
from etp.schema import ImportLog

ProgressCallback = Callable[[Progress], None]

#: Contracts come before the monthly states: in one delivery the EMI import finds them; a
#: ContratMission file of a later call recomputes the bRSA figures itself.
VUE_ORDER = {
    VUE_STRUCTURE: 0,
    VUE_ANNEXE_FINANCIERE: 1,
    VUE_REF_MONTANT_IAE: 2,
    VUE_CONTRAT_MISSION: 3,
    VUE_ETAT_MENSUEL_INDIV: 4,
}
PROGRESS_EVERY = 20_000


def _ordered(sources: Iterable[Source]) -> tuple[list[Source], list[Source]]:
    known = [s for s in sources if s.vue in VUE_ORDER]
    ignored = [s for s in sources if s.vue not in VUE_ORDER]
    known.sort(key=lambda s: (VUE_ORDER[s.vue or ""], s.extract_date or datetime.min, s.name))
    return known, ignored


def _with_progress(
    reader: VueReader, report: FileReport, progress: ProgressCallback | None
) -> Iterator[tuple[int, tuple[Any, ...], list[str]]]:
    """The reader's rows, telling ``progress`` every few thousand rows and at the end."""
    if progress is None:
        yield from reader
        return

    def tell(finished: bool) -> None:
        progress(
            Progress(
                report.path,
                report.vue,
                reader.rows,
                reader.bytes_read,
                reader.source.size,
                finished,
            )
        )

    tell(False)
    for count, row in enumerate(reader, start=1):
        yield row
        if count % PROGRESS_EVERY == 0:
            tell(False)
    tell(True)


def _log_values(report: FileReport) -> dict[str, Any]:
    return {
        "fichier": report.path[-255:],
        "vue": report.vue or "",
        "checksum": report.checksum,
        "statut": report.status,
        "lignes_lues": report.rows_read,
        "lignes_gardees": report.rows_kept,
        "lignes_rejetees": report.rows_skipped,
        "motifs": json.dumps(
            {**report.skipped, **{f"anomalie : {k}": v for k, v in report.anomalies.items()}},
            ensure_ascii=False,
            sort_keys=True,
        ),
        "date_donnees": report.data_date,
        "message": report.message,
    }


def _log(conn: Connection, report: FileReport) -> int:
    values = _log_values(report) | {"importe_le": datetime.now().replace(microsecond=0)}
    return conn.execute(insert(ImportLog).values(**values)).inserted_primary_key[0]


def _already_imported(conn: Connection, digest: str) -> bool:
    found = conn.execute(
        select(ImportLog.id)
        .where(ImportLog.checksum == digest, ImportLog.statut == IMPORTE)
        .limit(1)
    ).first()
    return found is not None


def _import_file(
    conn: Connection,
    source: Source,
    report: FileReport,
    done: set[str],
    progress: ProgressCallback | None,
) -> int | None:
    """Import one file; returns its ``import_log`` id (``None`` when already imported)."""
    report.checksum = checksum(source)
    if report.checksum in done or _already_imported(conn, report.checksum):
        report.status = DEJA_IMPORTE
        report.message = "contenu identique à un fichier déjà importé : rien n'a changé"
        _log(conn, report)
        return None
    import_id = _log(conn, report)
    if source.vue == VUE_STRUCTURE:
        reader = VueReader(source, structures.FIELDS)
        structures.import_structures(
            conn, _with_progress(reader, report, progress), report, import_id
        )
    elif source.vue == VUE_ANNEXE_FINANCIERE:
        reader = VueReader(source, annexes.FIELDS)
        annexes.import_annexes(conn, _with_progress(reader, report, progress), report, import_id)
    elif source.vue == VUE_REF_MONTANT_IAE:
        reader = VueReader(source, montants.FIELDS)
        rows = _with_progress(reader, report, progress)
        montants.import_montants(conn, rows, report, import_id, reader.error, source.extract_date)
    elif source.vue == VUE_CONTRAT_MISSION:
        reader = VueReader(source, contrats.FIELDS)
        rows = _with_progress(reader, report, progress)
        contrats.import_contrats(conn, rows, report, import_id, reader.error, source.extract_date)
    else:
        reader = VueReader(source, etats.FIELDS)
        rows = _with_progress(reader, report, progress)
        etats.import_etats(
            conn,
            rows,
            report,
            import_id,
            reader.error,
            source.extract_date,
            source=source,
            progress=progress,
        )
    conn.execute(update(ImportLog).where(ImportLog.id == import_id).values(**_log_values(report)))
    done.add(report.checksum)
    return import_id


def _record_refusal(engine: Engine, report: FileReport, error: FluxIAEError) -> None:
    report.status = REFUSE
    report.message = str(error)
    with engine.begin() as conn:
        _log(conn, report)


#: PostgreSQL memory for the import's sorts, hashes and index builds (``SET LOCAL``: this
#: transaction only). With the server's default (4 MB) grouping a national EMI file (5.7 million
#: rows, five keys) spills to disk far more: measured, ~5 s of its ~50 s import.
MEMOIRE_IMPORT_PG = "256MB"


def _memoire_de_travail(conn: Connection) -> None:
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql(f"SET LOCAL work_mem = '{MEMOIRE_IMPORT_PG}'")
        conn.exec_driver_sql(f"SET LOCAL maintenance_work_mem = '{MEMOIRE_IMPORT_PG}'")


def import_paths(
    engine: Engine,
    paths: Iterable[str | PathLike[str]],
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import fluxIAE files, directories and archives in one transaction.

    Raises :class:`FluxIAEError` (``file:line: column: message``) when a file is refused; the
    database is then exactly as before the call, except for the refusal in ``import_log``.
    """
    result = ImportReport()
    sources: list[Source] = []
    for path in paths:
        try:
            sources.extend(sources_of(Path(path)))
        except FluxIAEError as error:
            _record_refusal(engine, FileReport(error.path, None, REFUSE), error)
            raise
    known, ignored = _ordered(sources)
    current: FileReport | None = None
    try:
        with engine.begin() as conn:
            _memoire_de_travail(conn)
            done: set[str] = set()
            imports_emi: list[int] = []
            for source in known:
                current = FileReport(source.name, source.vue, IMPORTE)
                import_id = _import_file(conn, source, current, done, progress)
                if import_id is not None and source.vue == VUE_ETAT_MENSUEL_INDIV:
                    imports_emi.append(import_id)
                result.files.append(current)
            current = None
            # the months as the views read them, in the same transaction (etp.etats_annee)
            etats_annee.rafraichir(conn, imports_emi)
            for source in ignored:
                message = "vue non importée" if source.vue else "nom de fichier non reconnu"
                report = FileReport(source.name, source.vue, IGNORE, message=message)
                _log(conn, report)
                result.files.append(report)
    except FluxIAEError as error:
        _record_refusal(engine, current or FileReport(error.path, None, REFUSE), error)
        raise
    return result

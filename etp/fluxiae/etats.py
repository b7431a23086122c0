"""``fluxIAE_EtatMensuelIndiv`` -> table ``etat_mensuel`` (one row per AF × month).

A national file holds about 2 million rows a year, so rows are not kept in Python. When each
AF-month's rows are together in the file (a national extraction), the direct path
(:mod:`etp.fluxiae.etats_direct`, :func:`_import_direct`) reads the file once and computes the
AF-months' figures in NumPy as its blocks are parsed. Otherwise each row is checked, reduced to
the eight values the indicators need and staged, in chunks, into a temporary table of the same
transaction; the database then drops duplicate ``emi_dsm_id`` (first row wins), aggregates per
``(emi_afi_id, emi_sme_annee, emi_sme_mois)`` and replaces those AF-months. Both give the same
rows; memory stays bounded by the block size (plus, on the direct path, 8 bytes per kept row
for the ids already seen and one row per AF-month), whatever the file size.

Staged values are plain integers (the creation timestamp as ``yyyymmddhhmmss``) written with the
driver's own ``executemany``: per-row SQLAlchemy type processing was most of the import time.
Hours are staged as integer thousandths of an hour so that sums are exact, and identical on
SQLite and PostgreSQL. The state of an AF-month is the least advanced state of its rows
(BROUILLON < SAISI < DEBLOQUE < VALIDE): it is VALIDE only when every row is (domain.md §3
rule 4); a disagreement is flagged and counted as an anomaly.

An AF-month stored by an import of a *later* extraction (date in the file name) is never
replaced by an older file: replaying an old delivery, or importing deliveries out of order in
separate calls, would otherwise turn VALIDE months back into SAISI. Those rows are counted under
:data:`PLUS_RECENT_EN_BASE`. Same or unknown extraction dates replace, as the latest call wins.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime
from itertools import islice
from typing import Any

import numpy as np
from sqlalchemy import (
    BigInteger,
    Column,
    Connection,
    Delete,
    Float,
    Insert,
    Integer,
    MetaData,
    Table,
    and_,
    bindparam,
    case,
    cast,
    delete,
    distinct,
    exists,
    func,
    insert,
    select,
    text,
)

from etp.fluxiae import brsa, staging
from etp.fluxiae.reader import Field
from etp.fluxiae.report import FileReport
from etp.fluxiae.sources import Source, parse_file_name
from etp.fluxiae.values import (
    parse_bigint,
    parse_decimal,
    parse_int,
    parse_timestamp,
    text_of_max_length,
)
from etp.schema import AnnexeFinanciere, BrsaMensuel, Contrat, EmiContrat, EtatMensuel, ImportLog

ETATS = ("BROUILLON", "SAISI", "DEBLOQUE", "VALIDE")  # least to most advanced
RANG = {etat: rang for rang, etat in enumerate(ETATS)}

FIELDS = (
    Field("emi_afi_id", parse_int, required=True),
    Field("emi_sme_annee", parse_int, required=True),
    Field("emi_sme_mois", parse_int, required=True),
    Field("emi_esm_etat_code", text_of_max_length(12), required=True),
    Field("emi_pph_id", parse_bigint),
    Field("emi_ctr_id", parse_bigint, optional_column=True),
    Field("emi_nb_heures_travail", parse_decimal),
    Field("emi_dsm_id", parse_bigint, required=True),
    Field("emi_date_creation", parse_timestamp),
)

CHUNK = 10_000
#: Hours of one EMI row above this are refused (a month has at most 744 hours; the bound only
#: keeps the sum of thousandths of an AF-month far inside 64 bits).
MAX_HEURES = 1_000_000
DOUBLON = "doublon emi_dsm_id"
ETAT_INCONNU = "état inconnu"
DISCORDANTS = "mois aux états discordants (compté au moins avancé)"
AF_ABSENTE = "mois d'AF absentes de la base (gardés)"
PLUS_RECENT_EN_BASE = "mois déjà en base depuis une extraction plus récente"

_stage_metadata = MetaData()
STAGE = Table(
    "fluxiae_emi_stage",
    _stage_metadata,
    Column("line", Integer, primary_key=True, autoincrement=False),
    Column("dsm", BigInteger, nullable=False),
    Column("af", Integer, nullable=False),
    Column("annee", Integer, nullable=False),
    Column("mois", Integer, nullable=False),
    Column("rang", Integer, nullable=False),
    Column("pph", BigInteger),
    Column("ctr", BigInteger),
    Column("milliheures", BigInteger),
    Column("creation", BigInteger),  # yyyymmddhhmmss: sortable, no per-row type conversion
    prefixes=["TEMPORARY"],
)


def _create_stage(conn: Connection) -> None:
    # a temporary table left on a pooled SQLite connection by an earlier failure is dropped
    conn.execute(text(f"DROP TABLE IF EXISTS {STAGE.name}"))
    STAGE.create(conn)
    conn.execute(text(f"CREATE INDEX ix_{STAGE.name}_dsm ON {STAGE.name} (dsm, line)"))


def _bulk_insert(conn: Connection, rows: list[tuple[Any, ...]]) -> None:
    """Insert tuples into the stage with the driver's executemany (no per-row processing)."""
    names = [c.name for c in STAGE.columns]
    mark = {"qmark": "?", "format": "%s", "pyformat": "%s"}.get(conn.dialect.paramstyle)
    if mark is None:  # another driver: the portable, slower path
        conn.execute(insert(STAGE), [dict(zip(names, row, strict=True)) for row in rows])
        return
    sql = f"INSERT INTO {STAGE.name} ({', '.join(names)}) VALUES ({', '.join([mark] * len(names))})"
    conn.exec_driver_sql(sql, rows)


def _timestamp_key(value: datetime | None) -> int | None:
    if value is None:
        return None
    return (
        value.year * 10_000_000_000
        + value.month * 100_000_000
        + value.day * 1_000_000
        + value.hour * 10_000
        + value.minute * 100
        + value.second
    )


def _from_key(key: int | None) -> datetime | None:
    """The ``datetime`` of a ``yyyymmddhhmmss`` key (arithmetic, not ``strptime``: 163,000 keys
    of a national file took 2 s that way, and a year below 1000 read wrong)."""
    if key is None:
        return None
    key = int(key)
    date, heure = divmod(key, 1_000_000)
    return datetime(
        date // 10_000,
        date // 100 % 100,
        date % 100,
        heure // 10_000,
        heure // 100 % 100,
        heure % 100,
    )


def _stage_rows(
    conn: Connection,
    rows: Iterable[tuple[int, tuple[Any, ...], list[str]]],
    report: FileReport,
    error,
) -> int:
    """Check and stage every row; returns the number staged."""
    batch: list[tuple[Any, ...]] = []
    staged = 0
    for line, values, _parts in rows:
        report.rows_read += 1
        af, annee, mois, etat, pph, ctr, heures, dsm, creation = values
        if not 1 <= mois <= 12:
            raise error(line, "emi_sme_mois", f"mois {mois} hors de 1 à 12")
        if not 1990 <= annee <= 2100:
            raise error(line, "emi_sme_annee", f"année {annee} invraisemblable")
        rang = RANG.get(etat)
        if rang is None:
            report.skipped[ETAT_INCONNU] += 1
            continue
        if heures is not None and abs(heures) > MAX_HEURES:
            # would overflow the 64-bit sum of thousandths: refused with its line, not by the driver
            raise error(
                line, "emi_nb_heures_travail", f"nombre d'heures invraisemblable ({heures})"
            )
        milliheures = None if heures is None else round(heures * 1000)
        batch.append(
            (line, dsm, af, annee, mois, rang, pph, ctr, milliheures, _timestamp_key(creation))
        )
        if len(batch) >= CHUNK:
            _bulk_insert(conn, batch)
            staged += len(batch)
            batch = []
    if batch:
        _bulk_insert(conn, batch)
        staged += len(batch)
    return staged


def _extraction(name: str) -> datetime | None:
    parsed = parse_file_name(name)
    return parsed[1] if parsed else None


def _later_imports(conn: Connection, extract_date: datetime | None) -> list[int]:
    """Ids of the imports whose stored AF-months come from an extraction after ``extract_date``.

    The extraction date is read back from the file name kept in ``import_log`` (no schema
    change); only the few imports that still own ``etat_mensuel`` rows are looked at.
    """
    if extract_date is None:
        return []
    owners = select(EtatMensuel.import_id).where(EtatMensuel.import_id.is_not(None)).distinct()
    logs = conn.execute(select(ImportLog.id, ImportLog.fichier).where(ImportLog.id.in_(owners)))
    return [
        log_id
        for log_id, fichier in logs
        if (stored := _extraction(fichier)) is not None and stored > extract_date
    ]


#: Try the columnar fast path (:mod:`etp.fluxiae.etats_rapide`) before the exact reader.
RAPIDE = True


def _stage_rapide(
    conn: Connection, source: Source, report: FileReport, progress: Callable | None
) -> int | None:
    """Stage with the fast path; ``None`` (stage emptied, counts reset) when it declines."""
    from etp.fluxiae import etats_rapide
    from etp.fluxiae.importer import PROGRESS_EVERY

    try:
        return etats_rapide.stage_emi(
            conn,
            source,
            FIELDS,
            STAGE.name,
            [c.name for c in STAGE.columns],
            RANG,
            report,
            _bulk_insert,
            progress,
            PROGRESS_EVERY,
        )
    except etats_rapide.Declin:
        conn.execute(delete(STAGE))
        report.rows_read = 0
        report.skipped.pop(ETAT_INCONNU, None)
        return None


def import_etats(
    conn: Connection,
    rows: Iterable[tuple[int, tuple[Any, ...], list[str]]],
    report: FileReport,
    import_id: int,
    error,
    extract_date: datetime | None = None,
    source: Source | None = None,
    progress: Callable | None = None,
) -> None:
    """Stage, deduplicate, aggregate and replace the AF-months present in the file.

    ``error(line, column, message)`` builds the :class:`FluxIAEError` of this file;
    ``extract_date`` (from its name) protects months stored from a later extraction. With
    ``source``, the columnar fast path reads the file when it can: directly
    (:func:`_import_direct`) when its AF-months come one after the other, else staged;
    ``rows`` (the exact reader) are read only when it declines, so the checks and error
    messages are always the same.
    """
    later = _later_imports(conn, extract_date)
    rapide = source is not None and RAPIDE
    if rapide and DIRECT:
        issue = _import_direct(conn, source, report, import_id, later, progress)
        if issue == _FAIT:
            return
        rapide = issue == _DESORDRE  # declined: the staged fast path would decline as well
    _create_stage(conn)
    staged = _stage_rapide(conn, source, report, progress) if rapide else None
    if staged is None:
        staged = _stage_rows(conn, rows, report, error)

    same_month = and_(
        STAGE.c.af == EtatMensuel.af_id,
        STAGE.c.annee == EtatMensuel.annee,
        STAGE.c.mois == EtatMensuel.mois,
    )
    if later:
        newer_month = exists().where(same_month, EtatMensuel.import_id.in_(later))
        stale = conn.execute(delete(STAGE).where(newer_month)).rowcount
        if stale:
            report.skipped[PLUS_RECENT_EN_BASE] += stale
            staged -= stale

    # duplicates are removed from the stage once, so that both aggregations read it unfiltered
    doublons = conn.execute(_sans_doublons(conn)).rowcount
    if doublons:
        report.skipped[DOUBLON] += doublons
    report.rows_kept += staged - doublons

    rang_min = func.min(STAGE.c.rang)
    aggregate = select(
        STAGE.c.af,
        STAGE.c.annee,
        STAGE.c.mois,
        cast(func.coalesce(func.sum(STAGE.c.milliheures), 0), Float) / 1000.0,
        case(*((rang_min == rang, etat) for etat, rang in RANG.items())),
        func.count(distinct(STAGE.c.pph)),
        func.count(),
        case((rang_min != func.max(STAGE.c.rang), True), else_=False),
        func.max(STAGE.c.creation),
    ).group_by(STAGE.c.af, STAGE.c.annee, STAGE.c.mois)
    af_mois = [
        tuple(row)
        for row in conn.execute(select(STAGE.c.af, STAGE.c.annee, STAGE.c.mois).distinct())
    ]
    # through a keyed table of the AF-months: SQLite ran EXISTS (stage) as one scan of the
    # unindexed stage per stored AF-month (a national file again on a full base: hours)
    mois_du_fichier = staging.af_mois_temp(conn, "fluxiae_emi_af_mois", af_mois)
    em = EtatMensuel
    conn.execute(
        delete(em).where(
            exists().where(
                mois_du_fichier.c.af == em.af_id,
                mois_du_fichier.c.annee == em.annee,
                mois_du_fichier.c.mois == em.mois,
            )
        )
    )
    staging.drop_temp(conn, mois_du_fichier)
    # one row per AF-month (about 56,000 a year nationally): converted here, inserted by chunks
    batch: list[dict[str, Any]] = []
    latest: int | None = None
    for row in conn.execute(aggregate):
        record = dict(zip(_MOIS_COLONNES, row, strict=True))
        key = record["derniere_creation"]
        if key is not None and (latest is None or key > latest):
            latest = key
        record["derniere_creation"] = _from_key(key)
        record["etats_discordants"] = bool(record["etats_discordants"])
        record["import_id"] = import_id
        batch.append(record)
        if len(batch) >= CHUNK:
            conn.execute(insert(EtatMensuel), batch)
            batch = []
    if batch:
        conn.execute(insert(EtatMensuel), batch)
    report.data_date = _from_key(latest)
    _compter_anomalies(conn, report, import_id)
    _remplacer_contrats(conn, af_mois)
    conn.execute(text(f"DROP TABLE {STAGE.name}"))


_MOIS_COLONNES = [
    "af_id",
    "annee",
    "mois",
    "heures",
    "etat",
    "nb_salaries",
    "nb_lignes",
    "etats_discordants",
    "derniere_creation",
]


def _compter_anomalies(conn: Connection, report: FileReport, import_id: int) -> None:
    """AF-months of this import whose rows disagree on their state, or whose AF is unknown."""
    mine = EtatMensuel.import_id == import_id
    discordants = conn.execute(
        select(func.count()).select_from(EtatMensuel).where(mine, EtatMensuel.etats_discordants)
    ).scalar_one()
    if discordants:
        report.anomalies[DISCORDANTS] = discordants
    orphan = ~exists().where(AnnexeFinanciere.id == EtatMensuel.af_id)
    orphans = conn.execute(
        select(func.count()).select_from(EtatMensuel).where(mine, orphan)
    ).scalar_one()
    if orphans:
        report.anomalies[AF_ABSENTE] = orphans


#: Try the direct path (:mod:`etp.fluxiae.etats_direct`) before staging the file.
DIRECT = True
_FAIT, _DECLIN, _DESORDRE = "fait", "declin", "desordre"

CONTRATS_STAGE = Table(
    "fluxiae_emi_contrat_stage",
    _stage_metadata,
    *(Column(c.name, c.type, nullable=False) for c in EmiContrat.__table__.columns),
    prefixes=["TEMPORARY"],
)


def _import_direct(
    conn: Connection,
    source: Source,
    report: FileReport,
    import_id: int,
    later: list[int],
    progress: Callable | None,
) -> str:
    """The direct path, in a savepoint: ``_FAIT``, or (everything it did rolled back, its
    counts reset) ``_DECLIN`` when the fast parser declines the file, ``_DESORDRE`` when an
    AF-month's rows are not together in it."""
    from etp.fluxiae import etats_direct, etats_rapide

    plus_recents = etats_direct.cles_mois(*_mois_de(conn, later)) if later else []
    try:
        with conn.begin_nested():
            _direct(conn, source, report, import_id, plus_recents, progress)
    except (etats_rapide.Declin, etats_direct.Desordre) as exc:
        report.rows_read = 0
        report.skipped.pop(ETAT_INCONNU, None)
        return _DECLIN if isinstance(exc, etats_rapide.Declin) else _DESORDRE
    return _FAIT


def _mois_de(conn: Connection, imports: list[int]) -> tuple[np.ndarray, ...]:
    """``(af_id, annee, mois)`` arrays of the AF-months stored by ``imports``."""
    em = EtatMensuel
    rows = conn.execute(select(em.af_id, em.annee, em.mois).where(em.import_id.in_(imports)))
    colonnes = np.array(rows.all(), dtype=np.int64).reshape(-1, 3)
    return colonnes[:, 0], colonnes[:, 1], colonnes[:, 2]


def _direct(
    conn: Connection,
    source: Source,
    report: FileReport,
    import_id: int,
    plus_recents,
    progress: Callable | None,
) -> None:
    """Reads the file once, writing ``emi_contrat`` as blocks come, then replaces the
    ``etat_mensuel`` and ``brsa_mensuel`` rows of its AF-months by those computed meanwhile.

    ``emi_contrat`` empty (a first import): PostgreSQL copies into it without its indexes,
    built again at the end (:func:`index_reconstruits`), SQLite inserts into it. Otherwise
    PostgreSQL copies into a stage whose rows replace those of the file's AF-months at the
    end (indexes rebuilt when the file brings as many rows as the table keeps, as in
    :func:`_reconstruire_les_index`), SQLite deletes each block's AF-months before inserting
    their rows.
    """
    from etp.fluxiae import etats_direct, etats_rapide
    from etp.fluxiae.importer import PROGRESS_EVERY

    postgres = conn.dialect.name == "postgresql"
    vide = conn.execute(select(EmiContrat.af_id).limit(1)).first() is None
    attente = postgres and not vide
    if attente:
        staging.create_temp(conn, CONTRATS_STAGE)
    cible = CONTRATS_STAGE.name if attente else EmiContrat.__tablename__
    brsa_ids = conn.execute(select(Contrat.id).where(Contrat.salarie_rsa.in_(brsa.BRSA)))
    agregateur = etats_direct.Agregateur(
        np.asarray(plus_recents, dtype=np.int64),
        np.fromiter(brsa_ids.scalars(), dtype=np.int64),
    )
    blocs = etats_rapide.blocs_emi(source, FIELDS, RANG, report, progress, PROGRESS_EVERY)
    sans_index = index_reconstruits(conn) if postgres and vide else contextlib.nullcontext()
    ecrivain = etats_direct.ecrivain_contrats(conn, cible, not vide and not postgres)
    # closing: a Desordre leaves the parser's file open otherwise, until collected
    with contextlib.closing(blocs), sans_index, ecrivain as ecrire:
        for colonnes in blocs:
            ecrire(*agregateur.ajouter(colonnes))
        ecrire(*agregateur.terminer())

    if agregateur.plus_recents_lignes:
        report.skipped[PLUS_RECENT_EN_BASE] += agregateur.plus_recents_lignes
    if agregateur.doublons:
        report.skipped[DOUBLON] += agregateur.doublons
    report.rows_kept += agregateur.gardees
    mois = agregateur.mois_agreges()
    af_mois = list(zip(*(c.tolist() for c in etats_direct.af_annee_mois(mois.cles)), strict=True))
    table = staging.af_mois_temp(conn, "fluxiae_emi_af_mois", af_mois)
    em = EtatMensuel
    meme_mois = and_(table.c.af == em.af_id, table.c.annee == em.annee, table.c.mois == em.mois)
    conn.execute(delete(em).where(exists().where(meme_mois)))
    _inserer_mois(conn, mois, af_mois, import_id)
    creations = mois.creation[mois.creation >= 0]
    report.data_date = _from_key(int(creations.max())) if len(creations) else None
    _compter_anomalies(conn, report, import_id)
    if attente:
        _remplacer_par_attente(conn, table)
    bm = BrsaMensuel
    conn.execute(
        delete(bm).where(
            exists().where(
                table.c.af == bm.af_id, table.c.annee == bm.annee, table.c.mois == bm.mois
            )
        )
    )
    staging.drop_temp(conn, table)
    cles, nombres, milliheures = agregateur.brsa_agreges()
    lignes = (
        (a, y, m, n, mh / 1000.0)
        for a, y, m, n, mh in zip(
            *(c.tolist() for c in etats_direct.af_annee_mois(cles)),
            nombres.tolist(),
            milliheures.tolist(),
            strict=True,
        )
    )
    noms = ["af_id", "annee", "mois", "nb_salaries", "heures"]
    _inserer(conn, BrsaMensuel.__table__, noms, lignes)


def _inserer_mois(conn: Connection, mois, af_mois: list[tuple[int, int, int]], import_id: int):
    """The ``etat_mensuel`` rows of the direct path, valued as the staged path's SQL gives
    them: hours ``float(thousandths) / 1000.0``, the least advanced state, a disagreement
    flag, the latest creation as a ``datetime``."""
    lignes = (
        (a, y, m, mh / 1000.0, ETATS[r0], ns, nl, r0 != r1, _from_key(c) if c >= 0 else None)
        for (a, y, m), mh, r0, r1, ns, nl, c in zip(
            af_mois,
            mois.milliheures.tolist(),
            mois.rang_min.tolist(),
            mois.rang_max.tolist(),
            mois.nb_salaries.tolist(),
            mois.nb_lignes.tolist(),
            mois.creation.tolist(),
            strict=True,
        )
    )
    noms = [*_MOIS_COLONNES, "import_id"]
    _inserer(conn, EtatMensuel.__table__, noms, ((*ligne, import_id) for ligne in lignes))


def _inserer(
    conn: Connection, table: Table, noms: list[str], lignes: Iterable[tuple[Any, ...]]
) -> None:
    """Rows (values of the columns ``noms``) into ``table``: by ``COPY`` on PostgreSQL
    (psycopg's adaptation of the Python values, as for an INSERT; 163,000 AF-months by
    executemany took 2 s), else by SQLAlchemy's insert (its storage of dates and booleans in
    SQLite)."""
    if conn.dialect.name == "postgresql":
        raw = conn.connection.driver_connection
        sql = f"COPY {table.name} ({', '.join(noms)}) FROM STDIN"
        with raw.cursor() as cursor, cursor.copy(sql) as copy:
            for ligne in lignes:
                copy.write_row(ligne)
        return
    lignes = iter(lignes)
    while paquet := [dict(zip(noms, ligne, strict=True)) for ligne in islice(lignes, CHUNK)]:
        conn.execute(insert(table), paquet)


def _remplacer_par_attente(conn: Connection, table: Table) -> None:
    """PostgreSQL, ``emi_contrat`` not empty: the file's AF-months deleted by one join, then
    the staged rows inserted (without the indexes when the file brings as many rows as the
    table keeps)."""
    ec = EmiContrat.__table__
    meme_mois = and_(
        table.c.af == ec.c.af_id, table.c.annee == ec.c.annee, table.c.mois == ec.c.mois
    )
    conn.execute(delete(ec).where(exists().where(meme_mois)))
    inserer = insert(ec).from_select(
        [c.name for c in CONTRATS_STAGE.columns], select(*CONTRATS_STAGE.columns)
    )
    entrantes = conn.execute(select(func.count()).select_from(CONTRATS_STAGE)).scalar_one()
    _inserer_contrats(conn, inserer, entrantes)
    staging.drop_temp(conn, CONTRATS_STAGE)


def _sans_doublons(conn: Connection) -> Delete:
    """Deletes every staged row but the first (lowest line) of each ``emi_dsm_id``. PostgreSQL:
    as a join of the stage with itself (4 s for a national file, against 10 s for the same
    ``NOT IN`` of each id's first line that SQLite, without ``DELETE … USING``, runs)."""
    if conn.dialect.name == "postgresql":
        plus_tot = STAGE.alias("plus_tot")
        return delete(STAGE).where(STAGE.c.dsm == plus_tot.c.dsm, STAGE.c.line > plus_tot.c.line)
    premieres = select(func.min(STAGE.c.line)).group_by(STAGE.c.dsm)
    return delete(STAGE).where(STAGE.c.line.not_in(premieres))


def _remplacer_contrats(conn: Connection, af_mois: list[tuple[int, int, int]]) -> None:
    """Replace the hours per employee × contract of the file's AF-months (``emi_contrat``), then
    recompute their bRSA figures. The AF-months are few (about 56,000 a year nationally): they
    are deleted by primary key, never by scanning ``emi_contrat``."""
    ec = EmiContrat
    for start in range(0, len(af_mois), CHUNK):
        conn.execute(
            delete(ec).where(
                ec.af_id == bindparam("a"), ec.annee == bindparam("y"), ec.mois == bindparam("m")
            ),
            [{"a": a, "y": y, "m": m} for a, y, m in af_mois[start : start + CHUNK]],
        )
    lignes = (
        select(
            STAGE.c.af,
            STAGE.c.annee,
            STAGE.c.mois,
            STAGE.c.pph,
            STAGE.c.ctr,
            func.coalesce(func.sum(STAGE.c.milliheures), 0),
        )
        .where(STAGE.c.pph.is_not(None), STAGE.c.ctr.is_not(None))
        .group_by(STAGE.c.af, STAGE.c.annee, STAGE.c.mois, STAGE.c.pph, STAGE.c.ctr)
    )
    inserer = insert(ec).from_select(
        ["af_id", "annee", "mois", "pph_id", "ctr_id", "milliheures"], lignes
    )
    entrantes = 0
    if conn.dialect.name == "postgresql":
        entrantes = conn.execute(select(func.count()).select_from(STAGE)).scalar_one()
    _inserer_contrats(conn, inserer, entrantes)
    brsa.recalculer(conn, af_mois)


def _inserer_contrats(conn: Connection, inserer: Insert, entrantes: int) -> None:
    """Run ``inserer`` (rows into ``emi_contrat``), the table's indexes rebuilt around it when
    ``entrantes`` rows are at least as many as it keeps (:func:`_reconstruire_les_index`)."""
    if _reconstruire_les_index(conn, entrantes):
        with index_reconstruits(conn):
            conn.execute(inserer)
    else:
        conn.execute(inserer)


#: Below this many rows to insert, ``emi_contrat``'s indexes are kept up to date row by row.
SEUIL_RECONSTRUCTION = 100_000


def _reconstruire_les_index(conn: Connection, entrantes: int) -> bool:
    """PostgreSQL, when the file brings at least as many employee × contract rows as the table
    keeps of other AF-months (a first import, or a whole national file again): building the
    two indexes after the insert takes ~4 s for 5.7 million rows, maintaining them row by row
    during it ~30 s."""
    if conn.dialect.name != "postgresql" or entrantes < SEUIL_RECONSTRUCTION:
        return False
    # counted, not estimated: after the file's AF-months were deleted, the planner's estimate
    # still holds them (a second national delivery would keep its indexes row by row)
    restantes = conn.execute(select(func.count()).select_from(EmiContrat)).scalar_one()
    return entrantes >= restantes


@contextlib.contextmanager
def index_reconstruits(conn: Connection) -> Iterator[None]:
    """``emi_contrat`` without its primary key and ``ctr_id`` index for the block, both built
    again at the end, in the import's transaction (PostgreSQL's DDL is transactional: a refused
    file leaves them as they were). Nothing else reads the table meanwhile (the lock is held)."""
    # IF EXISTS: a database whose index went missing gets it back at the end
    conn.exec_driver_sql("ALTER TABLE emi_contrat DROP CONSTRAINT IF EXISTS emi_contrat_pkey")
    conn.exec_driver_sql("DROP INDEX IF EXISTS ix_emi_contrat_ctr")
    yield
    conn.exec_driver_sql(
        "ALTER TABLE emi_contrat ADD CONSTRAINT emi_contrat_pkey "
        "PRIMARY KEY (af_id, annee, mois, pph_id, ctr_id)"
    )
    conn.exec_driver_sql("CREATE INDEX ix_emi_contrat_ctr ON emi_contrat (ctr_id)")

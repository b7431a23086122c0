"""The fast path of the EtatMensuelIndiv import: columnar parsing and bulk staging.

A national EMI file holds millions of rows; reading them one by one in Python was most of the
import time. Here the decompressed file is read in blocks of whole lines, each block parsed by
pyarrow (only the columns the import needs), every value checked in vectorised form, and the
block staged in one statement (``COPY`` on PostgreSQL, the driver's ``executemany`` elsewhere).

This path only **accepts**: it stages exactly the values that the exact reader
(:class:`etp.fluxiae.reader.VueReader` and :func:`etp.fluxiae.etats._stage_rows`) would have
staged, and as soon as anything is unusual (a value the exact reader could refuse or parse in
another way, a blank line, a CR, non-ASCII bytes, a ``FIN`` line that is not the last line, a
field count that differs…) it raises :class:`Declin`. The caller then empties the stage and
reads the file again with the exact reader, which accepts it the slow way or refuses it with
its line and column. So every validation rule and every error message stays the exact reader's,
and the file is still imported in the same transaction (a refused file changes nothing).

Memory stays bounded by the block size (a few megabytes of text and its columns).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from pyarrow import csv as pacsv
from sqlalchemy import Connection

from etp.fluxiae.reader import _DEB, _FIN, BOM, Field, VueReader
from etp.fluxiae.report import FileReport, Progress
from etp.fluxiae.sources import Source
from etp.fluxiae.values import INT32, INT64

BLOC = 4 << 20  # bytes of text parsed at once
_ENTIER = r"^-?[0-9]{1,19}$"
_DECIMAL = r"^-?[0-9]{1,12}(\.[0-9]{1,12})?$"
_HORODATAGE = r"^[0-9]{2}/[0-9]{2}/[0-9]{4}( [0-9]{2}:[0-9]{2}:[0-9]{2})?$"
_JOURS = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


class Declin(Exception):
    """The fast path declines this file: the exact reader takes over."""


def _blocs(stream, report_bytes: Callable[[int], None]) -> Iterator[bytes]:
    """Blocks of whole lines (the last one may lack its newline)."""
    reste = b""
    while True:
        data = stream.read(BLOC)
        if not data:
            if reste:
                yield reste
            return
        report_bytes(len(data))
        data = reste + data
        fin = data.rfind(b"\n")
        if fin < 0:
            reste = data
            continue
        reste = data[fin + 1 :]
        yield data[: fin + 1]


def _entete(reader: VueReader, stream) -> int:
    """Read the DEB line and header with the exact reader's own checks; returns the header's
    line number. Any problem declines (the exact reader will say it)."""
    premiere = stream.readline()
    if premiere.startswith(BOM):
        premiere = premiere[len(BOM) :]
    try:
        texte = reader._decode(premiere, 1)
        lignes = [(1, texte)]
        if _DEB.fullmatch(texte):
            lignes.append((2, reader._decode(stream.readline(), 2)))
        return reader._read_header(iter(lignes))
    except Exception as exc:
        raise Declin from exc


def _colonne(table: pa.Table, name: str) -> pa.ChunkedArray | None:
    return table.column(name) if name in table.column_names else None


def _verifie(array: pa.ChunkedArray, motif: str) -> None:
    """Every non-null value matches ``motif`` (else decline)."""
    ok = pc.match_substring_regex(array, motif)
    if pc.any(pc.invert(pc.fill_null(ok, True))).as_py():
        raise Declin


def _entiers(array: pa.ChunkedArray | None, field: Field, n: int, bornes) -> np.ndarray:
    """An integer column as int64 with a null mask (``-1`` never read where masked)."""
    if array is None:
        return np.ma.masked_all(n, dtype=np.int64)
    if field.required and array.null_count:
        raise Declin
    _verifie(array, _ENTIER)
    try:
        entiers = pc.cast(array, pa.int64())
    except pa.ArrowInvalid as exc:  # beyond 64 bits: the exact reader refuses it
        raise Declin from exc
    # nulls filled before leaving Arrow: an int64 array with nulls would become float64
    values = pc.fill_null(entiers, 0).to_numpy(zero_copy_only=False)
    masque = array.is_null().to_numpy(zero_copy_only=False)
    valeurs = np.ma.masked_array(values.astype(np.int64), mask=masque)
    if ((valeurs < bornes[0]) | (valeurs > bornes[1])).any():
        raise Declin
    return valeurs


def _horodatages(array: pa.ChunkedArray, n: int) -> np.ndarray:
    """``dd/mm/yyyy[ HH:MM:SS]`` as ``yyyymmddhhmmss`` integers (masked when null); a date that
    does not exist declines."""
    if array.null_count == n:
        return np.ma.masked_all(n, dtype=np.int64)
    _verifie(array, _HORODATAGE)
    masque = array.is_null().to_numpy(zero_copy_only=False)
    texte = pc.fill_null(array, "01/01/2000")
    complet = pc.utf8_rpad(texte, 19, " ")

    def part(start: int, stop: int) -> np.ndarray:
        morceau = pc.utf8_slice_codeunits(complet, start, stop)
        morceau = pc.if_else(pc.equal(morceau, "  "), "00", morceau)
        return pc.cast(morceau, pa.int64()).to_numpy(zero_copy_only=False)

    jour, mois, annee = part(0, 2), part(3, 5), part(6, 10)
    heure, minute, seconde = part(11, 13), part(14, 16), part(17, 19)
    if ((mois < 1) | (mois > 12) | (annee < 1)).any():
        raise Declin
    bissextile = ((annee % 4 == 0) & (annee % 100 != 0)) | (annee % 400 == 0)
    jours = _JOURS[mois - 1] + ((mois == 2) & bissextile)
    if ((jour < 1) | (jour > jours) | (heure > 23) | (minute > 59) | (seconde > 59)).any():
        raise Declin
    cle = (
        annee * 10_000_000_000
        + mois * 100_000_000
        + jour * 1_000_000
        + heure * 10_000
        + minute * 100
        + seconde
    )
    return np.ma.masked_array(cle, mask=masque)


def _colonnes_du_bloc(
    table: pa.Table, fields: dict[str, Field], premiere_ligne: int, rang: dict[str, int]
) -> tuple[list[np.ndarray], int]:
    """The staged columns of one block (unknown states left out) and the rows left out."""
    n = table.num_rows
    af = _entiers(table.column("emi_afi_id"), fields["emi_afi_id"], n, INT32)
    annee = _entiers(table.column("emi_sme_annee"), fields["emi_sme_annee"], n, INT32)
    mois = _entiers(table.column("emi_sme_mois"), fields["emi_sme_mois"], n, INT32)
    if ((mois < 1) | (mois > 12) | (annee < 1990) | (annee > 2100)).any():
        raise Declin  # the exact reader refuses the first such line
    etat = table.column("emi_esm_etat_code")
    if etat.null_count or pc.any(pc.greater(pc.utf8_length(etat), 12)).as_py():
        raise Declin
    pph = _entiers(_colonne(table, "emi_pph_id"), fields["emi_pph_id"], n, INT64)
    ctr = _entiers(_colonne(table, "emi_ctr_id"), fields["emi_ctr_id"], n, INT64)
    heures = table.column("emi_nb_heures_travail")
    _verifie(heures, _DECIMAL)
    h = pc.fill_null(pc.cast(heures, pa.float64()), 0.0).to_numpy(zero_copy_only=False)
    masque_h = heures.is_null().to_numpy(zero_copy_only=False)
    dsm = _entiers(table.column("emi_dsm_id"), fields["emi_dsm_id"], n, INT64)
    creation = _horodatages(table.column("emi_date_creation"), n)

    codes = pc.index_in(etat, value_set=pa.array(list(rang)))
    connu = codes.is_valid().to_numpy(zero_copy_only=False)
    rangs = np.array(list(rang.values()), dtype=np.int64)[
        pc.fill_null(codes, 0).to_numpy(zero_copy_only=False)
    ]
    h = np.where(masque_h, 0.0, h)
    if (np.abs(h[connu & ~masque_h]) > _MAX_HEURES).any():
        raise Declin
    milli = np.ma.masked_array(np.rint(h * 1000).astype(np.int64), mask=masque_h)
    lignes = np.arange(premiere_ligne, premiere_ligne + n, dtype=np.int64)
    colonnes = [lignes, dsm, af, annee, mois, rangs, pph, ctr, milli, creation]
    garde = [c[connu] for c in colonnes]
    return garde, int(n - connu.sum())


def _python(colonne: np.ndarray) -> list[Any]:
    """Python ints (None where masked), for the driver."""
    if isinstance(colonne, np.ma.MaskedArray):
        masque = np.ma.getmaskarray(colonne)
        if masque.any():
            return np.where(masque, None, colonne.data.astype(object)).tolist()
        colonne = colonne.data
    return colonne.tolist()


def _copier(conn: Connection, table_name: str, names: list[str], colonnes: list) -> None:
    """PostgreSQL: one ``COPY`` of the block (CSV text built by pyarrow; null = empty)."""
    arrays = [
        pa.array(np.ma.getdata(c), mask=np.ma.getmaskarray(c), type=pa.int64()) for c in colonnes
    ]
    buffer = io.BytesIO()
    pacsv.write_csv(
        pa.table(arrays, names=names),
        buffer,
        pacsv.WriteOptions(include_header=False, quoting_style="none"),
    )
    raw = conn.connection.driver_connection
    with raw.cursor() as cursor:
        sql = f"COPY {table_name} ({', '.join(names)}) FROM STDIN (FORMAT csv)"
        with cursor.copy(sql) as copy:
            copy.write(buffer.getvalue())


_MAX_HEURES = 1_000_000


def blocs_emi(
    source: Source,
    fields: tuple[Field, ...],
    rang: dict[str, int],
    report: FileReport,
    progress: Callable[[Progress], None] | None = None,
    progress_every: int = 20_000,
) -> Iterator[list[np.ndarray]]:
    """The file's rows, block by block, as the exact reader would stage them, or
    :class:`Declin`.

    Yields, per block, the columns ``line, dsm, af, annee, mois, rang, pph, ctr, milliheures,
    creation`` of its rows of a known state (masked arrays where a value may be null); counts
    rows read and unknown states in ``report`` (the caller resets them when it declines).
    ``progress`` hears, as from the exact reader, 0 rows, every ``progress_every`` rows (the
    byte position estimated inside the block, told once the consumer is done with the block)
    and the end; when it declines midway, the exact reader's progress starts again from 0.
    """

    def tell(rows: int, position: int, finished: bool = False) -> None:
        if progress is not None:
            progress(Progress(source.name, source.vue, rows, position, source.size, finished))

    reader = VueReader(source, fields)
    by_name = {f.column: f for f in fields}
    lus = [0]
    rows = 0
    tell(0, 0)
    with source.open() as stream:
        ligne_entete = _entete(reader, stream)
        position = stream.tell() if hasattr(stream, "tell") else 0
        header = reader.header
        wanted = [f.column for f in fields if f.column in header]
        options = (
            pacsv.ReadOptions(column_names=header, use_threads=False, block_size=BLOC + 1024),
            pacsv.ParseOptions(
                delimiter="|",
                quote_char=False,
                double_quote=False,
                escape_char=False,
                newlines_in_values=False,
                ignore_empty_lines=False,
            ),
            pacsv.ConvertOptions(
                include_columns=wanted,
                column_types={c: pa.string() for c in wanted},
                null_values=[""],
                strings_can_be_null=True,
                quoted_strings_can_be_null=False,
            ),
        )
        fin: int | None = None
        for bloc in _blocs(stream, lambda n: lus.__setitem__(0, lus[0] + n)):
            if fin is not None:
                raise Declin  # something after the FIN line
            taille = len(bloc)
            if not bloc.isascii() or b"\r" in bloc or bloc.startswith(b"\n") or b"\n\n" in bloc:
                raise Declin
            if bloc.startswith(b"FIN") or b"\nFIN" in bloc:
                debut = 0 if bloc.startswith(b"FIN") else bloc.index(b"\nFIN") + 1
                match = _FIN.fullmatch(bloc[debut:].rstrip(b"\n").decode("ascii"))
                if match is None or bloc[debut:].count(b"\n") > 1:
                    raise Declin
                fin = int(match.group(1))
                bloc = bloc[:debut]
                if not bloc:
                    continue
            nb = bloc.count(b"\n") + (0 if bloc.endswith(b"\n") else 1)
            try:
                table = pacsv.read_csv(io.BytesIO(bloc), *options)
            except Exception as exc:  # any parse problem: the exact reader will name it
                raise Declin from exc
            if table.num_rows != nb:
                raise Declin
            colonnes, inconnus = _colonnes_du_bloc(table, by_name, ligne_entete + 1 + rows, rang)
            del table
            rows += nb
            report.rows_read += nb
            if inconnus:
                report.skipped["état inconnu"] += inconnus
            yield colonnes
            avant = rows - nb
            for palier in range(
                (avant // progress_every + 1) * progress_every, rows + 1, progress_every
            ):
                tell(palier, position + taille * (palier - avant) // nb)
            position += taille
        if fin is not None and fin != rows:
            raise Declin
    tell(rows, position, True)


def stage_emi(
    conn: Connection,
    source: Source,
    fields: tuple[Field, ...],
    stage_name: str,
    stage_names: list[str],
    rang: dict[str, int],
    report: FileReport,
    bulk_insert: Callable[[Connection, list[tuple[Any, ...]]], None],
    progress: Callable[[Progress], None] | None = None,
    progress_every: int = 20_000,
) -> int:
    """Stage the file's rows like the exact reader would (see :func:`blocs_emi`), or raise
    :class:`Declin`. Returns the number of rows staged."""
    staged = 0
    postgres = conn.dialect.name == "postgresql"
    for colonnes in blocs_emi(source, fields, rang, report, progress, progress_every):
        if len(colonnes[0]):
            if postgres:
                _copier(conn, stage_name, stage_names, colonnes)
            else:
                bulk_insert(conn, list(zip(*(_python(c) for c in colonnes), strict=True)))
        staged += len(colonnes[0])
    return staged

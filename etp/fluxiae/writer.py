"""Write files in the real fluxIAE format (for demo data, tests and benchmarks).

The format (domain.md §2): UTF-8, ``|`` separator, no quoting at all, LF line ends, an optional
first line ``DEB<Vue><ddmmyyyy>_<hhmmss>|||…``, the header, the data rows, an optional last line
``FIN<n>|||…`` where ``n`` is the number of data rows. Dates are ``dd/mm/yyyy``, timestamps
``dd/mm/yyyy HH:MM:SS``, decimals use ``.``, null is the empty field.

Stable API (other modules generate their files with it)::

    write_vue(directory_or_file, "EtatMensuelIndiv", rows, extract_date=datetime(2022, 3, 1))

``rows`` are mappings ``{column: value}``; a missing column is written empty. A row may also be
a ``str``: a line already formatted with :func:`format_value` (fields joined by ``|``, no line
end), for generators of millions of rows that format faster than one mapping per row. Values may be
``None``, ``str``, ``int``, ``float``, ``Decimal``, ``bool`` (``true``/``false`` as the ASP
writes them), ``date`` or ``datetime``.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

from etp.fluxiae.columns import COLUMNS

Compression = Literal["gzip", "pkzip"] | None


def file_name(vue: str, extract_date: datetime, compression: Compression = None) -> str:
    """``fluxIAE_<Vue>_<ddmmyyyy>_<hhmmss>.csv`` (``.csv.gz`` when compressed, even as PKZIP)."""
    suffix = ".csv.gz" if compression else ".csv"
    return f"fluxIAE_{vue}_{extract_date:%d%m%Y_%H%M%S}{suffix}"


def format_value(value: Any) -> str:
    """One field as the ASP writes it; refuses what the unquoted format cannot carry."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y %H:%M:%S}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    if isinstance(value, float):
        return format(Decimal(repr(value)), "f")
    if isinstance(value, Decimal):
        return format(value, "f")
    text = str(value)
    if "|" in text or "\n" in text or "\r" in text:
        raise ValueError(f"valeur impossible à écrire sans guillemets : {text!r}")
    return text


def _write_lines(
    out: io.TextIOBase,
    vue: str,
    rows: Iterable[Mapping[str, Any] | str],
    cols: Sequence[str],
    deb: bool,
    fin: bool,
    when: datetime,
) -> None:
    padding = "|" * (len(cols) - 1)
    known = set(cols)
    if deb:
        out.write(f"DEB{vue}{when:%d%m%Y_%H%M%S}{padding}\n")
    out.write("|".join(cols) + "\n")
    count = 0
    for row in rows:
        if isinstance(row, str):  # a line already formatted (large generated files)
            out.write(row)
            out.write("\n")
            count += 1
            continue
        unknown = set(row) - known
        if unknown:
            raise ValueError(f"colonnes absentes de la vue {vue} : {sorted(unknown)}")
        out.write("|".join(format_value(row.get(c)) for c in cols) + "\n")
        count += 1
    if fin:
        out.write(f"FIN{count}{padding}\n")


def render_vue(
    vue: str,
    rows: Iterable[Mapping[str, Any]],
    *,
    columns: Sequence[str] | None = None,
    deb: bool = True,
    fin: bool = True,
    extract_date: datetime | None = None,
) -> bytes:
    """The decompressed content of a fluxIAE file, as bytes (small files, tests)."""
    cols = list(columns if columns is not None else COLUMNS[vue])
    when = extract_date or datetime.now().replace(microsecond=0)
    out = io.StringIO(newline="")
    _write_lines(out, vue, rows, cols, deb, fin, when)
    return out.getvalue().encode("utf-8")


def write_vue(
    path: str | Path,
    vue: str,
    rows: Iterable[Mapping[str, Any] | str],
    *,
    columns: Sequence[str] | None = None,
    deb: bool = True,
    fin: bool = True,
    compression: Compression = None,
    extract_date: datetime | None = None,
) -> Path:
    """Write one fluxIAE file (streamed: rows may be a generator) and return its path.

    ``path`` is either an existing directory (the file is named
    ``fluxIAE_<Vue>_<ddmmyyyy>_<hhmmss>.csv[.gz]`` from ``extract_date``, default now) or the
    full file path. ``columns`` defaults to the vue's real column list (:mod:`.columns`); pass a
    subset or another order to test reading by name. ``compression="gzip"`` writes a real gzip,
    ``"pkzip"`` a zip archive holding the ``.csv`` (as the ASP sometimes ships under ``.gz``).
    """
    when = extract_date or datetime.now().replace(microsecond=0)
    cols = list(columns if columns is not None else COLUMNS[vue])
    target = Path(path)
    if target.is_dir():
        target = target / file_name(vue, when, compression)
    with contextlib.ExitStack() as stack:
        if compression is None:
            binary = stack.enter_context(open(target, "wb"))
        elif compression == "gzip":
            raw = stack.enter_context(open(target, "wb"))
            binary = stack.enter_context(gzip.GzipFile(fileobj=raw, mode="wb", mtime=0))
        elif compression == "pkzip":
            archive = stack.enter_context(
                zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED)
            )
            member = target.name.removesuffix(".gz")
            binary = stack.enter_context(archive.open(member, "w", force_zip64=True))
        else:
            raise ValueError(f"compression inconnue : {compression!r}")
        text = stack.enter_context(io.TextIOWrapper(binary, encoding="utf-8", newline=""))
        _write_lines(text, vue, rows, cols, deb, fin, when)
    return target

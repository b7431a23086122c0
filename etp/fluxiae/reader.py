"""Stream the rows of one fluxIAE file, checking the format as it goes.

Format (domain.md §2): UTF-8 with an optional BOM, ``|`` separator, no quoting (a ``"`` is plain
text), LF (a CR before it is tolerated; CR-only endings are refused by name), optional
``DEB<Vue><ddmmyyyy>_<hhmmss>|||…`` first line, the header, the rows, an optional ``FIN<n>|||…``
last line whose count is checked. Columns are found by name; unknown columns are ignored, a
needed column present twice is refused (which one to read would be a guess). Every problem is
a :class:`FluxIAEError` naming the physical line (1-based, counting the DEB line) and the column.

Memory stays bounded: one line at a time, only the wanted columns are converted.
"""

from __future__ import annotations

import hashlib
import re
import zipfile
import zlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from etp.fluxiae.errors import FluxIAEError
from etp.fluxiae.sources import Source

BOM = b"\xef\xbb\xbf"
_DEB = re.compile(r"DEB([A-Za-z]+)(\d{8})_(\d{6})\|*")
_FIN = re.compile(r"FIN(\d+)\|*")
_STREAM_ERRORS = (EOFError, OSError, zlib.error, zipfile.BadZipFile)

Parser = Callable[[str], Any]


@dataclass(frozen=True)
class Field:
    """A column the importer needs: its parser and whether a value is mandatory.

    ``optional_column``: older exports may lack the column; it then reads as null.
    """

    column: str
    parse: Parser
    required: bool = False
    optional_column: bool = False


def _stream_message(exc: BaseException) -> str:
    if isinstance(exc, EOFError):
        return "fichier compressé tronqué (fin de flux inattendue)"
    return f"fichier compressé illisible ({exc})"


def checksum(source: Source, chunk_size: int = 1 << 20) -> str:
    """SHA-256 of the decompressed content; a broken compression is refused with its line."""
    digest = hashlib.sha256()
    lines = 1
    try:
        with source.open() as stream:
            # read1: a truncated stream still hands over what it could decompress, so the
            # error points at the line where the data stops
            read = getattr(stream, "read1", stream.read)
            while chunk := read(chunk_size):
                digest.update(chunk)
                lines += chunk.count(b"\n")
    except _STREAM_ERRORS as exc:
        raise FluxIAEError(source.name, lines, "fichier", _stream_message(exc)) from exc
    return digest.hexdigest()


class VueReader:
    """Rows of one file as tuples of converted values, in the order of ``fields``.

    Iterating yields ``(line_number, values, raw_fields)``; ``raw_fields`` is the whole split
    line (the AF importer uses it to drop exact duplicates). ``bytes_read`` follows the
    decompressed position, for progress displays.
    """

    def __init__(self, source: Source, fields: Sequence[Field]) -> None:
        self.source = source
        self.fields = list(fields)
        self.header: list[str] = []
        self.bytes_read = 0
        self.rows = 0
        self.deb_vue: str | None = None

    def error(self, line: int, column: str, message: str) -> FluxIAEError:
        return FluxIAEError(self.source.name, line, column, message)

    def _decode(self, raw: bytes, line: int) -> str:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            index = raw[: exc.start].count(b"|")
            column = self.header[index] if index < len(self.header) else "en-tête"
            raise self.error(line, column, "encodage invalide (UTF-8 attendu)") from exc
        if text.endswith("\n"):
            text = text[:-1]
        if text.endswith("\r"):
            text = text[:-1]
        return text

    def _lines(self, stream) -> Iterator[tuple[int, str]]:
        line = 0
        try:
            for raw in stream:
                line += 1
                self.bytes_read += len(raw)
                if line == 1 and raw.startswith(BOM):
                    raw = raw[len(BOM) :]
                yield line, self._decode(raw, line)
        except _STREAM_ERRORS as exc:
            raise self.error(line + 1, "fichier", _stream_message(exc)) from exc

    def _read_header(self, lines: Iterator[tuple[int, str]]) -> int:
        first = next(lines, None)
        if first is None:
            raise self.error(1, "fichier", "fichier vide (en-tête absent)")
        line, text = first
        deb = _DEB.fullmatch(text)
        if deb:
            self.deb_vue = deb.group(1)
            if self.source.vue and self.deb_vue != self.source.vue:
                raise self.error(
                    line,
                    "DEB",
                    f"la ligne DEB annonce la vue {self.deb_vue}, le nom du fichier "
                    f"la vue {self.source.vue}",
                )
            nxt = next(lines, None)
            if nxt is None:
                raise self.error(line + 1, "fichier", "en-tête absent après la ligne DEB")
            line, text = nxt
        if "\r" in text:
            # CR-only line endings: the whole file reads as one header line
            raise self.error(line, "fichier", "fins de ligne CR seules (format Mac) : LF attendu")
        self.header = [name.strip() for name in text.split("|")]
        for field in self.fields:
            count = self.header.count(field.column)
            if count == 0 and field.optional_column:
                continue
            if count == 0:
                raise self.error(line, field.column, "colonne obligatoire absente de l'en-tête")
            if count > 1:
                # reading by name would silently pick one of them
                raise self.error(
                    line, field.column, f"colonne présente {count} fois dans l'en-tête"
                )
        return line

    def __iter__(self) -> Iterator[tuple[int, tuple[Any, ...], list[str]]]:
        with self.source.open() as stream:
            lines = self._lines(stream)
            self._read_header(lines)
            positions = [
                self.header.index(f.column) if f.column in self.header else None
                for f in self.fields
            ]
            plan = list(zip(positions, self.fields, strict=True))
            width = len(self.header)
            fin: tuple[int, int] | None = None
            blank: int | None = None
            for line, text in lines:
                if not text:
                    blank = blank or line
                    continue
                if blank is not None:
                    raise self.error(blank, "fichier", "ligne vide au milieu du fichier")
                if fin is not None:
                    raise self.error(line, "FIN", "ligne après la ligne FIN")
                if text.startswith("FIN"):
                    fin_match = _FIN.fullmatch(text)
                    if fin_match:
                        fin = (line, int(fin_match.group(1)))
                        continue
                parts = text.split("|")
                if len(parts) != width:
                    self._wrong_width(line, parts)
                values = []
                for position, field in plan:
                    value = parts[position] if position is not None else ""
                    if not value:
                        if field.required:
                            raise self.error(line, field.column, "valeur obligatoire manquante")
                        values.append(None)
                        continue
                    try:
                        values.append(field.parse(value))
                    except ValueError as exc:
                        raise self.error(line, field.column, str(exc)) from None
                self.rows += 1
                yield line, tuple(values), parts
            if fin is not None and fin[1] != self.rows:
                raise self.error(
                    fin[0],
                    "FIN",
                    f"la ligne FIN annonce {fin[1]} lignes, le fichier en contient {self.rows}",
                )

    def _wrong_width(self, line: int, parts: list[str]) -> None:
        width = len(self.header)
        column = self.header[len(parts)] if len(parts) < width else self.header[-1]
        raise self.error(line, column, f"{len(parts)} champs au lieu de {width}")

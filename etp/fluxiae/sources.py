"""Find the fluxIAE files behind the paths given to the importer.

Inputs are ``.csv`` files, ``.csv.gz`` files that are real gzip **or** PKZIP archives despite
their name, zip archives of such files (the ASP's ``fluxIAE_ITOU_*.tar.gz`` deliveries are zip
archives), real ``.tar.gz`` archives, and directories of all these. Formats are told by magic
bytes, never by extension. The vue comes from the file name
``fluxIAE_<Vue>_<ddmmyyyy>_<hhmmss>.csv[.gz]``.
"""

from __future__ import annotations

import gzip
import io
import re
import struct
import tarfile
import zipfile
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import BinaryIO

from etp.fluxiae.errors import FluxIAEError

FILE_NAME = re.compile(r"fluxIAE_([A-Za-z]+)_(\d{8})_(\d{6})\.csv(?:\.gz)?")
GZIP_MAGIC = b"\x1f\x8b"
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")

Opener = Callable[[], AbstractContextManager[BinaryIO]]


@dataclass(frozen=True)
class Source:
    """One fluxIAE file, possibly inside an archive or compressed.

    ``name`` is what errors and reports show; ``with source.open() as stream`` gives the
    decompressed bytes;
    ``size`` is the decompressed size when known cheaply (for the progress display).
    """

    name: str
    vue: str | None
    extract_date: datetime | None
    open: Opener
    size: int | None


def parse_file_name(name: str) -> tuple[str, datetime | None] | None:
    """``(vue, extraction date)`` from a fluxIAE file name, None when the name is not one."""
    match = FILE_NAME.fullmatch(Path(name).name)
    if not match:
        return None
    vue, day, time = match.groups()
    try:
        when = datetime.strptime(day + time, "%d%m%Y%H%M%S")
    except ValueError:
        when = None
    return vue, when


def _magic(path: Path) -> bytes:
    with open(path, "rb") as handle:
        return handle.read(4)


def _gzip_size(path: Path) -> int | None:
    """The ISIZE trailer of a gzip file (decompressed size modulo 2**32)."""
    try:
        with open(path, "rb") as handle:
            handle.seek(-4, io.SEEK_END)
            return struct.unpack("<I", handle.read(4))[0]
    except OSError:
        return None


def _source(name: str, opener: Opener, size: int | None) -> Source:
    parsed = parse_file_name(name)
    vue, when = parsed if parsed else (None, None)
    return Source(name=name, vue=vue, extract_date=when, open=opener, size=size)


def _zip_sources(path: Path, display: str) -> Iterator[Source]:
    try:
        with zipfile.ZipFile(path) as archive:
            infos = [i for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, OSError) as exc:
        raise FluxIAEError(display, 1, "fichier", f"archive zip illisible ({exc})") from exc
    single = parse_file_name(path.name) is not None and len(infos) == 1
    for info in sorted(infos, key=lambda i: i.filename):

        @contextmanager
        def opener(info: zipfile.ZipInfo = info) -> Iterator[BinaryIO]:
            with zipfile.ZipFile(path) as archive, archive.open(info) as member:
                if info.filename.endswith(".gz"):
                    with gzip.GzipFile(fileobj=member) as inner:
                        yield inner  # type: ignore[misc]
                else:
                    yield member  # type: ignore[misc]

        name = display if single else f"{display}/{info.filename}"
        size = None if info.filename.endswith(".gz") else info.file_size
        parsed = parse_file_name(info.filename) or parse_file_name(path.name)
        vue, when = parsed if parsed else (None, None)
        yield Source(name=name, vue=vue, extract_date=when, open=opener, size=size)


def _tar_sources(path: Path, display: str) -> Iterator[Source]:
    try:
        with tarfile.open(path, "r:*") as archive:
            members = [m for m in archive.getmembers() if m.isfile()]
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise FluxIAEError(display, 1, "fichier", f"archive tar illisible ({exc})") from exc
    for member in sorted(members, key=lambda m: m.name):

        @contextmanager
        def opener(member: tarfile.TarInfo = member) -> Iterator[BinaryIO]:
            with tarfile.open(path, "r:*") as archive:
                handle = archive.extractfile(member)
                assert handle is not None
                if member.name.endswith(".gz"):
                    with gzip.GzipFile(fileobj=handle) as inner:
                        yield inner  # type: ignore[misc]
                else:
                    yield handle

        size = None if member.name.endswith(".gz") else member.size
        yield _source(f"{display}/{member.name}", opener, size)


def _is_tar_gz(path: Path) -> bool:
    if not path.name.endswith((".tar.gz", ".tgz")):
        return False
    try:
        with gzip.open(path) as handle:
            block = handle.read(512)
        return len(block) == 512 and block[257:262] == b"ustar"
    except (OSError, EOFError):
        return False


def sources_of(path: Path) -> Iterator[Source]:
    """Every fluxIAE file (or unrecognised file, with ``vue=None``) behind ``path``."""
    if path.is_dir():
        for child in sorted(p for p in path.rglob("*") if p.is_file()):
            yield from sources_of(child)
        return
    display = str(path)
    if not path.exists():
        raise FluxIAEError(display, 0, "fichier", "fichier introuvable")
    magic = _magic(path)
    if magic in ZIP_MAGICS:
        yield from _zip_sources(path, display)
    elif magic.startswith(GZIP_MAGIC) and _is_tar_gz(path):
        yield from _tar_sources(path, display)
    elif magic.startswith(GZIP_MAGIC):
        # a file object is its own context manager
        gz = lambda: gzip.open(path, "rb")  # noqa: E731, SIM115
        yield _source(display, gz, _gzip_size(path))  # type: ignore[arg-type]
    else:
        plain = lambda: open(path, "rb")  # noqa: E731, SIM115
        yield _source(display, plain, path.stat().st_size)

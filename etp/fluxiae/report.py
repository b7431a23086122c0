"""What an import did, per file: the data team reads it, the CLI prints it in French."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

# import_log.statut values
IMPORTE = "importe"
DEJA_IMPORTE = "deja_importe"
REFUSE = "refuse"
IGNORE = "ignore"


@dataclass
class FileReport:
    """One file offered to the importer.

    ``skipped`` counts rows set aside, per reason (French, shown as is); ``rows_read`` always
    equals ``rows_kept + sum(skipped.values())``. ``anomalies`` counts facts worth a look that
    set no row aside (e.g. AF-months whose rows disagree on their state).
    """

    path: str
    vue: str | None
    status: str
    checksum: str = ""
    rows_read: int = 0
    rows_kept: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    anomalies: Counter[str] = field(default_factory=Counter)
    data_date: datetime | None = None
    message: str | None = None

    @property
    def rows_skipped(self) -> int:
        return sum(self.skipped.values())


@dataclass
class ImportReport:
    """Every file of one ``import_paths`` call, in processing order, then the ignored ones."""

    files: list[FileReport] = field(default_factory=list)

    @property
    def imported(self) -> list[FileReport]:
        return [f for f in self.files if f.status in (IMPORTE, DEJA_IMPORTE)]

    @property
    def ignored(self) -> list[FileReport]:
        return [f for f in self.files if f.status == IGNORE]


@dataclass(frozen=True)
class Progress:
    """Where the import stands in one file, for a progress display.

    ``done_bytes``/``total_bytes`` count decompressed bytes; ``total_bytes`` is None when the
    size is unknown (a gzip inside an archive).
    """

    path: str
    vue: str | None
    rows: int
    done_bytes: int
    total_bytes: int | None
    finished: bool = False

    @property
    def fraction(self) -> float | None:
        if not self.total_bytes:
            return None
        return min(1.0, self.done_bytes / self.total_bytes)

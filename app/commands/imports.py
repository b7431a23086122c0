"""``suivi-etp import PATH [PATH ...]``: import fluxIAE files, archives or directories.

All the paths of one command are one transaction: either everything is imported, or nothing
changes and the command exits 1 with ``file:line: column: message``.
"""

from __future__ import annotations

import sys

import click

from etp.db import default_database_url, init_db, make_engine
from etp.fluxiae import FileReport, FluxIAEError, ImportReport, Progress, import_paths

STATUTS = {
    "importe": "importé",
    "deja_importe": "déjà importé (contenu identique), ignoré",
    "ignore": "ignoré",
}


def _nombre(n: int) -> str:
    """Thousands separated by a narrow space, as French readers expect (counts only)."""
    return f"{n:,}".replace(",", "\u202f")


class _TerminalProgress:
    """One line on stderr, rewritten in place: file, rows read, percentage."""

    def __init__(self, stream) -> None:
        self.stream = stream

    def __call__(self, progress: Progress) -> None:
        name = progress.path.rsplit("/", 1)[-1]
        pct = f" ({progress.fraction:.0%})".replace("%", "\u202f%") if progress.fraction else ""
        end = "\n" if progress.finished else ""
        self.stream.write(f"\r\033[K{name} : {_nombre(progress.rows)} lignes{pct}{end}")
        self.stream.flush()


def _summary_lines(report: ImportReport) -> list[str]:
    lines: list[str] = []
    for file in report.files:
        if file.status == "ignore":
            continue
        lines.append(f"{file.path} [{file.vue}] : {STATUTS.get(file.status, file.status)}")
        if file.status == "importe":
            lines.extend(_counts(file))
    ignored = report.ignored
    if ignored:
        lines.append(f"Fichiers ignorés ({len(ignored)}) :")
        lines.extend(f"  {f.path} : {f.message}" for f in ignored)
    return lines


def _counts(file: FileReport) -> list[str]:
    lines = [
        f"  lus : {_nombre(file.rows_read)} ; gardés : {_nombre(file.rows_kept)} ; "
        f"écartés : {_nombre(file.rows_skipped)}"
    ]
    lines.extend(
        f"    écartés, {motif} : {_nombre(n)}" for motif, n in sorted(file.skipped.items())
    )
    lines.extend(
        f"    à vérifier, {motif} : {_nombre(n)}" for motif, n in sorted(file.anomalies.items())
    )
    if file.data_date:
        lines.append(f"  données à jour au {file.data_date:%d/%m/%Y %H:%M:%S}")
    return lines


def _resultat(report: ImportReport) -> dict[str, object]:
    """What the audit log keeps of an import: each file's status and rows kept."""
    return {
        "resultat": "importé",
        "fichiers_importes": [
            f"{f.path.rsplit('/', 1)[-1]} ({_nombre(f.rows_kept)} lignes)"
            for f in report.files
            if f.status == "importe"
        ],
        "deja_importes": sum(1 for f in report.files if f.status == "deja_importe"),
        "ignores": sum(1 for f in report.files if f.status == "ignore"),
    }


def _journal(engine, paths: tuple[str, ...], details: dict[str, object]) -> None:
    """One audit-log line per command: who ran it, on which paths, with which result."""
    from auth import journal

    journal.enregistrer(
        engine,
        "import",
        journal.acteur_ligne_de_commande(),
        details={"chemins": list(paths), **details},
    )


@click.command(
    "import",
    help="Importe des fichiers fluxIAE (.csv, .csv.gz, archives zip/tar.gz, dossiers) "
    "en une seule transaction.",
)
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True))
@click.option("--database-url", envvar="DATABASE_URL", default=None, help="URL SQLAlchemy.")
def import_(paths: tuple[str, ...], database_url: str | None) -> None:
    engine = make_engine(database_url or default_database_url())
    init_db(engine)
    stderr = sys.stderr
    progress = _TerminalProgress(stderr) if stderr.isatty() else None
    try:
        try:
            report = import_paths(engine, paths, progress=progress)
        except FluxIAEError as error:
            _journal(engine, paths, {"resultat": "refusé", "erreur": str(error)})
            click.echo(str(error), err=True)
            click.echo("Import refusé : la base n'a pas été modifiée.", err=True)
            sys.exit(1)
        _journal(engine, paths, _resultat(report))
    finally:
        engine.dispose()
    for line in _summary_lines(report):
        click.echo(line)

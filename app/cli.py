"""The ``suivi-etp`` command line: run, init-db, db, import, indicators, figures, demo, user.

Each command lives in its own module under ``app/commands``.
"""

from __future__ import annotations

import click

from app.commands import cofinancement, database, demo, figures, imports, indicators, serve, users


@click.group(help="Suivi ETP : import des fichiers fluxIAE, indicateurs ETP et tableau de bord.")
def main() -> None:
    """Entry point of the console script."""


main.add_command(serve.run)
main.add_command(database.init_db)
main.add_command(database.db)
main.add_command(imports.import_)
main.add_command(indicators.indicators)
main.add_command(figures.figures_command)
main.add_command(demo.demo)
main.add_command(users.user)
main.add_command(cofinancement.cofinancement_cmd)

"""``suivi-etp import`` (being built)."""

import click


@click.command("import")
def import_() -> None:
    raise click.ClickException("Commande en cours de développement.")

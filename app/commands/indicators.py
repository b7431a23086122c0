"""``suivi-etp indicators`` (being built)."""

import click


@click.command("indicators")
def indicators() -> None:
    raise click.ClickException("Commande en cours de développement.")

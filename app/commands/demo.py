"""``suivi-etp demo`` (being built)."""

import click


@click.command("demo")
def demo() -> None:
    raise click.ClickException("Commande en cours de développement.")

"""``suivi-etp user`` (being built)."""

import click


@click.group("user")
def user() -> None:
    """Gestion des comptes."""

"""``suivi-etp demo``: synthetic fluxIAE files loaded through the importer, plus demo accounts."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import click
from sqlalchemy import Engine

from etp.db import default_database_url, init_db, make_engine

_STATUTS = {"importe": "importé", "deja_importe": "déjà importé", "ignore": "ignoré"}


def _comptes_demo(engine: Engine, password: str | None) -> list[str]:
    """Create the demo accounts; returns the lines telling how to log in: the shared password,
    then each account."""
    from auth.demo import create_demo_accounts, demo_accounts
    from etp.demo import DEMO_SIAE_STRUCTURE_IDS

    mot_de_passe = create_demo_accounts(
        engine, password=password, siae_structure_ids=DEMO_SIAE_STRUCTURE_IDS
    )
    lignes = [f"Comptes de démonstration (mot de passe commun : {mot_de_passe}) :"]
    for email, nom, _ in demo_accounts(DEMO_SIAE_STRUCTURE_IDS):
        lignes.append(f"  {email:<18} {nom}")
    return lignes


@click.command(
    "demo",
    help=(
        "Génère des fichiers fluxIAE de démonstration (trois années, Bretagne, Occitanie et "
        "quelques autres départements), les importe et crée les comptes de démonstration."
    ),
)
@click.option("--seed", type=int, default=2024, show_default=True, help="Graine du générateur.")
@click.option(
    "--today",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    default=None,
    help="Date de référence AAAA-MM-JJ (par défaut : aujourd'hui).",
)
@click.option("--password", default=None, help="Mot de passe des comptes (sinon généré).")
@click.option("--database-url", envvar="DATABASE_URL", default=None, help="URL SQLAlchemy.")
@click.option(
    "--keep-files",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Conserver les fichiers générés dans ce dossier.",
)
@click.option(
    "--structures",
    type=click.IntRange(12, 20000),
    default=None,
    help="Nombre de structures (par défaut : 150 ; 515 à l'échelle region, 5 150 en national).",
)
@click.option(
    "--scale",
    "echelle",
    type=click.Choice(["demo", "region", "national"]),
    default="demo",
    show_default=True,
    help=(
        "Taille des données : demo (Bretagne, Occitanie et quelques autres départements), "
        "national (tous les départements, environ 4 700 annexes par an et 2 millions de lignes "
        "d'états mensuels par an, écrites en flux) ou region (la même chose, dix fois plus petite)."
    ),
)
def demo(
    seed: int,
    today: datetime | None,
    password: str | None,
    database_url: str | None,
    keep_files: Path | None,
    structures: int | None,
    echelle: str,
) -> None:
    from auth.demo import demo_password_error
    from etp.demo.loader import load_demo
    from etp.demo.model import DemoConfig
    from etp.demo.national import config_echelle, generate_national

    if password is not None:  # the national DGEFP account gets it too: same policy as anyone
        weak = demo_password_error(password)
        if weak:
            click.echo(f"Erreur : {weak}", err=True)
            raise SystemExit(2)
    engine = make_engine(database_url or default_database_url())
    init_db(engine)
    jour = today.date() if today else date.today()
    if echelle == "demo":
        config = DemoConfig(seed=seed, today=jour, structures=structures or 150)
        generate = None
    else:
        config = config_echelle(echelle, seed=seed, today=jour, structures=structures)
        generate = generate_national
    click.echo(
        f"Génération des données de démonstration (échelle {echelle}, graine {seed}, "
        f"années {config.annees[0]}-{config.annees[-1]}, {config.structures} structures)…"
    )
    if generate is None:
        _population, _paths, report = load_demo(engine, config, keep_files)
    else:
        _population, _paths, report = load_demo(engine, config, keep_files, generate)
    for f in report.files:
        ecartees = ", ".join(f"{motif} : {n}" for motif, n in sorted(f.skipped.items()))
        detail = f" (écartées : {ecartees})" if ecartees else ""
        statut = _STATUTS.get(f.status, f.status)
        click.echo(
            f"  {Path(f.path).name} : {statut}, {f.rows_read} lignes lues, "
            f"{f.rows_kept} gardées{detail}"
        )
    if keep_files is not None:
        click.echo(f"Fichiers conservés dans {keep_files}")
    click.echo(
        f"Base : {engine.url.render_as_string(hide_password=True)} — "
        f"données à jour au {config.date_donnees:%d/%m/%Y}."
    )
    click.echo("\n".join(_comptes_demo(engine, password)))
    click.echo("Se connecter sur /connexion (http://127.0.0.1:8050/connexion avec make run).")

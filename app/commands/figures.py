"""``suivi-etp figures``: every figure of every card of the dashboard for one selection.

The values are :func:`etp.figures.figures` (the functions the screens and exports call),
unrounded, keyed by the catalogue keys (:mod:`etp.catalogue`). National scope by default (the
data team); ``--as-user EMAIL`` applies that account's scope, exactly as the dashboard does, so
"what does the DREETS see?" has one answer. ``--format table`` prints the catalogue titles and
French numbers (rounded at display only); ``json`` keeps every number unrounded.
"""

from __future__ import annotations

import json
import sys

import click
from sqlalchemy import Engine, inspect

from app.commands.indicators import (
    ErreurOption,
    parse_af,
    parse_annee,
    parse_as_of,
    parse_departement,
    parse_region,
    parse_structure,
    parse_type,
)
from etp import formatting as fmt
from etp.catalogue import CATALOGUE
from etp.db import default_database_url, make_engine
from etp.figures import aplatir, figures
from etp.filters import Filtres
from etp.scope import Scope

FORMATS = ("json", "table")


def _erreur(message: str, code: int = 2) -> None:
    click.echo(f"Erreur : {message}", err=True)
    sys.exit(code)


def scope_de(engine: Engine, email: str | None) -> Scope:
    """National without ``--as-user``; else that account's scope (its organisations)."""
    if email is None:
        return Scope.everything()
    import auth.models  # noqa: F401  (account tables on the metadata)
    from auth.identity import load_by_email
    from auth.scope import scope_for_user

    user = load_by_email(engine, email)
    if user is None:
        raise ErreurOption(f"compte inconnu « {email} ».")
    return scope_for_user(user)


def texte(valeur: object, kind: str) -> str:
    """A value in French, by the catalogue's display kind."""
    if valeur is None:
        return fmt.VIDE
    if kind == "etp":
        return fmt.fmt_etp(valeur)  # type: ignore[arg-type]
    if kind == "pct":
        return fmt.fmt_pct(valeur)  # type: ignore[arg-type]
    if kind == "euros":
        return fmt.fmt_euros(valeur, 0)  # type: ignore[arg-type]
    if kind == "int":
        return fmt.fmt_nombre(valeur)  # type: ignore[arg-type]
    if kind == "mois":
        return fmt.nom_mois(int(valeur))  # type: ignore[call-overload]
    if kind == "liste":
        return ", ".join(fmt.nom_mois(int(m)) for m in valeur)  # type: ignore[attr-defined]
    return str(valeur)


def render_table(donnees: dict) -> str:
    """One line per catalogue figure of the selection: title, value in French, key."""
    plat = aplatir(donnees)
    lignes = []
    for cle, ind in CATALOGUE.items():
        if cle not in plat or (isinstance(plat[cle], list) and ind.kind != "liste"):
            continue
        lignes.append((ind.titre, texte(plat[cle], ind.kind), cle))
    largeur = max((len(t) for t, _, _ in lignes), default=0)
    courtes = [v for _, v, _ in lignes if len(v) <= 40]  # a sentence goes on its own line
    valeurs = max((len(v) for v in courtes), default=0)
    return "\n".join(
        f"{t.ljust(largeur)}  {v.rjust(valeurs)}  {c}"
        if len(v) <= 40
        else f"{t.ljust(largeur)}  {c}\n  {v}"
        for t, v, c in lignes
    )


@click.command(
    "figures", help="Chiffres de toutes les cartes du tableau de bord pour une sélection."
)
@click.option("--annee", help="Année civile (obligatoire), par exemple 2026.")
@click.option("--structure", help="Identifiant ASP de la structure.")
@click.option("--af", "numero_af", help="Numéro d'annexe financière, par exemple ACI054180019.")
@click.option("--type", "type_structure", help="Type de structure : EI, ACI, AI, ETTI, EITI.")
@click.option("--departement", help="Département du conventionnement (35, 2A, 971…).")
@click.option("--region", help="Région du conventionnement : code (53) ou nom (Bretagne).")
@click.option("--as-of", "as_of", help="Mois de référence AAAA-MM (défaut : date des données).")
@click.option("--as-user", "as_user", help="Périmètre de ce compte (défaut : national).")
@click.option("--format", "format_", default="json", show_default=True, help="json, table.")
@click.option("--database-url", envvar="DATABASE_URL", default=None, help="URL SQLAlchemy.")
def figures_command(
    annee: str | None,
    structure: str | None,
    numero_af: str | None,
    type_structure: str | None,
    departement: str | None,
    region: str | None,
    as_of: str | None,
    as_user: str | None,
    format_: str,
    database_url: str | None,
) -> None:
    try:
        filtres = Filtres(
            annee=parse_annee(annee),
            numero_af=parse_af(numero_af),
            structure_id=parse_structure(structure),
            type_structure=parse_type(type_structure),
            region=parse_region(region),
            departement=parse_departement(departement),
            as_of=parse_as_of(as_of),
        )
        if format_ not in FORMATS:
            raise ErreurOption(f"format inconnu « {format_} » : {', '.join(FORMATS)}.")
    except ErreurOption as exc:
        _erreur(str(exc))
        return
    engine = make_engine(database_url or default_database_url())
    try:
        if not inspect(engine).has_table("annexe_financiere"):
            _erreur("base de données non initialisée : lancez « suivi-etp init-db ».", code=1)
        try:
            scope = scope_de(engine, as_user)
        except ErreurOption as exc:
            _erreur(str(exc))
            return
        donnees = figures(engine, scope, filtres)
        if format_ == "json":
            click.echo(json.dumps(donnees, ensure_ascii=False, indent=2))
        else:
            click.echo(render_table(donnees))
    finally:
        engine.dispose()
